// Rows of Kallithea's `users` table: lookups, creation, profile, password and last-login updates,
// the admin grid's search, what a user owns or belongs to, and deleting an account.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct UserRow {
    int64_t user_id = 0;
    std::string username, password, firstname, lastname;
    std::optional<std::string> email;
    bool active = false, admin = false;
    std::optional<std::string> extern_type, extern_name;
    std::string api_key;
    std::optional<std::string> last_login;  // "YYYY-MM-DD HH:MM:SS.ffffff"
    std::string created_on;
};

struct NewUser {
    std::string username;
    std::string password_hash;         // already hashed (bcrypt); "" for no password
    std::optional<std::string> email;  // lower-cased on write, like Kallithea; "" means NULL
    std::string firstname, lastname;
    bool active = true;
    bool admin = false;
    std::optional<std::string> extern_type = std::string("internal");
    std::optional<std::string> extern_name;
    std::string api_key;  // "" -> a fresh 40-hex key
};

// Profile fields an administrator (or the user) may change.
struct UserProfile {
    std::string username, firstname, lastname;
    std::optional<std::string> email;  // lower-cased on write; "" means NULL
    bool active = true, admin = false;
};

// One page of the admin grid and how many users match in all.
struct UserPage {
    std::vector<UserRow> rows;
    int64_t total = 0;
};

// A named object (repository, repository group, user group) found through a user.
struct UserObjectRef {
    int64_t id = 0;
    std::string name;
};

// All functions fail with Errc::database on SQL errors; lookups give nullopt when nothing matches.
class Users {
public:
    explicit Users(db::Connection& conn) : conn_(conn) {}

    Result<std::optional<UserRow>> by_id(int64_t user_id);
    // Case-insensitive (lower() on both sides, as Kallithea); an exact-case match wins when a
    // legacy database holds names differing only in case.
    Result<std::optional<UserRow>> by_username(std::string_view username);
    // Case-insensitive; the main address first, then the extra ones in user_email_map.
    Result<std::optional<UserRow>> by_email(std::string_view email);
    // The main API key, then unexpired keys of user_api_keys. Does NOT reject inactive users or
    // the `default` user: that policy belongs to the caller (Kallithea refuses both).
    Result<std::optional<UserRow>> by_api_key(std::string_view api_key);

    // Inserts the user and returns its id. Errc::conflict "A user with username X already
    // exists" (case-insensitive) or "A user with email X already exists" (also extra emails).
    Result<int64_t> create(const NewUser& user);

    // Errc::not_found when no user has that id.
    Status set_last_login(int64_t user_id);
    Status set_password(int64_t user_id, std::string_view password_hash);

    Result<int64_t> count();
    // Every user, by id.
    Result<std::vector<UserRow>> list();

    // Users other than `default` whose username, first/last name or email contains `query`
    // (case-insensitive; "" matches all), by username, `limit` rows from `offset`.
    Result<UserPage> search(std::string_view query, int64_t offset, int64_t limit);

    // Rewrites the profile fields. Errc::not_found for an unknown id; Errc::conflict "A user with
    // username X already exists" / "A user with email X already exists" (other users' main or
    // extra addresses, case-insensitive).
    Status update_profile(int64_t user_id, const UserProfile& profile);
    // Replaces the main API key. Errc::not_found for an unknown id.
    Status set_api_key(int64_t user_id, std::string_view api_key);

    // What the user owns, by name.
    Result<std::vector<UserObjectRef>> owned_repositories(int64_t user_id);
    Result<std::vector<UserObjectRef>> owned_repo_groups(int64_t user_id);
    Result<std::vector<UserObjectRef>> owned_user_groups(int64_t user_id);
    // User groups the user is a member of (active or not), by name.
    Result<std::vector<UserObjectRef>> member_of(int64_t user_id);
    // Repositories the user follows, by name.
    Result<std::vector<UserObjectRef>> followed_repositories(int64_t user_id);
    // Repositories the user owns or holds a grant on, directly or through any user group they
    // are a member of, by name.
    Result<std::vector<UserObjectRef>> related_repositories(int64_t user_id);

    // Kinds of records the user authored that deleting the account would orphan: "gists",
    // "pull requests", "comments", "review statuses" (those with at least one row).
    Result<std::vector<std::string>> authored_records(int64_t user_id);

    // Ends the user's web sessions except `keep_session_id` ("" ends all); returns how many.
    Result<int64_t> end_sessions(int64_t user_id, std::string_view keep_session_id = {});

    // Deletes the user and every row that only makes sense with it (sessions, grants, extra
    // emails, IPs, API keys, SSH keys, group memberships, followings, notifications, review
    // requests); journal entries keep the username but lose the link. The caller checks
    // ownership and authored_records() first (left-over rows violate foreign keys:
    // Errc::database then). Call inside a db::Transaction.
    // Errc::not_found for an unknown id.
    Status remove(int64_t user_id);

private:
    Result<std::optional<UserRow>> one(std::string_view sql,
                                       std::initializer_list<db::Param> params);
    db::Connection& conn_;
};

}  // namespace kallithea::store
