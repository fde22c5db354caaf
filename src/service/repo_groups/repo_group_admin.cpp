// Repository group administration (service/repo_groups/repo_group_admin.hpp).
#include "service/repo_groups/repo_group_admin.hpp"

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "core/log.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "service/repos/repo_creation.hpp"
#include "service/repos/repo_names.hpp"
#include "service/transaction.hpp"
#include "store/permissions/grants.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/repositories.hpp"

namespace kallithea::service {
namespace {

namespace fs = std::filesystem;

bool inside(std::string_view name, std::string_view root) {
    return name == root ||
           (name.size() > root.size() && name.starts_with(root) && name[root.size()] == '/');
}

// Checks one name segment and the full path it makes; free of repositories and other groups
// (case-insensitively), and of directories on disk.
Status check_group_name(db::Connection& conn, const fs::path& root, std::string_view segment,
                        const std::string& full, std::optional<int64_t> self) {
    if (segment.find('/') != std::string_view::npos)
        return fail_field(Errc::invalid_argument, "group_name",
                          "The name may not contain '/'; choose a parent group instead");
    if (auto st = check_repo_path(full, "Repository group"); !st)
        return fail_field("group_name", std::move(st.error()));
    auto repo = store::Repositories(conn).by_name_ci(full);
    RETURN_IF_ERROR(repo);
    if (*repo)
        return fail_field(
            Errc::conflict, "group_name",
            fmt::format("Repository with name \"{}\" already exists", (*repo)->repo_name));
    auto group = store::RepoGroups(conn).by_name_ci(full);
    RETURN_IF_ERROR(group);
    if (*group && (*group)->group_id != self.value_or(-1))
        return fail_field(
            Errc::conflict, "group_name",
            fmt::format("Repository group with name \"{}\" already exists", (*group)->group_name));
    std::error_code ec;
    if (!*group && fs::exists(fs::symlink_status(root / full, ec)))
        return fail_field(Errc::conflict, "group_name",
                          fmt::format("A directory named {} already exists in the repository "
                                      "root",
                                      full));
    return ok();
}

// Where a group is being put: a new group, or an existing one moved.
enum class Placement { create, move };

// Checks that the actor may put a group inside `parent_id` (group.admin there) or, for nullopt, at
// the top level (administrators only); invalid_argument on "parent_group_id", worded for
// `placement`, otherwise.
Status check_parent_allowed(App& app, const AuthUser& actor, std::optional<int64_t> parent_id,
                            Placement placement) {
    const bool create = placement == Placement::create;
    if (parent_id) {
        auto level = repo_group_level(app, actor, *parent_id);
        RETURN_IF_ERROR(level);
        if (*level != perm::Level::admin)
            return fail_field(Errc::invalid_argument, "parent_group_id",
                              create ? "You may not create repository groups in that group"
                                     : "You may not move repository groups into that group");
    } else if (!actor.admin) {
        return fail_field(Errc::invalid_argument, "parent_group_id",
                          create ? "Only administrators may create top-level repository groups"
                                 : "Only administrators may move repository groups to the top "
                                   "level");
    }
    return ok();
}

// The parent's full name ("" for the top level); invalid_argument for an unknown parent (errors
// are on "parent_group_id").
Result<std::string> parent_name(db::Connection& conn, std::optional<int64_t> parent_id) {
    if (!parent_id)
        return std::string();
    auto parent = store::RepoGroups(conn).by_id(*parent_id);
    if (!parent)
        return fail_field("parent_group_id", std::move(parent.error()));
    if (!*parent)
        return fail_field(Errc::invalid_argument, "parent_group_id",
                          "The parent group does not exist");
    return (*parent)->group_name;
}

std::string join(const std::string& parent, std::string_view segment) {
    return parent.empty() ? std::string(segment) : parent + "/" + std::string(segment);
}

// Grants of the parent copied onto a new group (user and user-group rows).
Status copy_parent_grants(db::Connection& conn, int64_t parent_id, int64_t group_id) {
    store::Grants grants(conn);
    auto rows = grants.on(store::GrantObject::repo_group, parent_id);
    RETURN_IF_ERROR(rows);
    for (const auto& row : *rows)
        if (auto st = grants.set(store::GrantObject::repo_group, group_id, row.grantee,
                                 row.grantee_id, row.permission);
            !st)
            return st;
    return ok();
}

// Writes a new group's row and grants: the `default` user's (the default group permission), the
// parent's with copy_permissions, and group.admin for a non-admin creator. Returns its id.
Result<int64_t> write_new_group(db::Connection& conn, const AuthUser& actor,
                                const NewRepoGroupRequest& request, const std::string& full) {
    auto defaults = detail::load_default_grants(conn);
    RETURN_IF_ERROR(defaults);
    auto id = store::RepoGroups(conn).create(
        {full, request.parent_id, request.description, actor.user_id.value_or(0)});
    RETURN_IF_ERROR(id);
    store::Grants grants(conn);
    RETURN_IF_ERROR(grants.set(store::GrantObject::repo_group, *id, store::Grantee::user,
                               defaults->user_id, defaults->group_perm));
    if (request.copy_permissions && request.parent_id)
        RETURN_IF_ERROR(copy_parent_grants(conn, *request.parent_id, *id));
    if (!actor.admin)
        RETURN_IF_ERROR(grants.set(store::GrantObject::repo_group, *id, store::Grantee::user,
                                   *actor.user_id, "group.admin"));
    return id;
}

// Renames the groups and repositories below `old_name` to lie below `full` (the group
// `group_id` itself is renamed already).
Status rename_subtree(store::RepoGroups& groups, int64_t group_id, const std::string& old_name,
                      const std::string& full) {
    const auto renamed = [&](const std::string& name) {
        return full + name.substr(old_name.size());
    };
    auto all = groups.all();
    RETURN_IF_ERROR(all);
    for (const auto& g : *all)
        if (g.group_id != group_id && inside(g.group_name, old_name))
            RETURN_IF_ERROR(groups.set_name(g.group_id, renamed(g.group_name)));
    auto repos = groups.repository_places();
    RETURN_IF_ERROR(repos);
    for (const auto& r : *repos)
        if (inside(r.repo_name, old_name))
            RETURN_IF_ERROR(groups.set_repository_name(r.repo_id, renamed(r.repo_name)));
    return ok();
}

}  // namespace

Result<std::vector<RepoGroupItem>> list_repo_groups(App& app, const AuthUser& actor) {
    std::vector<store::RepoGroupRow> all;
    std::vector<RepoGroupItem> out;
    {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        store::RepoGroups groups(*conn);
        auto rows = groups.all();
        RETURN_IF_ERROR(rows);
        for (auto& row : *rows) {
            auto counts = groups.count_children(row.group_id);
            RETURN_IF_ERROR(counts);
            out.push_back({row.group_id, std::move(row.group_name), std::move(row.description),
                           counts->repositories, counts->groups, actor.admin});
        }
    }
    if (actor.admin)
        return out;
    std::vector<RepoGroupItem> visible;
    for (auto& item : out) {
        auto level = repo_group_level(app, actor, item.group_id);
        RETURN_IF_ERROR(level);
        if (!perm::at_least(*level, perm::Level::read))
            continue;
        item.can_admin = *level == perm::Level::admin;
        visible.push_back(std::move(item));
    }
    return visible;
}

Result<RepoGroupForm> repo_group_form(App& app, const AuthUser& actor,
                                      std::optional<int64_t> parent,
                                      std::optional<int64_t> exclude) {
    if (!actor.authenticated())
        return fail(Errc::forbidden, "You need to log in to create repository groups");
    auto rows =
        with_connection(app, [](db::Connection& conn) { return store::RepoGroups(conn).all(); });
    RETURN_IF_ERROR(rows);
    auto& all = *rows;
    std::string excluded;
    for (const auto& g : all)
        if (exclude && g.group_id == *exclude)
            excluded = g.group_name;
    RepoGroupForm form;
    form.top_level_allowed = actor.admin;
    for (auto& g : all) {
        if (!excluded.empty() && inside(g.group_name, excluded))
            continue;
        bool allowed = actor.admin;
        if (!allowed) {
            auto level = repo_group_level(app, actor, g.group_id);
            RETURN_IF_ERROR(level);
            allowed = *level == perm::Level::admin;
        }
        if (allowed)
            form.parents.push_back({g.group_id, std::move(g.group_name)});
    }
    if (!form.top_level_allowed && form.parents.empty())
        return fail(Errc::forbidden, "You may not create repository groups");
    if (parent) {
        bool offered = false;
        for (const auto& g : form.parents)
            offered = offered || g.group_id == *parent;
        if (!offered)
            return fail(Errc::forbidden, "You may not create repository groups in that group");
        form.parent = parent;
    }
    return form;
}

Result<RepoGroupRef> create_repo_group(App& app, const AuthUser& actor,
                                       const NewRepoGroupRequest& request) {
    if (!actor.authenticated())
        return fail(Errc::forbidden, "You need to log in to create repository groups");
    RETURN_IF_ERROR(check_parent_allowed(app, actor, request.parent_id, Placement::create));
    auto root_text = repository_root(app);
    RETURN_IF_ERROR(root_text);
    const fs::path root = *root_text;

    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    auto parent = parent_name(*conn, request.parent_id);
    RETURN_IF_ERROR(parent);
    const std::string full = join(*parent, request.name);
    RETURN_IF_ERROR(check_group_name(*conn, root, request.name, full, std::nullopt));
    auto id = write_new_group(*conn, actor, request, full);
    RETURN_IF_ERROR(id);

    std::error_code ec;
    const fs::path dir = root / full;
    if (!fs::create_directory(dir, ec) || ec)
        return fail(Errc::io, "The repository group directory could not be created",
                    fmt::format("mkdir {}: {}", dir.string(), ec.message()));
    if (auto st = tx->commit(); !st) {
        fs::remove(dir, ec);
        return fail(std::move(st.error()));
    }
    log::info("repository group {} created by {}", full, actor.username);
    return RepoGroupRef{*id, full};
}

Result<RepoGroupSettings> repo_group_settings(App& app, std::string_view group_name) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto row = store::RepoGroups(*conn).by_name(group_name);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository group not found");
    RepoGroupSettings out;
    out.group_id = (*row)->group_id;
    out.name = (*row)->group_name;
    out.just_name = std::string(last_segment(out.name));
    out.parent_id = (*row)->parent_id;
    out.description = (*row)->description;
    return out;
}

Result<std::string> update_repo_group(App& app, const AuthUser& actor, int64_t group_id,
                                      const RepoGroupChange& change) {
    auto root_text = repository_root(app);
    RETURN_IF_ERROR(root_text);
    const fs::path root = *root_text;
    auto found = with_connection(
        app, [&](db::Connection& conn) { return store::RepoGroups(conn).by_id(group_id); });
    RETURN_IF_ERROR(found);
    auto& current = *found;
    if (!current)
        return fail(Errc::not_found, "Repository group not found");
    if (change.parent_id != current->parent_id)
        RETURN_IF_ERROR(check_parent_allowed(app, actor, change.parent_id, Placement::move));

    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    store::RepoGroups groups(*conn);
    auto parent = parent_name(*conn, change.parent_id);
    RETURN_IF_ERROR(parent);
    const std::string old_name = current->group_name;
    const std::string full = join(*parent, change.name);
    if (!parent->empty() && inside(*parent, old_name))
        return fail_field(Errc::invalid_argument, "parent_group_id",
                          "A repository group cannot be moved into itself");
    RETURN_IF_ERROR(check_group_name(*conn, root, change.name, full, group_id));
    RETURN_IF_ERROR(groups.update(group_id, full, change.parent_id, change.description));
    const bool moved = full != old_name;
    if (moved)
        RETURN_IF_ERROR(rename_subtree(groups, group_id, old_name, full));
    std::error_code ec;
    const fs::path from = root / old_name, to = root / full;
    const bool move_dir = moved && fs::exists(fs::symlink_status(from, ec));
    if (moved && !move_dir)
        fs::create_directories(to, ec);
    RETURN_IF_ERROR(commit_with_move(*tx, move_dir, from, to,
                                     "The repository group directory could not be moved"));
    if (moved)
        log::info("repository group {} renamed to {} by {}", old_name, full, actor.username);
    return full;
}

Result<std::string> delete_repo_group(App& app, const AuthUser& actor, int64_t group_id) {
    auto root_text = repository_root(app);
    RETURN_IF_ERROR(root_text);
    const fs::path root = *root_text;
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    store::RepoGroups groups(*conn);
    auto row = groups.by_id(group_id);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository group not found");
    const std::string name = (*row)->group_name;
    auto counts = groups.count_children(group_id);
    RETURN_IF_ERROR(counts);
    if (counts->repositories > 0 || counts->groups > 0)
        return fail(Errc::conflict,
                    fmt::format("This group contains {} repositories and {} groups; it cannot be "
                                "deleted",
                                counts->repositories, counts->groups));
    RETURN_IF_ERROR(groups.remove(group_id));

    // Kallithea: rm__<YYYYmmdd_HHMMSS_ffffff>_GROUP_<name> in the repository root.
    const std::string segment(last_segment(name));
    const std::string stamped =
        removed_backup_name(segment, std::chrono::system_clock::now());  // rm__<ts>__<segment>
    const std::string backup = stamped.substr(0, 4 + 22) + "_GROUP_" + segment;
    std::error_code ec;
    const fs::path from = root / name, to = root / backup;
    const bool move_dir = fs::exists(fs::symlink_status(from, ec));
    if (auto st = commit_with_move(*tx, move_dir, from, to,
                                   "The repository group directory could not be moved aside");
        !st)
        return fail(std::move(st.error()));
    log::info("repository group {} deleted by {}", name, actor.username);
    return name;
}

}  // namespace kallithea::service
