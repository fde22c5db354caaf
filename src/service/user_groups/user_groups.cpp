// Implementation of service/user_groups/user_groups.hpp.
#include "service/user_groups/user_groups.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "perm/levels.hpp"
#include "service/permissions/permissions.hpp"
#include "service/transaction.hpp"
#include "store/permissions/grants.hpp"
#include "store/repos/journal.hpp"
#include "store/user_groups/user_groups.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

using store::Grantee;
using store::GrantObject;

// Letters, digits, spaces, '_', '-' and '.'; bytes of multi-byte UTF-8 letters pass too.
Status check_form(const UserGroupForm& form) {
    const std::string& name = form.name;
    if (name.empty())
        return fail_field(Errc::invalid_argument, "users_group_name",
                          "Please enter a user group name");
    if (name.size() > 255)
        return fail_field(Errc::invalid_argument, "users_group_name",
                          "The user group name must be at most 255 characters long");
    if (name.find('/') != std::string::npos)
        return fail_field(Errc::invalid_argument, "users_group_name",
                          "A user group name may not contain '/'");
    for (unsigned char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == ' ' || c == '_' || c == '-' ||
                             c == '.' || c >= 0x80;
        if (!allowed)
            return fail_field(Errc::invalid_argument, "users_group_name",
                              "Invalid user group name: use only letters, digits, spaces, '_', "
                              "'-' and '.'");
    }
    if (form.description.size() > 10000)
        return fail_field(Errc::invalid_argument, "user_group_description",
                          "The description must be at most 10000 characters long");
    return ok();
}

UserGroupInfo to_info(store::UserGroupRow row, bool can_admin) {
    UserGroupInfo info;
    info.id = row.users_group_id;
    info.name = std::move(row.name);
    info.description = std::move(row.description);
    info.active = row.active;
    info.owner = std::move(row.owner_name);
    info.created_on = std::move(row.created_on);
    info.member_count = row.member_count;
    info.can_admin = can_admin;
    return info;
}

// The `default` user's global usergroup.* grant: what a new group gives everybody.
Result<std::string> default_usergroup_permission(db::Connection& conn, int64_t default_id) {
    auto globals = store::Grants(conn).global(Grantee::user, default_id);
    RETURN_IF_ERROR(globals);
    for (const std::string& name : *globals) {
        if (name.rfind("usergroup.", 0) == 0)
            return name;
    }
    return std::string("usergroup.read");
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names)
        out += (out.empty() ? "" : ", ") + name;
    return out;
}

// Kallithea's action_logger entry for user-group changes (no repository).
Status journal(db::Connection& conn, const AuthUser& actor, std::string action,
               std::string_view client_ip) {
    store::JournalEntry entry;
    entry.user_id = actor.user_id;
    entry.username = actor.username;
    entry.user_ip = std::string(client_ip);
    entry.action = std::move(action);
    return store::Journal(conn).add(entry);
}

}  // namespace

Result<std::vector<UserGroupInfo>> visible_user_groups(App& app, const AuthUser& user) {
    auto rows =
        with_connection(app, [](db::Connection& conn) { return store::UserGroups(conn).list(); });
    RETURN_IF_ERROR(rows);
    std::vector<UserGroupInfo> out;
    for (auto& row : *rows) {
        auto level = user_group_level(app, user, row.users_group_id);
        RETURN_IF_ERROR(level);
        if (!perm::at_least(*level, perm::Level::read))
            continue;
        out.push_back(to_info(std::move(row), perm::at_least(*level, perm::Level::admin)));
    }
    return out;
}

Result<bool> may_create_user_group(App& app, const AuthUser& user) {
    if (!user.authenticated())
        return false;
    return has_global_permission(app, user, "hg.usergroup.create.true");
}

Result<int64_t> create_user_group(App& app, const AuthUser& actor, const UserGroupForm& form,
                                  std::string_view client_ip) {
    auto allowed = may_create_user_group(app, actor);
    RETURN_IF_ERROR(allowed);
    if (!*allowed)
        return fail(Errc::forbidden, "You may not create user groups");
    UserGroupForm clean = form;
    clean.name = std::string(text::trim(form.name));
    RETURN_IF_ERROR(check_form(clean));
    auto def = app.default_user();
    RETURN_IF_ERROR(def);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    store::NewUserGroup row;
    row.name = clean.name;
    row.description = clean.description;
    row.active = clean.active;
    row.owner_id = *actor.user_id;
    auto id = store::UserGroups(*conn).create(row);
    if (!id && id.error().code == Errc::conflict)
        return fail_field("users_group_name", std::move(id.error()));
    RETURN_IF_ERROR(id);
    store::Grants grants(*conn);
    if (def->user_id) {
        auto level = default_usergroup_permission(*conn, def->user_id);
        RETURN_IF_ERROR(level);
        if (auto st = grants.set(GrantObject::user_group, *id, Grantee::user, def->user_id, *level);
            !st)
            return fail(std::move(st.error()));
    }
    if (auto st = grants.set(GrantObject::user_group, *id, Grantee::user, *actor.user_id,
                             "usergroup.admin");
        !st)
        return fail(std::move(st.error()));
    RETURN_IF_ERROR(journal(*conn, actor, "admin_created_users_group:" + clean.name, client_ip));
    RETURN_IF_ERROR(tx->commit());
    return *id;
}

Result<UserGroupInfo> user_group(App& app, const AuthUser& user, int64_t id) {
    auto found = with_connection(
        app, [&](db::Connection& conn) { return store::UserGroups(conn).by_id(id); });
    RETURN_IF_ERROR(found);
    auto& row = *found;
    if (!row)
        return fail(Errc::not_found, "User group not found");
    auto level = user_group_level(app, user, id);
    RETURN_IF_ERROR(level);
    return to_info(std::move(*row), perm::at_least(*level, perm::Level::admin));
}

Status update_user_group(App& app, const AuthUser& actor, int64_t id, const UserGroupForm& form,
                         std::string_view client_ip) {
    UserGroupForm clean = form;
    clean.name = std::string(text::trim(form.name));
    clean.owner = std::string(text::trim(form.owner));
    RETURN_IF_ERROR(check_form(clean));
    return in_transaction(app, [&](db::Connection& conn) -> Status {
        store::UserGroups groups(conn);
        auto current = groups.by_id(id);
        RETURN_IF_ERROR(current);
        if (!*current)
            return fail(Errc::not_found, "User group not found");
        store::NewUserGroup row;
        row.name = clean.name;
        row.description = clean.description;
        row.active = clean.active;
        row.owner_id = (*current)->owner_id;
        if (!clean.owner.empty()) {
            auto owner = store::Users(conn).by_username(clean.owner);
            RETURN_IF_ERROR(owner);
            if (!*owner || (*owner)->username == "default")
                return fail_field(Errc::invalid_argument, "owner",
                                  fmt::format("No user named {}", clean.owner));
            row.owner_id = (*owner)->user_id;
        }
        if (auto st = groups.update(id, row); !st) {
            if (st.error().code == Errc::conflict)
                return fail_field("users_group_name", std::move(st.error()));
            return st;
        }
        if (auto st = journal(conn, actor, "admin_updated_users_group:" + clean.name, client_ip);
            !st)
            return st;
        return ok();
    });
}

Result<std::vector<UserGroupMemberInfo>> user_group_members(App& app, int64_t id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto rows = store::UserGroups(*conn).members(id);
    RETURN_IF_ERROR(rows);
    std::vector<UserGroupMemberInfo> out;
    for (auto& m : *rows)
        out.push_back(UserGroupMemberInfo{m.user_id, std::move(m.username), std::move(m.firstname),
                                          std::move(m.lastname), m.active});
    return out;
}

Status add_user_group_member(App& app, int64_t id, std::string_view username) {
    const std::string name(text::trim(username));
    if (name.empty())
        return fail(Errc::invalid_argument, "Please enter a username");
    return in_transaction(app, [&](db::Connection& conn) -> Status {
        auto user = store::Users(conn).by_username(name);
        RETURN_IF_ERROR(user);
        if (!*user || (*user)->username == "default")
            return fail(Errc::invalid_argument, fmt::format("No user named {}", name));
        if (auto st = store::UserGroups(conn).add_member(id, (*user)->user_id); !st) {
            if (st.error().code == Errc::conflict)
                return fail(Errc::conflict,
                            fmt::format("{} is already a member of this group", (*user)->username));
            return st;
        }
        return ok();
    });
}

Status remove_user_group_member(App& app, int64_t id, int64_t user_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::UserGroups(*conn).remove_member(id, user_id);
}

Result<UserGroupGlobalGrants> user_group_global_grants(App& app, int64_t id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto names = store::Grants(*conn).global(Grantee::user_group, id);
    RETURN_IF_ERROR(names);
    UserGroupGlobalGrants out;
    for (const auto& name : *names) {
        out.create_repository |= name == "hg.create.repository";
        out.create_user_group |= name == "hg.usergroup.create.true";
        out.fork_repository |= name == "hg.fork.repository";
    }
    return out;
}

Status set_user_group_global_grants(App& app, int64_t id, const UserGroupGlobalGrants& grants) {
    const std::pair<bool, std::pair<std::string_view, std::string_view>> kinds[] = {
        {grants.create_repository, {"hg.create.repository", "hg.create.none"}},
        {grants.create_user_group, {"hg.usergroup.create.true", "hg.usergroup.create.false"}},
        {grants.fork_repository, {"hg.fork.repository", "hg.fork.none"}},
    };
    return in_transaction(app, [&](db::Connection& conn) -> Status {
        store::Grants store_grants(conn);
        for (const auto& [on, names] : kinds)
            if (auto st = store_grants.set_global(Grantee::user_group, id,
                                                  on ? names.first : names.second);
                !st)
                return st;
        return ok();
    });
}

Result<std::string> delete_user_group(App& app, int64_t id, bool force) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    store::UserGroups groups(*conn);
    auto row = groups.by_id(id);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "User group not found");
    if (!force) {
        auto used = groups.usage(id);
        RETURN_IF_ERROR(used);
        if (!used->empty()) {
            std::string where;
            if (!used->repositories.empty())
                where += "repositories " + joined(used->repositories);
            if (!used->repo_groups.empty())
                where += std::string(where.empty() ? "" : "; ") + "repository groups " +
                         joined(used->repo_groups);
            return fail(Errc::conflict,
                        fmt::format("User group {} is still granted permissions on {}. Check "
                                    "\"force\" to delete it together with these permissions.",
                                    (*row)->name, where));
        }
    }
    RETURN_IF_ERROR(groups.remove(id));
    RETURN_IF_ERROR(tx->commit());
    return (*row)->name;
}

}  // namespace kallithea::service
