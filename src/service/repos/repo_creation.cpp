// Shared steps of repository creation (service/repos/repo_creation.hpp).
#include "service/repos/repo_creation.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/text.hpp"
#include "service/repos/repo_names.hpp"
#include "store/permissions/permissions.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/journal.hpp"
#include "store/settings.hpp"
#include "store/users/users.hpp"
#include "vcs/backend.hpp"

namespace kallithea::service::detail {
namespace {

Status copy_group_grants(db::Connection& conn, int64_t repo_id, int64_t group_id) {
    store::RepoGroups groups(conn);
    store::Repositories repos(conn);
    store::Permissions perms(conn);
    auto as_repo_perm = [&](const std::string& name) -> Result<int64_t> {
        std::string repo_name = name;
        if (repo_name.starts_with("group."))
            repo_name = "repository." + repo_name.substr(6);
        return perms.by_name(repo_name);
    };
    auto users = groups.user_grants(group_id);
    RETURN_IF_ERROR(users);
    for (const auto& grant : *users) {
        auto perm = as_repo_perm(grant.permission);
        RETURN_IF_ERROR(perm);
        if (auto st = repos.grant_user(repo_id, grant.grantee_id, *perm); !st)
            return st;
    }
    auto user_groups = groups.user_group_grants(group_id);
    RETURN_IF_ERROR(user_groups);
    for (const auto& grant : *user_groups) {
        auto perm = as_repo_perm(grant.permission);
        RETURN_IF_ERROR(perm);
        if (auto st = repos.grant_user_group(repo_id, grant.grantee_id, *perm); !st)
            return st;
    }
    return ok();
}

}  // namespace

Result<RepoDefaults> load_repo_defaults(db::Connection& conn) {
    auto all = store::Settings(conn).all();
    RETURN_IF_ERROR(all);
    RepoDefaults out;
    auto value = [&](const char* name) -> std::string {
        auto it = all->find(name);
        return it == all->end() ? std::string() : it->second.value;
    };
    const std::string type = value("default_repo_type");
    // A default this build cannot serve (Kallithea's initial "hg") falls back to Git.
    if (repo_type_available(type))
        out.type = type;
    out.is_private = text::str2bool(value("default_repo_private"));
    out.downloads = text::str2bool(value("default_repo_enable_downloads"));
    out.statistics = text::str2bool(value("default_repo_enable_statistics"));
    return out;
}

bool repo_type_available(std::string_view type) {
    return vcs::backend_for(type).has_value();
}

Result<DefaultGrants> load_default_grants(db::Connection& conn) {
    auto user = store::Users(conn).by_username("default");
    RETURN_IF_ERROR(user);
    if (!*user)
        return fail(Errc::config, "the `default` user is missing: the database is incomplete");
    DefaultGrants out;
    out.user_id = (*user)->user_id;
    auto globals = store::Permissions(conn).user_global(out.user_id);
    RETURN_IF_ERROR(globals);
    bool repo_seen = false, group_seen = false;
    for (const auto& name : *globals) {
        if (!repo_seen && name.starts_with("repository.")) {
            out.repo_perm = name;
            repo_seen = true;
        } else if (!group_seen && name.starts_with("group.")) {
            out.group_perm = name;
            group_seen = true;
        }
    }
    return out;
}

Result<UserRef> first_admin(db::Connection& conn) {
    auto users = store::Users(conn).list();
    RETURN_IF_ERROR(users);
    for (const auto& user : *users)
        if (user.admin && user.username != "default")
            return UserRef{user.user_id, user.username};
    return fail(Errc::not_found, "there is no administrator account");
}

Result<std::optional<int64_t>> ensure_parent_groups(db::Connection& conn, std::string_view name,
                                                    int64_t owner_id, const DefaultGrants& defaults,
                                                    std::vector<std::string>* created) {
    store::RepoGroups groups(conn);
    store::Repositories repos(conn);
    std::optional<int64_t> parent;
    for (const std::string& path : parent_groups(name)) {
        auto repo = repos.by_name_ci(path);
        RETURN_IF_ERROR(repo);
        if (*repo)
            return fail(Errc::conflict, fmt::format("\"{}\" is a repository, not a repository "
                                                    "group: it cannot hold repositories",
                                                    (*repo)->repo_name));
        auto group = groups.by_name_ci(path);
        RETURN_IF_ERROR(group);
        if (*group) {
            if ((*group)->group_name != path)
                return fail(Errc::conflict,
                            fmt::format("Repository group \"{}\" already exists (names differing "
                                        "only in letter case are the same)",
                                        (*group)->group_name));
            parent = (*group)->group_id;
            continue;
        }
        auto id = groups.create({path, parent, path + " group", owner_id});
        RETURN_IF_ERROR(id);
        auto perm = store::Permissions(conn).by_name(defaults.group_perm);
        RETURN_IF_ERROR(perm);
        RETURN_IF_ERROR(groups.grant_user(*id, defaults.user_id, *perm));
        if (created)
            created->push_back(path);
        parent = *id;
    }
    return parent;
}

Result<int64_t> insert_repository_rows(db::Connection& conn, const RepoRowsSpec& spec,
                                       const DefaultGrants& defaults) {
    store::Repositories repos(conn);
    auto repo_id = repos.create(spec.row);
    if (!repo_id) {
        if (repo_id.error().code == Errc::conflict)
            return fail(Errc::conflict,
                        fmt::format("Repository named {} already exists", spec.row.repo_name),
                        repo_id.error().detail);
        return fail(std::move(repo_id.error()));
    }
    if (spec.copy_group_id) {
        RETURN_IF_ERROR(copy_group_grants(conn, *repo_id, *spec.copy_group_id));
    } else {
        auto perm = store::Permissions(conn).by_name(spec.row.is_private ? "repository.none"
                                                                         : defaults.repo_perm);
        RETURN_IF_ERROR(perm);
        RETURN_IF_ERROR(repos.grant_user(*repo_id, defaults.user_id, *perm));
    }
    RETURN_IF_ERROR(repos.add_follower(*repo_id, spec.row.owner_id));
    store::Journal journal(conn);
    store::JournalEntry entry{spec.row.owner_id,  spec.owner_username, *repo_id,
                              spec.row.repo_name, spec.client_ip,      "started_following_repo"};
    RETURN_IF_ERROR(journal.add(entry));
    if (spec.journal_created) {
        entry.action = "user_created_repo";
        RETURN_IF_ERROR(journal.add(entry));
    }
    return *repo_id;
}

Status init_repository(std::string_view type, const std::filesystem::path& path) {
    auto backend = vcs::backend_for(type);
    RETURN_IF_ERROR(backend);
    return (*backend)->init(path.string());
}

DiskUndo::~DiskUndo() {
    if (kept_)
        return;
    std::error_code ec;
    if (repo_) {
        std::filesystem::remove_all(*repo_, ec);
        if (ec)
            log::error("cannot remove {} after a failed creation: {}", repo_->string(),
                       ec.message());
    }
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it)
        std::filesystem::remove(*it, ec);  // only succeeds while empty, as intended
}

Status DiskUndo::make_dirs(const std::vector<std::filesystem::path>& dirs) {
    for (const auto& dir : dirs) {
        std::error_code ec;
        const auto status = std::filesystem::symlink_status(dir, ec);
        if (std::filesystem::exists(status)) {
            if (!std::filesystem::is_directory(dir, ec))
                return fail(Errc::io,
                            fmt::format("{} exists on disk and is not a directory", dir.string()));
            continue;
        }
        if (!std::filesystem::create_directory(dir, ec) || ec)
            return fail(Errc::io, "The repository group directory could not be created",
                        fmt::format("mkdir {}: {}", dir.string(), ec.message()));
        dirs_.push_back(dir);
    }
    return ok();
}

}  // namespace kallithea::service::detail
