// Rows of Kallithea's `users` table: lookups, creation, password and last-login updates.
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

private:
    Result<std::optional<UserRow>> one(std::string_view sql,
                                       std::initializer_list<db::Param> params);
    db::Connection& conn_;
};

}  // namespace kallithea::store
