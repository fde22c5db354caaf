// Creating and deleting repositories (service/repos/repos.hpp).
#include "service/repos/repos.hpp"

#include "core/text.hpp"
#include "service/account/accounts.hpp"
#include "service/permissions/permissions.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "core/log.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/repos/repo_access.hpp"
#include "service/repos/repo_creation.hpp"
#include "service/repos/repo_metadata.hpp"
#include "service/repos/repo_names.hpp"
#include "store/permissions/permissions.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/journal.hpp"
#include "store/ui.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

namespace fs = std::filesystem;

Result<std::string> resolve_type(const std::optional<std::string>& asked,
                                 const detail::RepoDefaults& defaults) {
    if (!asked || asked->empty())
        return defaults.type;
    const std::string type = text::ascii_lower(*asked);
    if (type == "hg")
        return fail(Errc::unavailable, "Mercurial support is not available yet");
    if (!detail::repo_type_available(type))
        return fail(Errc::invalid_argument,
                    fmt::format("Invalid repository type \"{}\" (git or hg)", *asked));
    return type;
}

// Kallithea compares names case-insensitively; "x" and "x.git" would share a clone URL.
Status check_name_free(db::Connection& conn, const std::string& full, const fs::path& root) {
    store::Repositories repos(conn);
    auto repo = repos.by_name_ci(full);
    RETURN_IF_ERROR(repo);
    if (*repo)
        return fail(Errc::conflict,
                    fmt::format("Repository named {} already exists", (*repo)->repo_name));
    auto group = store::RepoGroups(conn).by_name_ci(full);
    RETURN_IF_ERROR(group);
    if (*group)
        return fail(Errc::conflict, fmt::format("Repository group with name \"{}\" already exists",
                                                (*group)->group_name));
    const bool dot_git = text::ascii_lower(full).ends_with(".git");
    const std::string twin = dot_git ? full.substr(0, full.size() - 4) : full + ".git";
    if (!twin.empty() && twin.back() != '/') {
        auto other = repos.by_name_ci(twin);
        RETURN_IF_ERROR(other);
        if (*other)
            return fail(Errc::conflict,
                        fmt::format("Repository {} already exists: {} and {} would have the same "
                                    "clone URL",
                                    (*other)->repo_name, (*other)->repo_name, full));
    }
    std::error_code ec;
    if (fs::exists(fs::symlink_status(root / full, ec)))
        return fail(Errc::conflict,
                    fmt::format("A directory named {} already exists in the repository root "
                                "(repo-scan adds existing repositories)",
                                full));
    return ok();
}

// The actor, or (admins only) the named active user.
Result<detail::UserRef> resolve_owner(db::Connection& conn, const AuthUser& actor,
                                      const std::optional<std::string>& name) {
    if (!name || name->empty() || text::ascii_lower(*name) == text::ascii_lower(actor.username))
        return detail::UserRef{actor.user_id.value_or(0), actor.username};
    auto user = store::Users(conn).by_username(*name);
    RETURN_IF_ERROR(user);
    if (!account_usable(*user))
        return fail_field(Errc::invalid_argument, "owner",
                          fmt::format("Username {} is not valid", *name));
    if (!actor.admin)
        return fail_field(Errc::forbidden, "owner",
                          "Only administrators can create repositories for other users");
    return detail::UserRef{(*user)->user_id, (*user)->username};
}

struct Plan {
    std::string full;
    std::optional<int64_t> group_id;  // the web form's parent group
    store::NewRepoRow row;
    std::string owner_username;
    bool copy_group = false;
};

// Everything about the request that can be judged before writing: names, type, owner, rights.
Result<Plan> plan_creation(db::Connection& conn, const AuthUser& actor, const NewRepo& repo,
                           const fs::path& root) {
    auto defaults = detail::load_repo_defaults(conn);
    auto grants = detail::load_default_grants(conn);
    if (!defaults || !grants)
        return fail(!defaults ? defaults.error() : grants.error());
    Plan plan;
    plan.full = repo.name;
    if (repo.group_id) {
        auto group = store::RepoGroups(conn).by_id(*repo.group_id);
        RETURN_IF_ERROR(group);
        if (!*group)
            return fail_field(Errc::invalid_argument, "repo_group",
                              "The repository group does not exist");
        plan.full = (*group)->group_name + "/" + repo.name;
    }
    if (auto st = check_repo_path(plan.full); !st)
        return fail_field("repo_name", std::move(st.error()));
    auto type = resolve_type(repo.type, *defaults);
    if (!type)
        return fail_field("repo_type", std::move(type.error()));
    const std::string landing = repo.landing_rev.value_or("rev:tip");
    if (auto st = check_landing_rev(landing); !st)
        return fail_field("repo_landing_rev", std::move(st.error()));

    auto owner = resolve_owner(conn, actor, repo.owner);
    RETURN_IF_ERROR(owner);
    plan.owner_username = owner->username;
    if (auto st = check_name_free(conn, plan.full, root); !st)
        return fail_field("repo_name", std::move(st.error()));

    store::NewRepoRow& row = plan.row;
    row.repo_name = plan.full;
    row.repo_type = *type;
    row.owner_id = owner->user_id;
    row.is_private = repo.is_private.value_or(defaults->is_private);
    row.downloads = repo.enable_downloads.value_or(defaults->downloads);
    row.statistics = defaults->statistics;
    row.description =
        repo.description.empty() ? std::string(last_segment(plan.full)) : repo.description;
    row.landing_revision = landing;
    plan.copy_group = repo.copy_group_permissions;
    return plan;
}

// Writes the rows, then makes the directories (recorded in `undo`) and the repository.
Result<CreatedRepo> write_creation(db::Connection& conn, Plan plan, const fs::path& root,
                                   std::string_view client_ip, detail::DiskUndo& undo) {
    auto grants = detail::load_default_grants(conn);
    RETURN_IF_ERROR(grants);
    auto parent =
        detail::ensure_parent_groups(conn, plan.full, plan.row.owner_id, *grants, nullptr);
    if (!parent)
        return fail_field("repo_name", std::move(parent.error()));
    plan.row.group_id = *parent;
    detail::RepoRowsSpec spec{plan.row, plan.owner_username, std::string(client_ip), true,
                              plan.copy_group ? *parent : std::nullopt};
    auto repo_id = detail::insert_repository_rows(conn, spec, *grants);
    if (!repo_id)
        return fail_field("repo_name", std::move(repo_id.error()));

    std::vector<fs::path> dirs;
    for (const auto& group : parent_groups(plan.full))
        dirs.push_back(root / group);
    const fs::path path = root / plan.full;
    RETURN_IF_ERROR(undo.make_dirs(dirs));
    undo.add_repository(path);
    RETURN_IF_ERROR(detail::init_repository(plan.row.repo_type, path));
    return CreatedRepo{*repo_id, plan.full, path.string()};
}

// Renames a deleted repository's directory to rm__<date>__<name> beside it (Kallithea's
// backup, which repo-purge-deleted removes); "" when the directory is already gone.
Result<std::string> move_aside(const fs::path& path, const std::string& name) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) {
        log::warn("repository {}: directory {} is already gone", name, path.string());
        return std::string();
    }
    const fs::path backup =
        path.parent_path() /
        removed_backup_name(last_segment(name), std::chrono::system_clock::now());
    fs::rename(path, backup, ec);
    if (ec)
        return fail(Errc::io, "The repository directory could not be moved aside",
                    fmt::format("rename {} {}: {}", path.string(), backup.string(), ec.message()));
    return backup.string();
}

// Who may create what where (Kallithea): admins anywhere (missing groups are created);
// others at the top level with hg.create.repository, inside an existing group with group.write
// on it.
Result<bool> check_create_rights(App& app, db::Connection& conn, const AuthUser& actor,
                                 const NewRepo& repo) {
    if (actor.admin)
        return true;
    store::RepoGroups groups(conn);
    std::string full = repo.name;
    if (repo.group_id) {
        auto group = groups.by_id(*repo.group_id);
        RETURN_IF_ERROR(group);
        if (!*group)
            return fail_field(Errc::invalid_argument, "repo_group",
                              "The repository group does not exist");
        full = (*group)->group_name + "/" + repo.name;
    }
    const auto slash = full.rfind('/');
    if (slash == std::string::npos) {
        auto allowed = has_global_permission(app, actor, "hg.create.repository");
        RETURN_IF_ERROR(allowed);
        if (!*allowed)
            return fail(Errc::forbidden, "You may not create top-level repositories");
        return true;
    }
    const std::string parent = full.substr(0, slash);
    auto group = groups.by_name(parent);
    RETURN_IF_ERROR(group);
    if (!*group)
        return fail_field(Errc::forbidden, "repo_group",
                          fmt::format("The repository group {} does not exist", parent));
    auto level = repo_group_level(app, actor, (*group)->group_id);
    RETURN_IF_ERROR(level);
    if (!perm::at_least(*level, perm::Level::write))
        return fail_field(Errc::forbidden, "repo_group",
                          fmt::format("You may not create repositories in {}", parent));
    return true;
}

}  // namespace

Status check_landing_rev(std::string_view rev) {
    const auto colon = rev.find(':');
    const std::string_view kind = rev.substr(0, colon);
    const bool kind_ok = kind == "rev" || kind == "branch" || kind == "tag" || kind == "book";
    bool name_ok = colon != std::string_view::npos && colon + 1 < rev.size() && rev.size() <= 255;
    for (unsigned char c : rev)
        name_ok = name_ok && c >= 0x20 && c != 0x7f;
    if (!kind_ok || !name_ok)
        return fail(Errc::invalid_argument,
                    fmt::format("Invalid landing revision \"{}\" (expected e.g. rev:tip or "
                                "branch:master)",
                                rev));
    return ok();
}

Result<CreatedRepo> create_repository(App& app, const AuthUser& actor, const NewRepo& repo,
                                      std::string_view client_ip) {
    if (!actor.authenticated())
        return fail(Errc::forbidden, "You need to log in to create repositories");
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    RETURN_IF_ERROR(check_create_rights(app, *conn, actor, repo));
    auto root = store::Ui(*conn).repo_root();
    RETURN_IF_ERROR(root);
    // The write transaction also serializes concurrent creations (SQLite: BEGIN IMMEDIATE).
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    auto plan = plan_creation(*conn, actor, repo, *root);
    RETURN_IF_ERROR(plan);
    // Directories made are removed again unless the commit succeeds.
    detail::DiskUndo undo;
    auto created = write_creation(*conn, std::move(*plan), *root, client_ip, undo);
    RETURN_IF_ERROR(created);
    RETURN_IF_ERROR(tx->commit());
    undo.keep();
    log::info("repository {} created by {} ({})", created->name, actor.username, created->path);
    if (auto st = update_repository_metadata(app, created->name); !st)
        log::warn("repository {}: metadata update failed: {} ({})", created->name,
                  st.error().message, st.error().detail);
    return std::move(*created);
}

Result<AuthUser> command_line_actor(App& app) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto admin = detail::first_admin(*conn);
    RETURN_IF_ERROR(admin);
    AuthUser user;
    user.user_id = admin->user_id;
    user.username = admin->username;
    user.admin = true;
    return user;
}

Result<DeletedRepo> delete_repository(App& app, const AuthUser& actor, std::string_view name,
                                      ForkHandling forks, std::string_view client_ip) {
    auto info = authorize_repository(app, actor, name, perm::Level::admin);
    RETURN_IF_ERROR(info);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    store::Repositories repos(*conn);
    auto row = repos.by_id(info->repo_id);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository not found");
    DeletedRepo out;
    out.name = (*row)->repo_name;
    if ((*row)->group_id) {
        auto group = store::RepoGroups(*conn).by_id(*(*row)->group_id);
        RETURN_IF_ERROR(group);
        if (*group)
            out.group_name = (*group)->group_name;
    }
    auto fork_count = repos.count_forks(info->repo_id);
    RETURN_IF_ERROR(fork_count);
    if (*fork_count > 0) {
        if (forks == ForkHandling::refuse)
            return fail(Errc::conflict,
                        fmt::format("Cannot delete repository {} which still has forks", out.name));
        RETURN_IF_ERROR(repos.detach_forks(info->repo_id));
        out.detached_forks = *fork_count;
    }
    RETURN_IF_ERROR(repos.remove(info->repo_id));
    store::JournalEntry entry{actor.user_id, actor.username,         std::nullopt,
                              out.name,      std::string(client_ip), "admin_deleted_repo"};
    RETURN_IF_ERROR(store::Journal(*conn).add(entry));

    const fs::path path = info->path;
    auto backup = move_aside(path, out.name);
    RETURN_IF_ERROR(backup);
    out.backup_path = *backup;
    std::error_code ec;
    if (auto st = tx->commit(); !st) {
        if (!out.backup_path.empty())
            fs::rename(out.backup_path, path, ec);
        return fail(std::move(st.error()));
    }
    log::info("repository {} deleted by {} (moved to {})", out.name, actor.username,
              out.backup_path);
    return out;
}

}  // namespace kallithea::service
