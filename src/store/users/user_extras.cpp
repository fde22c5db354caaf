// Implementation of store/users/user_extras.hpp.
#include "store/users/user_extras.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/random.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace kallithea::store {
namespace {

Status removed_one(Result<int64_t> affected, std::string_view what) {
    RETURN_IF_ERROR(affected);
    if (*affected == 0)
        return fail(Errc::not_found, fmt::format("no such {}", what));
    return ok();
}

}  // namespace

Result<std::vector<UserEmailRow>> UserEmails::list(int64_t user_id) {
    auto rows = conn_.query(
        "SELECT email_id, user_id, email FROM user_email_map WHERE user_id = ? ORDER BY email",
        user_id);
    RETURN_IF_ERROR(rows);
    std::vector<UserEmailRow> out;
    for (const db::Row& r : *rows)
        out.push_back({r.i64(0), r.i64(1), r.text(2)});
    return out;
}

Result<int64_t> UserEmails::add(int64_t user_id, std::string_view email) {
    const std::string address = text::ascii_lower(email);
    auto taken = conn_.scalar<int64_t>(
        "SELECT (SELECT COUNT(*) FROM users WHERE lower(email) = ?) + "
        "(SELECT COUNT(*) FROM user_email_map WHERE lower(email) = ?)",
        address, address);
    RETURN_IF_ERROR(taken);
    const std::string message = fmt::format("A user with email {} already exists", address);
    if (taken->value_or(0) > 0)
        return fail(Errc::conflict, message);
    auto id = conn_.insert("INSERT INTO user_email_map (user_id, email) VALUES (?, ?)", "email_id",
                           user_id, address);
    if (!id && id.error().code == Errc::conflict)
        return fail(Errc::conflict, message, id.error().detail);
    return id;
}

Status UserEmails::remove(int64_t user_id, int64_t email_id) {
    return removed_one(
        conn_.exec_count("DELETE FROM user_email_map WHERE user_id = ? AND email_id = ?", user_id,
                         email_id),
        "email address");
}

Result<std::vector<UserIpRow>> UserIps::list(int64_t user_id) {
    auto rows = conn_.query(
        "SELECT ip_id, user_id, ip_addr, active FROM user_ip_map WHERE user_id = ? ORDER BY ip_id",
        user_id);
    RETURN_IF_ERROR(rows);
    std::vector<UserIpRow> out;
    for (const db::Row& r : *rows)
        out.push_back({r.i64(0), r.i64(1), r.text(2), r.boolean(3)});
    return out;
}

Result<std::vector<std::string>> UserIps::active_networks(int64_t user_id) {
    auto rows = conn_.query(
        "SELECT ip_addr FROM user_ip_map WHERE user_id = ? AND active = ? ORDER BY ip_id", user_id,
        true);
    RETURN_IF_ERROR(rows);
    std::vector<std::string> out;
    for (const db::Row& r : *rows)
        out.push_back(r.text(0));
    return out;
}

Result<int64_t> UserIps::add(int64_t user_id, std::string_view ip_addr) {
    const std::string message = fmt::format("IP {} is already on the list", ip_addr);
    auto dup = conn_.scalar<int64_t>(
        "SELECT COUNT(*) FROM user_ip_map WHERE user_id = ? AND ip_addr = ?", user_id, ip_addr);
    RETURN_IF_ERROR(dup);
    if (dup->value_or(0) > 0)
        return fail(Errc::conflict, message);
    auto id = conn_.insert("INSERT INTO user_ip_map (user_id, ip_addr, active) VALUES (?, ?, ?)",
                           "ip_id", user_id, ip_addr, true);
    if (!id && id.error().code == Errc::conflict)
        return fail(Errc::conflict, message, id.error().detail);
    return id;
}

Status UserIps::remove(int64_t user_id, int64_t ip_id) {
    return removed_one(
        conn_.exec_count("DELETE FROM user_ip_map WHERE user_id = ? AND ip_id = ?", user_id, ip_id),
        "IP address");
}

Result<std::vector<UserApiKeyRow>> UserApiKeys::list(int64_t user_id, bool include_expired,
                                                     double now) {
    auto rows = conn_.query(
        "SELECT user_api_key_id, user_id, api_key, description, expires, created_on "
        "FROM user_api_keys WHERE user_id = ? AND (? OR expires = -1 OR expires > ?) "
        "ORDER BY created_on DESC, user_api_key_id DESC",
        user_id, include_expired, now);
    RETURN_IF_ERROR(rows);
    std::vector<UserApiKeyRow> out;
    for (const db::Row& r : *rows) {
        UserApiKeyRow k;
        k.user_api_key_id = r.i64(0);
        k.user_id = r.i64(1);
        k.api_key = r.text(2);
        k.description = r.text(3);
        k.expires = r.f64(4);
        k.created_on = r.datetime(5);
        out.push_back(std::move(k));
    }
    return out;
}

Result<UserApiKeyRow> UserApiKeys::add(int64_t user_id, std::string_view description,
                                       double expires) {
    UserApiKeyRow k;
    k.user_id = user_id;
    k.api_key = random::hex(20);
    k.description = std::string(description);
    k.expires = expires;
    k.created_on = timefmt::db_now();
    auto id = conn_.insert(
        "INSERT INTO user_api_keys (user_id, api_key, description, expires, created_on) "
        "VALUES (?, ?, ?, ?, ?)",
        "user_api_key_id", user_id, k.api_key, k.description, k.expires, k.created_on);
    RETURN_IF_ERROR(id);
    k.user_api_key_id = *id;
    return k;
}

Status UserApiKeys::remove(int64_t user_id, std::string_view api_key) {
    return removed_one(
        conn_.exec_count("DELETE FROM user_api_keys WHERE user_id = ? AND api_key = ?", user_id,
                         api_key),
        "API key");
}

}  // namespace kallithea::store
