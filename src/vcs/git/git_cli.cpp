// Git operations done by the `git` CLI: blame, archives and the commit-graph index.
#include <cstring>
#include <unordered_map>

#include "vcs/git/git_command.hpp"
#include "vcs/git/git_repository_impl.hpp"

namespace kallithea::vcs::git {

namespace {

bool is_hex40(std::string_view s) {
    if (s.size() < GIT_OID_HEXSZ) {
        return false;
    }
    for (size_t i = 0; i < GIT_OID_HEXSZ; ++i) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return s.size() == GIT_OID_HEXSZ || s[GIT_OID_HEXSZ] == ' ';
}

// Parses `git blame --porcelain` output.
class BlameParser {
public:
    explicit BlameParser(std::vector<BlameLine>& out) : out_(out) {}

    Status line(std::string_view text) {
        if (!text.empty() && text[0] == '\t') {
            BlameLine line = current_;
            line.text.assign(text.substr(1));
            line.orig_path = filename_of_[line.changeset_id];
            out_.push_back(std::move(line));
            return ok();
        }
        if (is_hex40(text)) {
            current_.changeset_id.assign(text.substr(0, GIT_OID_HEXSZ));
            int orig = 0, final_line = 0;
            std::string rest(text.substr(GIT_OID_HEXSZ));
            if (std::sscanf(rest.c_str(), "%d %d", &orig, &final_line) != 2) {
                return fail(Errc::io, "unexpected git blame output", std::string(text));
            }
            current_.orig_line_no = orig;
            current_.line_no = final_line;
            return ok();
        }
        if (text.rfind("filename ", 0) == 0) {
            filename_of_[current_.changeset_id] = std::string(text.substr(9));
        }
        return ok();
    }

private:
    std::vector<BlameLine>& out_;
    BlameLine current_;
    std::unordered_map<std::string, std::string> filename_of_;
};

}  // namespace

Result<std::vector<BlameLine>> GitRepository::blame(std::string_view rev, std::string_view path) {
    auto file_path = normalize_path(path);
    RETURN_IF_ERROR(file_path);
    auto kind = node_kind(rev, *file_path);
    RETURN_IF_ERROR(kind);
    if (*kind != NodeKind::file && *kind != NodeKind::symlink) {
        return fail(Errc::invalid_argument, "not a file", *file_path);
    }
    auto id = resolve(rev);
    RETURN_IF_ERROR(id);
    auto proc =
        Subprocess::start(git_command(git_dir_, {"blame", "--porcelain", *id, "--", *file_path}));
    RETURN_IF_ERROR(proc);
    std::vector<BlameLine> out;
    BlameParser parser(out);
    std::string pending;
    std::optional<Error> error;
    auto exit = proc->communicate(nullptr, [&](std::string_view data) {
        pending.append(data);
        size_t begin = 0, end;
        while ((end = pending.find('\n', begin)) != std::string::npos) {
            auto status = parser.line(std::string_view(pending).substr(begin, end - begin));
            begin = end + 1;
            if (!status) {
                error = status.error();
                return false;
            }
        }
        pending.erase(0, begin);
        return true;
    });
    RETURN_IF_ERROR(exit);
    if (error) {
        return fail(*error);
    }
    if (!exit->success()) {
        return fail(Errc::io, "git blame failed", exit->stderr_text);
    }
    return out;
}

Status GitRepository::archive(std::string_view rev, ArchiveFormat format, std::string_view prefix,
                              const ByteSink& sink) {
    if (prefix.find('\0') != std::string_view::npos) {
        return fail(Errc::invalid_argument, "invalid archive prefix");
    }
    auto id = resolve(rev);
    RETURN_IF_ERROR(id);
    std::string dir(prefix);
    if (!dir.empty() && dir.back() != '/') {
        dir += '/';
    }
    std::vector<std::string> args;
    switch (format) {
        case ArchiveFormat::zip:
            args = {"archive", "--format=zip"};
            break;
        case ArchiveFormat::tar:
            args = {"archive", "--format=tar"};
            break;
        case ArchiveFormat::tgz:
            args = {"-c", "tar.tar.gz.command=gzip -cn", "archive", "--format=tar.gz"};
            break;
        case ArchiveFormat::tbz2:
            args = {"-c", "tar.tar.bz2.command=bzip2 -c", "archive", "--format=tar.bz2"};
            break;
    }
    args.push_back("--prefix=" + dir);
    args.push_back(*id);
    auto proc =
        Subprocess::start(git_command(git_dir_, std::move(args), vcs_settings().archive_timeout));
    RETURN_IF_ERROR(proc);
    auto exit = proc->communicate(nullptr, sink);
    RETURN_IF_ERROR(exit);
    if (!exit->stopped && !exit->success()) {
        return fail(Errc::io, "git archive failed", exit->stderr_text);
    }
    return ok();
}

Status GitRepository::update_indexes() {
    auto empty = is_empty();
    RETURN_IF_ERROR(empty);
    if (*empty) {
        return ok();
    }
    auto options = git_command(
        git_dir_, {"commit-graph", "write", "--reachable", "--changed-paths", "--split"},
        vcs_settings().archive_timeout);
    auto result = run_process(options, {}, 1024 * 1024);
    RETURN_IF_ERROR(result);
    if (!result->exit.success()) {
        return fail(Errc::io, "git commit-graph failed", result->exit.stderr_text);
    }
    return ok();
}

}  // namespace kallithea::vcs::git
