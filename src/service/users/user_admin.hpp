// Administration of user accounts (the /_admin/users pages) and the self-service parts shared
// with "my account": profiles, deletion, API keys, extra emails, IP whitelist, global grants.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"

namespace kallithea::service {

struct UserAccount {
    int64_t user_id = 0;
    std::string username, firstname, lastname, email;
    bool active = false, admin = false;
    std::string extern_type;  // "internal", "container", "ldap", ...
    std::string extern_name;
    std::string api_key;
    std::string last_login;  // "" when never
    std::string created_on;
    bool is_default = false;  // the anonymous `default` user
};

// Which profile fields the account's auth plugin owns (read-only on our forms): internal
// nothing; container and pam the username and password; ldap and crowd everything.
struct ManagedFields {
    bool username = false, password = false, names = false, email = false;
};
ManagedFields managed_fields(const UserAccount& account);

struct UserListPage {
    std::vector<UserAccount> users;
    int64_t total = 0;  // matching users in all
    int64_t page = 1;   // 1-based, clamped to [1, pages]
    int64_t pages = 1;
};

// The admin grid: users other than `default` matching `query` (username, names, email).
Result<UserListPage> list_users(App& app, std::string_view query, int64_t page,
                                int64_t per_page = 50);
// Errc::not_found for an unknown id (the `default` user is found: callers refuse it).
Result<UserAccount> get_user(App& app, int64_t user_id);

struct ProfileChange {
    std::string username, firstname, lastname, email;
    bool active = true, admin = false;
    std::string new_password, password_confirmation;  // "" keeps the password
};

// Saves an admin's profile edit. Managed fields keep their stored values. Refuses (invalid
// argument, Error::field set): the `default` user ("form"), removing one's own admin flag
// ("admin") or deactivating oneself ("active"), invalid fields, mismatched confirmation
// ("password_confirmation"); Errc::conflict for a taken username/email. A new password or a
// deactivation ends the user's sessions except `keep_session_id` (the actor's own).
Status update_user(App& app, const AuthUser& actor, int64_t user_id, const ProfileChange& change,
                   std::string_view keep_session_id = {});

struct ObjectRef {
    int64_t id = 0;
    std::string name;
};

// What ties a user to the rest of the site (the Advanced tab and the delete check).
struct UserTies {
    std::vector<ObjectRef> repositories, repo_groups, user_groups;  // owned
    std::vector<ObjectRef> member_of;                               // user groups
};
Result<UserTies> user_ties(App& app, int64_t user_id);

// Deletes the account and its dependent rows in one transaction. Errc::invalid_argument for
// oneself or `default`; Errc::conflict ("User X still owns repositories a, b; ...") while it
// owns repositories, repository groups or user groups, or authored gists, pull requests,
// comments or review statuses; Errc::not_found.
Status delete_user(App& app, const AuthUser& actor, int64_t user_id);

// API keys.
struct ApiKeyInfo {
    std::string api_key, description;
    double expires = -1;  // Unix seconds, -1 never
    bool expired = false;
    std::string created_on;
};
Result<std::vector<ApiKeyInfo>> api_keys(App& app, int64_t user_id, bool include_expired);
// `lifetime_minutes`: -1 forever, else 5, 60, 1440 or 43200 (other values: invalid_argument).
Status add_api_key(App& app, int64_t user_id, std::string_view description,
                   int64_t lifetime_minutes);
// Errc::not_found when the user has no such key.
Status delete_api_key(App& app, int64_t user_id, std::string_view api_key);
// Replaces the built-in key with a fresh one.
Status reset_main_api_key(App& app, int64_t user_id);

// Extra email addresses.
struct ExtraEmail {
    int64_t id = 0;
    std::string email;
};
Result<std::vector<ExtraEmail>> extra_emails(App& app, int64_t user_id);
// invalid_argument for a malformed address, conflict when any account uses it.
Status add_extra_email(App& app, int64_t user_id, std::string_view email);
Status delete_extra_email(App& app, int64_t user_id, int64_t email_id);

// IP whitelist entries.
struct UserIpEntry {
    int64_t id = 0;
    std::string ip;
};
Result<std::vector<UserIpEntry>> user_ips(App& app, int64_t user_id);
// invalid_argument unless an address or CIDR network; conflict for a duplicate.
Status add_user_ip(App& app, int64_t user_id, std::string_view ip);
Status delete_user_ip(App& app, int64_t user_id, int64_t ip_id);

// The user's own global grants (additive to the defaults) and the effective set.
struct UserGlobalGrants {
    bool create_repository = false, create_user_group = false, fork = false;
    std::set<std::string> effective;
};
Result<UserGlobalGrants> user_global_grants(App& app, int64_t user_id);
// Writes the three kinds (hg.create.repository/none, hg.usergroup.create.true/false,
// hg.fork.repository/none) in one transaction.
Status set_user_global_grants(App& app, int64_t user_id, bool create_repository,
                              bool create_user_group, bool fork);

}  // namespace kallithea::service
