// A repository's settings pages (service/repos/repo_settings.hpp).
#include "service/repos/repo_settings.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/text.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/permissions/listing_permissions.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "service/repos/repo_creation.hpp"
#include "service/repos/repo_names.hpp"
#include "service/transaction.hpp"
#include "store/permissions/grants.hpp"
#include "store/permissions/visibility.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/journal.hpp"
#include "store/repos/repo_updates.hpp"
#include "store/repos/repositories.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

namespace fs = std::filesystem;

// Groups the actor may put repositories in (admin: all; others group.write), and whether the
// top level is allowed.
Status movable_targets(App& app, const AuthUser& actor, std::vector<GroupChoice>& groups,
                       bool& top_level) {
    auto rows =
        with_connection(app, [](db::Connection& conn) { return store::RepoGroups(conn).all(); });
    RETURN_IF_ERROR(rows);
    auto& all = *rows;
    for (auto& group : all) {
        bool allowed = actor.admin;
        if (!allowed) {
            auto level = repo_group_level(app, actor, group.group_id);
            RETURN_IF_ERROR(level);
            allowed = perm::at_least(*level, perm::Level::write);
        }
        if (allowed)
            groups.push_back({group.group_id, std::move(group.group_name)});
    }
    auto create = has_global_permission(app, actor, "hg.create.repository");
    RETURN_IF_ERROR(create);
    top_level = *create;
    return ok();
}

// The stored values of the repository `repo_id` (name, description, flags, owner, the repository
// it is a fork of); its own group is added to `out.groups` when the actor could not move it there.
Status load_settings(db::Connection& conn, int64_t repo_id, RepoSettingsData& out) {
    store::Repositories repos(conn);
    auto row = repos.by_id(repo_id);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository not found");
    const store::RepoRow& r = **row;
    out.repo_id = r.repo_id;
    out.name = r.repo_name;
    out.just_name = std::string(last_segment(r.repo_name));
    out.group_id = r.group_id;
    out.description = r.description;
    out.is_private = r.is_private;
    out.landing_rev = r.landing_revision;
    out.downloads = r.downloads;
    auto owner = store::Users(conn).by_id(r.owner_id);
    RETURN_IF_ERROR(owner);
    if (*owner)
        out.owner = (*owner)->username;
    if (r.fork_id) {
        auto parent = repos.by_id(*r.fork_id);
        RETURN_IF_ERROR(parent);
        if (*parent)
            out.fork_of = (*parent)->repo_name;
    }
    if (r.group_id) {
        bool listed = false;
        for (const auto& g : out.groups)
            listed = listed || g.group_id == *r.group_id;
        if (!listed)
            if (auto group = store::RepoGroups(conn).by_id(*r.group_id); group && *group)
                out.groups.push_back({(*group)->group_id, (*group)->group_name});
    }
    return ok();
}

// The repositories other than `repo` the actor may read that have its type, by name: every
// repository and the grant rows bearing on the actor in a constant number of queries.
Result<std::vector<std::string>> fork_choices(App& app, const AuthUser& actor,
                                              const RepoInfo& repo) {
    // Before taking a connection: the cached `default` user may need one of its own.
    auto def = app.default_user();
    RETURN_IF_ERROR(def);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto rows = store::Repositories(*conn).listing(std::nullopt);
    RETURN_IF_ERROR(rows);
    detail::GrantsByObject grants;
    if (!actor.admin) {
        std::optional<int64_t> own_id;
        if (actor.authenticated())
            own_id = actor.user_id;
        auto listed = store::Visibility(*conn).all_repository_grants(def->user_id, own_id);
        RETURN_IF_ERROR(listed);
        grants = detail::fold_grants(*listed, perm::Kind::repository);
    }
    std::unordered_set<std::string> readable;
    for (auto& row : *rows) {
        if (row.repo_id == repo.repo_id || row.repo_type != repo.type)
            continue;
        const perm::Level level = detail::repository_level(actor, row.owner_id, row.is_private,
                                                           detail::grants_of(grants, row.repo_id));
        if (perm::at_least(level, perm::Level::read))
            readable.insert(std::move(row.repo_name));
    }
    // In the database's name order (its collation), as the list always was.
    auto names = store::Repositories(*conn).all_names();
    RETURN_IF_ERROR(names);
    std::vector<std::string> out;
    for (auto& name : *names)
        if (readable.count(name))
            out.push_back(std::move(name));
    return out;
}

// "rev:tip", the repository's branches and tags, and `current` when it is none of these.
std::vector<std::string> landing_choices(const RepoInfo& repo, const std::string& current) {
    std::vector<std::string> out{"rev:tip"};
    if (auto opened = open_repository(repo)) {
        if (auto refs = (*opened)->refs()) {
            for (const auto& ref : *refs) {
                if (ref.kind == vcs::RefKind::branch)
                    out.push_back("branch:" + ref.name);
                else if (ref.kind == vcs::RefKind::tag)
                    out.push_back("tag:" + ref.name);
            }
        }
    }
    if (std::find(out.begin(), out.end(), current) == out.end())
        out.push_back(current);
    return out;
}

// The full name the change asks for, after checking the target group exists, the actor may move
// the repository there (`targets`, `top_level`) and the name is well formed.
Result<std::string> target_name(db::Connection& conn, const RepoSettingsChange& change,
                                const store::RepoRow& current,
                                const std::vector<GroupChoice>& targets, bool top_level) {
    std::string full = change.name;
    if (change.group_id) {
        auto group = store::RepoGroups(conn).by_id(*change.group_id);
        RETURN_IF_ERROR(group);
        if (!*group)
            return fail_field(Errc::invalid_argument, "repo_group",
                              "The repository group does not exist");
        full = (*group)->group_name + "/" + change.name;
    }
    if (change.group_id != current.group_id) {
        bool allowed = !change.group_id ? top_level : false;
        for (const auto& t : targets)
            allowed = allowed || (change.group_id && t.group_id == *change.group_id);
        if (!allowed)
            return fail_field(Errc::invalid_argument, "repo_group",
                              change.group_id
                                  ? "You may not create repositories in that repository group"
                                  : "You may not create top-level repositories");
    }
    if (change.name.find('/') != std::string::npos)
        return fail_field(Errc::invalid_argument, "repo_name",
                          "The name may not contain '/'; choose a repository group instead");
    if (auto st = check_repo_path(full); !st)
        return fail_field("repo_name", std::move(st.error()));
    return full;
}

// Errc::conflict on "repo_name" when another repository, a group or (for a new name, not only a
// new case) a directory in the repository root has the name `full`.
Status check_name_free(db::Connection& conn, const fs::path& root, const std::string& full,
                       const store::RepoRow& current) {
    auto other = store::Repositories(conn).by_name_ci(full);
    RETURN_IF_ERROR(other);
    if (*other && (*other)->repo_id != current.repo_id)
        return fail_field(Errc::conflict, "repo_name",
                          fmt::format("Repository named {} already exists", (*other)->repo_name));
    auto group = store::RepoGroups(conn).by_name_ci(full);
    RETURN_IF_ERROR(group);
    if (*group)
        return fail_field(
            Errc::conflict, "repo_name",
            fmt::format("Repository group with name \"{}\" already exists", (*group)->group_name));
    std::error_code ec;
    if (text::ascii_lower(full) != text::ascii_lower(current.repo_name) &&
        fs::exists(fs::symlink_status(root / full, ec)))
        return fail_field(Errc::conflict, "repo_name",
                          fmt::format("A directory named {} already exists in the "
                                      "repository root",
                                      full));
    return ok();
}

// The new owner's user id; invalid_argument on "owner" for an unknown user or `default`.
Result<int64_t> new_owner_id(db::Connection& conn, const std::string& username) {
    auto owner = store::Users(conn).by_username(username);
    RETURN_IF_ERROR(owner);
    if (!*owner || (*owner)->username == "default")
        return fail_field(Errc::invalid_argument, "owner",
                          fmt::format("User {} does not exist", username));
    return (*owner)->user_id;
}

// Writes the settings row, the `default` user's row when privacy changes, and the journal entry.
Status write_settings(db::Connection& conn, const AuthUser& actor, const store::RepoRow& current,
                      const RepoSettingsChange& change, const std::string& full, int64_t owner_id,
                      std::string_view client_ip) {
    store::RepoSettingsRow update{
        full,     change.group_id, change.description, change.is_private, change.landing_rev,
        owner_id, change.downloads};
    RETURN_IF_ERROR(store::RepoUpdates(conn).update_settings(current.repo_id, update));
    if (change.is_private != current.is_private) {
        auto defaults = detail::load_default_grants(conn);
        RETURN_IF_ERROR(defaults);
        const std::string perm = change.is_private ? "repository.none" : defaults->repo_perm;
        RETURN_IF_ERROR(store::Grants(conn).set(store::GrantObject::repository, current.repo_id,
                                                store::Grantee::user, defaults->user_id, perm));
    }
    store::JournalEntry entry{actor.user_id, actor.username,         current.repo_id,
                              full,          std::string(client_ip), "user_updated_repo"};
    return store::Journal(conn).add(entry);
}

}  // namespace

Result<RepoSettingsData> repo_settings(App& app, const AuthUser& actor, std::string_view name) {
    auto info = authorize_repository(app, actor, name, perm::Level::admin);
    RETURN_IF_ERROR(info);
    RepoSettingsData out;
    RETURN_IF_ERROR(movable_targets(app, actor, out.groups, out.top_level_allowed));
    {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        RETURN_IF_ERROR(load_settings(*conn, info->repo_id, out));
    }
    auto forks = fork_choices(app, actor, *info);
    RETURN_IF_ERROR(forks);
    out.fork_choices = std::move(*forks);
    out.landing_choices = landing_choices(*info, out.landing_rev);
    return out;
}

Result<std::string> update_repo_settings(App& app, const AuthUser& actor, std::string_view name,
                                         const RepoSettingsChange& change,
                                         std::string_view client_ip) {
    auto info = authorize_repository(app, actor, name, perm::Level::admin);
    RETURN_IF_ERROR(info);
    std::vector<GroupChoice> targets;
    bool top_level = false;
    RETURN_IF_ERROR(movable_targets(app, actor, targets, top_level));
    auto root = repository_root(app);
    RETURN_IF_ERROR(root);

    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    auto row = store::Repositories(*conn).by_id(info->repo_id);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository not found");
    const store::RepoRow current = **row;

    auto full = target_name(*conn, change, current, targets, top_level);
    RETURN_IF_ERROR(full);
    const bool moved = *full != current.repo_name;
    if (moved)
        RETURN_IF_ERROR(check_name_free(*conn, *root, *full, current));
    if (auto st = check_landing_rev(change.landing_rev); !st)
        return fail_field("repo_landing_rev", std::move(st.error()));
    auto owner_id = new_owner_id(*conn, change.owner);
    RETURN_IF_ERROR(owner_id);
    RETURN_IF_ERROR(write_settings(*conn, actor, current, change, *full, *owner_id, client_ip));

    const fs::path from = fs::path(*root) / current.repo_name;
    const fs::path to = fs::path(*root) / *full;
    RETURN_IF_ERROR(
        commit_with_move(*tx, moved, from, to, "The repository directory could not be moved"));
    if (moved)
        log::info("repository {} renamed to {} by {}", current.repo_name, *full, actor.username);
    return *full;
}

Status set_repo_fork_of(App& app, const AuthUser& actor, std::string_view name,
                        const std::optional<std::string>& fork_of) {
    auto info = authorize_repository(app, actor, name, perm::Level::admin);
    RETURN_IF_ERROR(info);
    std::optional<int64_t> fork_id;
    if (fork_of && !fork_of->empty()) {
        auto target = authorize_repository(app, actor, *fork_of, perm::Level::read);
        if (!target) {
            if (target.error().code == Errc::not_found || target.error().code == Errc::forbidden)
                return fail(Errc::invalid_argument,
                            fmt::format("Repository {} does not exist", *fork_of));
            return fail(std::move(target.error()));
        }
        if (target->repo_id == info->repo_id)
            return fail(Errc::invalid_argument, "A repository cannot be a fork of itself");
        if (target->type != info->type)
            return fail(Errc::invalid_argument,
                        "A repository can only be a fork of a repository of the same type");
        fork_id = target->repo_id;
    }
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::RepoUpdates(*conn).set_fork(info->repo_id, fork_id);
}

}  // namespace kallithea::service
