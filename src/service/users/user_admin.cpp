// Implementation of service/users/user_admin.hpp.
#include "service/users/user_admin.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "auth/password.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "perm/ip_whitelist.hpp"
#include "service/account/auth_user_row.hpp"
#include "service/permissions/permissions.hpp"
#include "service/transaction.hpp"
#include "service/users/users.hpp"
#include "store/permissions/grants.hpp"
#include "store/users/user_extras.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

UserAccount to_account(const store::UserRow& row) {
    UserAccount a;
    a.user_id = row.user_id;
    a.username = row.username;
    a.firstname = row.firstname;
    a.lastname = row.lastname;
    a.email = row.email.value_or("");
    a.active = row.active;
    a.admin = row.admin;
    a.extern_type = row.extern_type.value_or("internal");
    a.extern_name = row.extern_name.value_or("");
    a.api_key = row.api_key;
    a.last_login = row.last_login.value_or("");
    a.created_on = row.created_on;
    a.is_default = row.username == "default";
    return a;
}

std::vector<ObjectRef> to_refs(const std::vector<store::UserObjectRef>& rows) {
    std::vector<ObjectRef> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
        out.push_back({r.id, r.name});
    return out;
}

std::string names_of(const std::vector<ObjectRef>& refs) {
    std::string out;
    for (const auto& r : refs)
        out += (out.empty() ? "" : ", ") + r.name;
    return out;
}

// Fills `account` with the stored row, or fails (not_found for an unknown id).
Status load(store::Users& users, int64_t user_id, store::UserRow& row) {
    auto found = users.by_id(user_id);
    RETURN_IF_ERROR(found);
    if (!*found)
        return fail(Errc::not_found, fmt::format("no user with id {}", user_id));
    row = std::move(**found);
    return ok();
}

// Validates the parts of a profile change the plugin does not manage (an unchanged username is
// kept even when today's rules would refuse it).
Status validate_change(const ManagedFields& managed, const UserAccount& current,
                       const ProfileChange& change) {
    if (!managed.username && change.username != current.username)
        if (auto st = validate_username(change.username); !st)
            return fail_field("username", std::move(st.error()));
    if (!managed.names && (change.firstname.size() > 255 || change.lastname.size() > 255))
        return fail_field(Errc::invalid_argument,
                          change.firstname.size() > 255 ? "firstname" : "lastname",
                          "Names are at most 255 characters long");
    if (!managed.email)
        if (auto st = validate_email(change.email); !st)
            return fail_field("email", std::move(st.error()));
    if (!change.new_password.empty() || !change.password_confirmation.empty()) {
        if (managed.password)
            return fail_field(Errc::invalid_argument, "new_password",
                              "The password is managed by the account's authentication plugin");
        if (auto st = validate_password(change.new_password); !st)
            return fail_field("new_password", std::move(st.error()));
        if (change.new_password != change.password_confirmation)
            return fail_field(Errc::invalid_argument, "password_confirmation",
                              "Passwords do not match");
    }
    return ok();
}

}  // namespace

ManagedFields managed_fields(const UserAccount& account) {
    ManagedFields m;
    const std::string& type = account.extern_type;
    if (type == "container" || type == "pam") {
        m.username = m.password = true;
    } else if (type == "ldap" || type == "crowd") {
        m.username = m.password = m.names = m.email = true;
    }
    return m;
}

Result<UserListPage> list_users(App& app, std::string_view query, int64_t page, int64_t per_page) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    per_page = std::max<int64_t>(per_page, 1);
    UserListPage out;
    out.page = std::max<int64_t>(page, 1);
    auto rows = users.search(query, (out.page - 1) * per_page, per_page);
    RETURN_IF_ERROR(rows);
    out.total = rows->total;
    out.pages = std::max<int64_t>(1, (out.total + per_page - 1) / per_page);
    if (out.page > out.pages) {
        out.page = out.pages;
        rows = users.search(query, (out.page - 1) * per_page, per_page);
        RETURN_IF_ERROR(rows);
    }
    for (const auto& row : rows->rows)
        out.users.push_back(to_account(row));
    return out;
}

Result<UserAccount> get_user(App& app, int64_t user_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    store::UserRow row;
    RETURN_IF_ERROR(load(users, user_id, row));
    return to_account(row);
}

Status update_user(App& app, const AuthUser& actor, int64_t user_id, const ProfileChange& change,
                   std::string_view keep_session_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    store::UserRow row;
    if (auto st = load(users, user_id, row); !st)
        return st;
    const UserAccount current = to_account(row);
    if (current.is_default)
        return fail_field(Errc::invalid_argument, "form", "The default user cannot be edited");
    const bool self = actor.user_id == user_id;
    if (self && current.admin && !change.admin)
        return fail_field(Errc::invalid_argument, "admin",
                          "You cannot remove your own admin rights");
    if (self && current.active && !change.active)
        return fail_field(Errc::invalid_argument, "active",
                          "You cannot deactivate your own account");
    const ManagedFields managed = managed_fields(current);
    if (auto st = validate_change(managed, current, change); !st)
        return st;
    store::UserProfile profile;
    profile.username = managed.username ? current.username : change.username;
    profile.firstname = managed.names ? current.firstname : change.firstname;
    profile.lastname = managed.names ? current.lastname : change.lastname;
    profile.email = managed.email ? current.email : change.email;
    profile.active = change.active;
    profile.admin = change.admin;
    std::string hash;
    if (!change.new_password.empty()) {
        auto hashed = auth::hash_password(change.new_password);
        RETURN_IF_ERROR(hashed);
        hash = std::move(*hashed);
    }
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    if (auto st = users.update_profile(user_id, profile); !st) {
        if (st.error().code != Errc::conflict)
            return st;
        const std::string& message = st.error().message;
        const bool email_taken = message.find("email") != std::string::npos &&
                                 message.find("username") == std::string::npos;
        return fail_field(email_taken ? "email" : "username", std::move(st.error()));
    }
    if (!hash.empty())
        if (auto st = users.set_password(user_id, hash); !st)
            return st;
    if (!hash.empty() || (current.active && !change.active))
        RETURN_IF_ERROR(users.end_sessions(user_id, keep_session_id));
    return tx->commit();
}

Result<UserTies> user_ties(App& app, int64_t user_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    UserTies ties;
    auto repos = users.owned_repositories(user_id);
    auto groups = users.owned_repo_groups(user_id);
    auto user_groups = users.owned_user_groups(user_id);
    auto member = users.member_of(user_id);
    for (auto* r : {&repos, &groups, &user_groups, &member})
        if (!*r)
            return fail(std::move(r->error()));
    ties.repositories = to_refs(*repos);
    ties.repo_groups = to_refs(*groups);
    ties.user_groups = to_refs(*user_groups);
    ties.member_of = to_refs(*member);
    return ties;
}

Status delete_user(App& app, const AuthUser& actor, int64_t user_id) {
    auto account = get_user(app, user_id);
    RETURN_IF_ERROR(account);
    if (account->is_default)
        return fail(Errc::invalid_argument, "The default user cannot be deleted");
    if (actor.user_id == user_id)
        return fail(Errc::invalid_argument, "You cannot delete your own account");
    auto ties = user_ties(app, user_id);
    RETURN_IF_ERROR(ties);
    std::vector<std::string> owned;
    if (!ties->repositories.empty())
        owned.push_back("repositories " + names_of(ties->repositories));
    if (!ties->repo_groups.empty())
        owned.push_back("repository groups " + names_of(ties->repo_groups));
    if (!ties->user_groups.empty())
        owned.push_back("user groups " + names_of(ties->user_groups));
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    auto authored = users.authored_records(user_id);
    RETURN_IF_ERROR(authored);
    for (const auto& kind : *authored)
        owned.push_back(kind);
    if (!owned.empty()) {
        std::string list;
        for (const auto& part : owned)
            list += (list.empty() ? "" : "; ") + part;
        return fail(Errc::conflict,
                    fmt::format("User {} still owns {}. Change their owner or delete them first.",
                                account->username, list));
    }
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    if (auto st = users.remove(user_id); !st)
        return st;
    return tx->commit();
}

Result<std::vector<ApiKeyInfo>> api_keys(App& app, int64_t user_id, bool include_expired) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    const auto now = static_cast<double>(timefmt::unix_now());
    auto rows = store::UserApiKeys(*conn).list(user_id, include_expired, now);
    RETURN_IF_ERROR(rows);
    std::vector<ApiKeyInfo> out;
    for (const auto& r : *rows)
        out.push_back({r.api_key, r.description, r.expires, r.expires != -1 && r.expires <= now,
                       r.created_on});
    return out;
}

Status add_api_key(App& app, int64_t user_id, std::string_view description,
                   int64_t lifetime_minutes) {
    static constexpr int64_t kLifetimes[] = {-1, 5, 60, 1440, 43200};
    if (std::find(std::begin(kLifetimes), std::end(kLifetimes), lifetime_minutes) ==
        std::end(kLifetimes))
        return fail(Errc::invalid_argument, "Choose one of the offered lifetimes");
    if (description.size() > 10000)
        return fail(Errc::invalid_argument, "The description is too long");
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    const double expires = lifetime_minutes < 0
                               ? -1.0
                               : static_cast<double>(timefmt::unix_now() + lifetime_minutes * 60);
    auto added = store::UserApiKeys(*conn).add(user_id, description, expires);
    RETURN_IF_ERROR(added);
    return ok();
}

Status delete_api_key(App& app, int64_t user_id, std::string_view api_key) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::UserApiKeys(*conn).remove(user_id, api_key);
}

Status reset_main_api_key(App& app, int64_t user_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::Users(*conn).set_api_key(user_id, random::hex(20));
}

Result<std::vector<ExtraEmail>> extra_emails(App& app, int64_t user_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto rows = store::UserEmails(*conn).list(user_id);
    RETURN_IF_ERROR(rows);
    std::vector<ExtraEmail> out;
    for (const auto& r : *rows)
        out.push_back({r.email_id, r.email});
    return out;
}

Status add_extra_email(App& app, int64_t user_id, std::string_view email) {
    if (auto st = validate_email(email); !st)
        return st;
    return in_transaction(app, [&](db::Connection& conn) -> Status {
        auto id = store::UserEmails(conn).add(user_id, email);
        RETURN_IF_ERROR(id);
        return ok();
    });
}

Status delete_extra_email(App& app, int64_t user_id, int64_t email_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::UserEmails(*conn).remove(user_id, email_id);
}

Result<std::vector<UserIpEntry>> user_ips(App& app, int64_t user_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto rows = store::UserIps(*conn).list(user_id);
    RETURN_IF_ERROR(rows);
    std::vector<UserIpEntry> out;
    for (const auto& r : *rows)
        out.push_back({r.ip_id, r.ip_addr});
    return out;
}

Status add_user_ip(App& app, int64_t user_id, std::string_view ip) {
    if (ip.empty() || !perm::valid_network(ip))
        return fail(Errc::invalid_argument,
                    fmt::format("'{}' is not a valid IP address or network (CIDR)", ip));
    return in_transaction(app, [&](db::Connection& conn) -> Status {
        auto id = store::UserIps(conn).add(user_id, ip);
        RETURN_IF_ERROR(id);
        return ok();
    });
}

Status delete_user_ip(App& app, int64_t user_id, int64_t ip_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::UserIps(*conn).remove(user_id, ip_id);
}

Result<UserGlobalGrants> user_global_grants(App& app, int64_t user_id) {
    UserGlobalGrants out;
    store::UserRow row;
    {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        store::Users users(*conn);
        RETURN_IF_ERROR(load(users, user_id, row));
        auto own = store::Grants(*conn).global(store::Grantee::user, user_id);
        RETURN_IF_ERROR(own);
        for (const auto& name : *own) {
            out.create_repository |= name == "hg.create.repository";
            out.create_user_group |= name == "hg.usergroup.create.true";
            out.fork |= name == "hg.fork.repository";
        }
    }
    auto effective = global_permissions(app, auth_user_from_row(row));
    RETURN_IF_ERROR(effective);
    out.effective = std::move(*effective);
    return out;
}

Status set_user_global_grants(App& app, int64_t user_id, bool create_repository,
                              bool create_user_group, bool fork) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    store::UserRow row;
    if (auto st = load(users, user_id, row); !st)
        return st;
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    store::Grants grants(*conn);
    for (std::string_view name :
         {create_repository ? "hg.create.repository" : "hg.create.none",
          create_user_group ? "hg.usergroup.create.true" : "hg.usergroup.create.false",
          fork ? "hg.fork.repository" : "hg.fork.none"})
        if (auto st = grants.set_global(store::Grantee::user, user_id, name); !st)
            return st;
    return tx->commit();
}

}  // namespace kallithea::service
