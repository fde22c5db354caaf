// A user's extra rows: additional email addresses (user_email_map), the IP whitelist
// (user_ip_map) and additional API keys (user_api_keys).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct UserEmailRow {
    int64_t email_id = 0, user_id = 0;
    std::string email;
};

struct UserIpRow {
    int64_t ip_id = 0, user_id = 0;
    std::string ip_addr;
    bool active = true;
};

struct UserApiKeyRow {
    int64_t user_api_key_id = 0, user_id = 0;
    std::string api_key, description;
    double expires = -1;     // Unix seconds; -1 never
    std::string created_on;  // "YYYY-MM-DD HH:MM:SS.ffffff"
};

// All fail with Errc::database on SQL errors.
class UserEmails {
public:
    explicit UserEmails(db::Connection& conn) : conn_(conn) {}
    // The user's extra addresses, by address.
    Result<std::vector<UserEmailRow>> list(int64_t user_id);
    // Adds an address (lower-cased). Errc::conflict "A user with email X already exists" when
    // any user has it as main or extra address (case-insensitive).
    Result<int64_t> add(int64_t user_id, std::string_view email);
    // Errc::not_found when the user has no such row.
    Status remove(int64_t user_id, int64_t email_id);

private:
    db::Connection& conn_;
};

// The one access to user_ip_map: users' own whitelists and the global one (`default`'s rows).
class UserIps {
public:
    explicit UserIps(db::Connection& conn) : conn_(conn) {}
    // The user's whitelist entries, by id.
    Result<std::vector<UserIpRow>> list(int64_t user_id);
    // The addresses of the user's active entries, by id (what the IP check allows).
    Result<std::vector<std::string>> active_networks(int64_t user_id);
    // Adds an active entry. Errc::conflict "IP X is already on the list" for a duplicate.
    Result<int64_t> add(int64_t user_id, std::string_view ip_addr);
    // Errc::not_found when the user has no such row.
    Status remove(int64_t user_id, int64_t ip_id);

private:
    db::Connection& conn_;
};

class UserApiKeys {
public:
    explicit UserApiKeys(db::Connection& conn) : conn_(conn) {}
    // The user's additional keys, newest first; expired ones (expires != -1 && expires <= now)
    // only with `include_expired`.
    Result<std::vector<UserApiKeyRow>> list(int64_t user_id, bool include_expired, double now);
    // Adds a fresh random 40-hex key and returns the row.
    Result<UserApiKeyRow> add(int64_t user_id, std::string_view description, double expires);
    // Errc::not_found when the user has no such key.
    Status remove(int64_t user_id, std::string_view api_key);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
