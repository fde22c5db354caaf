// The permission editors' use cases (service/permissions/grant_admin.hpp).
#include "service/permissions/grant_admin.hpp"

#include <fmt/format.h>

#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "perm/apply_to_children.hpp"
#include "perm/group_permission.hpp"
#include "perm/levels.hpp"
#include "store/permissions/grants.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/repositories.hpp"
#include "store/user_groups/user_groups.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

store::GrantObject to_store(GrantTarget target) {
    switch (target) {
        case GrantTarget::repository:
            return store::GrantObject::repository;
        case GrantTarget::repo_group:
            return store::GrantObject::repo_group;
        case GrantTarget::user_group:
            return store::GrantObject::user_group;
    }
    return store::GrantObject::repository;
}

store::Grantee to_store(GranteeKind kind) {
    return kind == GranteeKind::user ? store::Grantee::user : store::Grantee::user_group;
}

perm::Kind perm_kind(GrantTarget target) {
    return target == GrantTarget::repository   ? perm::Kind::repository
           : target == GrantTarget::repo_group ? perm::Kind::group
                                               : perm::Kind::usergroup;
}

Result<int64_t> default_user_id(db::Connection& conn) {
    auto user = store::Users(conn).by_username("default");
    RETURN_IF_ERROR(user);
    if (!*user)
        return fail(Errc::config, "the `default` user is missing: the database is incomplete");
    return (*user)->user_id;
}

Result<bool> object_exists(db::Connection& conn, GrantTarget target, int64_t id) {
    switch (target) {
        case GrantTarget::repository: {
            auto row = store::Repositories(conn).by_id(id);
            RETURN_IF_ERROR(row);
            return row->has_value();
        }
        case GrantTarget::repo_group: {
            auto row = store::RepoGroups(conn).by_id(id);
            RETURN_IF_ERROR(row);
            return row->has_value();
        }
        case GrantTarget::user_group: {
            auto row = store::UserGroups(conn).by_id(id);
            RETURN_IF_ERROR(row);
            return row->has_value();
        }
    }
    return false;
}

// What every editor call starts with: Errc::not_found "Not found" unless the object exists, else
// the `default` user's id.
Result<int64_t> editor_default_id(db::Connection& conn, GrantTarget target, int64_t object_id) {
    auto exists = object_exists(conn, target, object_id);
    RETURN_IF_ERROR(exists);
    if (!*exists)
        return fail(Errc::not_found, "Not found");
    return default_user_id(conn);
}

// The actor's level on a user group, from the rows on this connection (inside the transaction).
Result<perm::Level> usergroup_level(db::Connection& conn, const AuthUser& actor, int64_t default_id,
                                    int64_t users_group_id) {
    if (actor.admin)
        return perm::Level::admin;
    store::Grants grants(conn);
    const auto object = store::GrantObject::user_group;
    perm::GroupFacts facts;
    auto def = grants.held(object, users_group_id, store::Grantee::user, default_id);
    RETURN_IF_ERROR(def);
    if (*def)
        facts.default_grant = perm::parse_level(perm::Kind::usergroup, **def);
    if (actor.authenticated()) {
        auto own = grants.held(object, users_group_id, store::Grantee::user, *actor.user_id);
        RETURN_IF_ERROR(own);
        if (*own)
            facts.user_grant = perm::parse_level(perm::Kind::usergroup, **own);
        auto via = grants.via_active_groups(object, users_group_id, *actor.user_id);
        RETURN_IF_ERROR(via);
        for (const auto& name : *via)
            if (auto level = perm::parse_level(perm::Kind::usergroup, name))
                facts.group_grants.push_back(*level);
    }
    return perm::effective_group_level(facts);
}

// A change with its grantee resolved to an id.
struct Resolved {
    store::Grantee grantee = store::Grantee::user;
    int64_t id = 0;
    bool is_default = false;
    std::optional<perm::Level> level;  // nullopt: revoke
};

// A grantee as found: its id and its stored name.
struct GranteeRef {
    int64_t id = 0;
    std::string name;
};

// The one grantee lookup of the editors: by id for an existing row, else by exact name.
// Errc::invalid_argument "That user does not exist" / "User X does not exist" (and the same for
// user groups) when there is none.
Result<GranteeRef> find_grantee(db::Connection& conn, const GrantChange& change) {
    std::optional<GranteeRef> found;
    if (change.kind == GranteeKind::user) {
        auto user = change.id ? store::Users(conn).by_id(*change.id)
                              : store::Users(conn).by_username(change.name);
        RETURN_IF_ERROR(user);
        if (*user)
            found = GranteeRef{(*user)->user_id, (*user)->username};
    } else {
        auto group = change.id ? store::UserGroups(conn).by_id(*change.id)
                               : store::UserGroups(conn).by_exact_name(change.name);
        RETURN_IF_ERROR(group);
        if (*group)
            found = GranteeRef{(*group)->users_group_id, (*group)->name};
    }
    if (found)
        return std::move(*found);
    const bool user = change.kind == GranteeKind::user;
    return fail(
        Errc::invalid_argument,
        change.id ? fmt::format("That {} does not exist", user ? "user" : "user group")
                  : fmt::format("{} {} does not exist", user ? "User" : "User group", change.name));
}

Result<Resolved> resolve(db::Connection& conn, const AuthUser& actor, GrantTarget target,
                         int64_t object_id, int64_t default_id, const GrantChange& change) {
    Resolved out;
    out.grantee = to_store(change.kind);
    auto grantee = find_grantee(conn, change);
    RETURN_IF_ERROR(grantee);
    out.id = grantee->id;
    const std::string& label = grantee->name;
    out.is_default = change.kind == GranteeKind::user && out.id == default_id;
    if (change.revoke) {
        if (out.is_default)
            return fail(Errc::invalid_argument,
                        "The default user's permission cannot be revoked; set it to none instead");
        return out;
    }
    out.level = perm::parse_level(perm_kind(target), change.permission);
    if (!out.level)
        return fail(Errc::invalid_argument,
                    fmt::format("Invalid permission {} for {}", change.permission, label));
    if (change.kind == GranteeKind::user_group && !actor.admin) {
        // Only a new or changed grant needs the right to use the group.
        auto held = store::Grants(conn).held(to_store(target), object_id, out.grantee, out.id);
        RETURN_IF_ERROR(held);
        if (!*held || **held != change.permission) {
            auto level = usergroup_level(conn, actor, default_id, out.id);
            RETURN_IF_ERROR(level);
            if (!perm::at_least(*level, perm::Level::read))
                return fail(Errc::invalid_argument,
                            fmt::format("User group {} does not exist",
                                        change.name.empty() ? label : change.name));
        }
    }
    return out;
}

// Writes one resolved change on a repository group and, per `apply`, its descendants.
Status write_group_change(db::Connection& conn, int64_t group_id, const Resolved& change,
                          perm::ApplyTo apply, const std::vector<perm::GroupNode>& groups,
                          const std::vector<perm::RepoNode>& repos) {
    store::Grants grants(conn);
    const auto planned = perm::plan_group_grant(group_id, change.level.value_or(perm::Level::none),
                                                apply, change.is_default, groups, repos);
    for (const auto& write : planned) {
        const auto object = write.target == perm::PermissionWrite::Target::group
                                ? store::GrantObject::repo_group
                                : store::GrantObject::repository;
        Status st = change.level
                        ? grants.set(object, write.id, change.grantee, change.id, write.permission)
                        : grants.revoke(object, write.id, change.grantee, change.id);
        if (!st)
            return st;
    }
    return ok();
}

}  // namespace

std::string_view grant_prefix(GrantTarget target) {
    return store::permission_prefix(to_store(target));
}

Result<std::vector<GrantEntry>> list_grants(App& app, GrantTarget target, int64_t object_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto default_id = editor_default_id(*conn, target, object_id);
    RETURN_IF_ERROR(default_id);
    auto rows = store::Grants(*conn).on(to_store(target), object_id);
    RETURN_IF_ERROR(rows);
    std::vector<GrantEntry> out;
    for (const auto& row : *rows) {
        GrantEntry entry;
        entry.kind =
            row.grantee == store::Grantee::user ? GranteeKind::user : GranteeKind::user_group;
        entry.id = row.grantee_id;
        entry.name = row.grantee_name;
        entry.active = row.grantee_active;
        entry.is_default = entry.kind == GranteeKind::user && entry.id == *default_id;
        entry.permission = row.permission;
        if (entry.is_default)
            out.insert(out.begin(), std::move(entry));
        else
            out.push_back(std::move(entry));
    }
    return out;
}

Status apply_grant_changes(App& app, const AuthUser& actor, GrantTarget target, int64_t object_id,
                           const std::vector<GrantChange>& changes, perm::ApplyTo apply) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    auto default_id = editor_default_id(*conn, target, object_id);
    RETURN_IF_ERROR(default_id);

    std::vector<Resolved> resolved;
    for (const auto& change : changes) {
        auto one = resolve(*conn, actor, target, object_id, *default_id, change);
        RETURN_IF_ERROR(one);
        resolved.push_back(*one);
    }

    if (target == GrantTarget::repo_group) {
        std::vector<perm::GroupNode> groups;
        std::vector<perm::RepoNode> repos;
        if (apply != perm::ApplyTo::none) {
            store::RepoGroups store_groups(*conn);
            auto all = store_groups.all();
            RETURN_IF_ERROR(all);
            for (const auto& g : *all)
                groups.push_back({g.group_id, g.parent_id});
            auto places = store_groups.repository_places();
            RETURN_IF_ERROR(places);
            for (const auto& r : *places)
                repos.push_back({r.repo_id, r.group_id, r.is_private});
        }
        for (const auto& change : resolved)
            if (auto st = write_group_change(*conn, object_id, change, apply, groups, repos); !st)
                return st;
    } else {
        store::Grants grants(*conn);
        for (const auto& change : resolved) {
            Status st = change.level
                            ? grants.set(to_store(target), object_id, change.grantee, change.id,
                                         perm::level_name(perm_kind(target), *change.level))
                            : grants.revoke(to_store(target), object_id, change.grantee, change.id);
            if (!st)
                return st;
        }
    }
    return tx->commit();
}

Result<std::string> user_group_name(App& app, int64_t users_group_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto group = store::UserGroups(*conn).by_id(users_group_id);
    RETURN_IF_ERROR(group);
    if (!*group)
        return fail(Errc::not_found, "User group not found");
    return (*group)->name;
}

}  // namespace kallithea::service
