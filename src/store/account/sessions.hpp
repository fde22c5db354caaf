// Browser sessions in our own table web_sessions (shared by all app processes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct SessionRow {
    std::string session_id;
    std::optional<int64_t> user_id;  // nullopt: anonymous visitor
    std::string csrf_token;
    int64_t created_on = 0;  // Unix seconds
    int64_t expires_on = 0;  // Unix seconds
    bool remember = false;
    std::string data = "{}";  // JSON object
};

// Errc::database on SQL errors.
class Sessions {
public:
    explicit Sessions(db::Connection& conn) : conn_(conn) {}

    // Errc::conflict when the id is taken.
    Status create(const SessionRow& row);
    // nullopt when there is no such session or it expired (expires_on <= now).
    Result<std::optional<SessionRow>> get(std::string_view session_id,
                                          int64_t now = timefmt::unix_now());
    // Rewrites user_id, csrf_token, expires_on, remember and data. Errc::not_found when absent.
    Status update(const SessionRow& row);
    // Sets a new expiry; Errc::not_found when absent.
    Status touch(std::string_view session_id, int64_t new_expires);
    // Removing an absent session is not an error.
    Status remove(std::string_view session_id);
    // Ends every session of a user (password change, deactivation); returns how many.
    Result<int64_t> remove_for_user(int64_t user_id);
    // Deletes sessions with expires_on <= now; returns how many.
    Result<int64_t> purge_expired(int64_t now = timefmt::unix_now());

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
