// Repository type detection, opening, and the interface's methods built on the virtual ones.
#include "vcs/repository.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "vcs/git/git_repository.hpp"

namespace kallithea::vcs {

namespace {

VcsSettings& settings_storage() {
    static VcsSettings settings;
    return settings;
}

}  // namespace

void set_vcs_settings(VcsSettings settings) {
    settings_storage() = std::move(settings);
}

const VcsSettings& vcs_settings() {
    return settings_storage();
}

namespace {

bool is_git_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "HEAD", ec) &&
           std::filesystem::is_directory(dir / "objects", ec) &&
           std::filesystem::is_directory(dir / "refs", ec);
}

}  // namespace

std::optional<std::string> detect_repository_type(const std::string& path) {
    std::filesystem::path dir(path);
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return std::nullopt;
    }
    if (is_git_dir(dir) || is_git_dir(dir / ".git")) {
        return "git";
    }
    if (std::filesystem::is_directory(dir / ".hg", ec)) {
        return "hg";
    }
    return std::nullopt;
}

Result<std::unique_ptr<Repository>> Repository::open(const std::string& path) {
    auto type = detect_repository_type(path);
    if (!type) {
        return fail(Errc::not_found, "not a repository", path);
    }
    if (*type == "git") {
        return git::open_git_repository(path);
    }
    return fail(Errc::unavailable, "Mercurial repositories are not supported yet", path);
}

namespace {

Result<std::vector<Ref>> refs_of_kind(Repository& repo, RefKind kind) {
    auto all = repo.refs();
    RETURN_IF_ERROR(all);
    std::vector<Ref> out;
    for (auto& ref : *all) {
        if (ref.kind == kind) {
            out.push_back(std::move(ref));
        }
    }
    return out;
}

}  // namespace

Result<std::vector<Ref>> Repository::branches() {
    return refs_of_kind(*this, RefKind::branch);
}

Result<std::vector<Ref>> Repository::tags() {
    return refs_of_kind(*this, RefKind::tag);
}

Result<std::vector<ChangesetInfo>> Repository::log(const LogQuery& query) {
    std::vector<ChangesetInfo> out;
    if (query.limit > 0) {
        out.reserve(std::min<size_t>(query.limit, 4096));
    }
    auto status = walk_log(query, [&](ChangesetInfo&& cs) {
        out.push_back(std::move(cs));
        return true;
    });
    RETURN_IF_ERROR(status);
    return out;
}

Result<std::vector<ChangesetInfo>> Repository::commits_between(std::string_view base,
                                                               std::string_view head,
                                                               size_t limit) {
    LogQuery query;
    query.start.emplace_back(head);
    query.hide.emplace_back(base);
    query.limit = limit;
    return log(query);
}

}  // namespace kallithea::vcs
