// Implementation of service/permissions/permissions.hpp.
#include "service/permissions/permissions.hpp"

#include "db/pool.hpp"
#include "perm/global_permissions.hpp"
#include "perm/group_permission.hpp"
#include "perm/ip_whitelist.hpp"
#include "service/transaction.hpp"
#include "store/permissions/grants.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/user_groups/user_groups.hpp"
#include "store/users/user_extras.hpp"

namespace kallithea::service {
namespace {

using store::Grantee;
using store::GrantObject;

// The facts of the group-like model for one object.
Result<perm::Level> object_level(App& app, const AuthUser& user, GrantObject object,
                                 int64_t object_id) {
    if (user.admin)
        return perm::Level::admin;
    auto def = app.default_user();
    RETURN_IF_ERROR(def);
    if (user.nobody() || !def->user_id)
        return perm::Level::none;
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Grants grants(*conn);
    const perm::Kind kind = object == GrantObject::repository   ? perm::Kind::repository
                            : object == GrantObject::repo_group ? perm::Kind::group
                                                                : perm::Kind::usergroup;
    perm::GroupFacts facts;
    auto default_row = grants.held(object, object_id, Grantee::user, def->user_id);
    RETURN_IF_ERROR(default_row);
    if (*default_row)
        facts.default_grant = perm::parse_level(kind, **default_row);
    if (user.authenticated()) {
        auto own = grants.held(object, object_id, Grantee::user, *user.user_id);
        RETURN_IF_ERROR(own);
        if (*own)
            facts.user_grant = perm::parse_level(kind, **own);
        auto via_groups = grants.via_active_groups(object, object_id, *user.user_id);
        RETURN_IF_ERROR(via_groups);
        for (const auto& name : *via_groups)
            if (auto level = perm::parse_level(kind, name))
                facts.group_grants.push_back(*level);
    }
    return perm::effective_group_level(facts);
}

}  // namespace

Result<std::set<std::string>> global_permissions(App& app, const AuthUser& user) {
    perm::GlobalFacts facts;
    facts.user_is_admin = user.admin;
    if (!user.admin) {
        auto def = app.default_user();
        RETURN_IF_ERROR(def);
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        store::Grants grants(*conn);
        if (def->user_id) {
            auto rows = grants.global(Grantee::user, def->user_id);
            RETURN_IF_ERROR(rows);
            facts.default_grants = std::move(*rows);
        }
        if (user.authenticated()) {
            auto own = grants.global(Grantee::user, *user.user_id);
            RETURN_IF_ERROR(own);
            facts.user_grants = std::move(*own);
            auto via = grants.global_via_active_groups(*user.user_id);
            RETURN_IF_ERROR(via);
            facts.group_grants = std::move(*via);
        }
    }
    return perm::effective_global_permissions(facts);
}

Result<bool> has_global_permission(App& app, const AuthUser& user, std::string_view permission) {
    if (user.admin)
        return true;
    auto perms = global_permissions(app, user);
    RETURN_IF_ERROR(perms);
    return perms->count(std::string(permission)) > 0;
}

Result<perm::Level> repo_group_level(App& app, const AuthUser& user, int64_t group_id) {
    return object_level(app, user, GrantObject::repo_group, group_id);
}

Result<perm::Level> user_group_level(App& app, const AuthUser& user, int64_t user_group_id) {
    return object_level(app, user, GrantObject::user_group, user_group_id);
}

Result<RepoGroupInfo> authorize_repo_group(App& app, const AuthUser& user,
                                           std::string_view group_name, perm::Level need) {
    auto found = with_connection(
        app, [&](db::Connection& conn) { return store::RepoGroups(conn).by_name(group_name); });
    RETURN_IF_ERROR(found);
    auto& row = *found;
    if (!row)
        return fail(Errc::not_found, "Repository group not found");
    auto level = repo_group_level(app, user, row->group_id);
    RETURN_IF_ERROR(level);
    if (!perm::at_least(*level, perm::Level::read))
        return fail(Errc::not_found, "Repository group not found");
    if (!perm::at_least(*level, need))
        return fail(Errc::forbidden, "Permission denied");
    return RepoGroupInfo{row->group_id,  std::move(row->group_name),
                         row->parent_id, std::move(row->description),
                         row->owner_id,  *level};
}

Status authorize_user_group(App& app, const AuthUser& user, int64_t user_group_id,
                            perm::Level need) {
    {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        auto exists = store::UserGroups(*conn).by_id(user_group_id);
        RETURN_IF_ERROR(exists);
        if (!*exists)
            return fail(Errc::not_found, "User group not found");
    }
    auto level = user_group_level(app, user, user_group_id);
    RETURN_IF_ERROR(level);
    if (!perm::at_least(*level, perm::Level::read))
        return fail(Errc::not_found, "User group not found");
    if (!perm::at_least(*level, need))
        return fail(Errc::forbidden, "Permission denied");
    return ok();
}

Result<bool> ip_allowed(App& app, std::optional<int64_t> user_id, std::string_view client_ip) {
    auto def = app.default_user();
    RETURN_IF_ERROR(def);
    std::vector<std::string> networks = def->ip_whitelist;
    if (user_id && *user_id != def->user_id) {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        auto own = store::UserIps(*conn).active_networks(*user_id);
        RETURN_IF_ERROR(own);
        networks.insert(networks.end(), own->begin(), own->end());
    }
    return perm::ip_allowed(client_ip, networks);
}

}  // namespace kallithea::service
