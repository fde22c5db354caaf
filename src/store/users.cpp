// Implementation of store/users.hpp.
#include "store/users.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/random.hpp"
#include "core/time.hpp"

namespace kallithea::store {
namespace {

constexpr std::string_view kSelect =
    "SELECT user_id, username, password, firstname, lastname, email, active, admin, extern_type, "
    "extern_name, api_key, last_login, created_on FROM users ";
constexpr std::string_view kSelectJoined =
    "SELECT u.user_id, u.username, u.password, u.firstname, u.lastname, u.email, u.active, "
    "u.admin, u.extern_type, u.extern_name, u.api_key, u.last_login, u.created_on FROM users u ";

UserRow to_user(const db::Row& r) {
    UserRow u;
    u.user_id = r.i64(0);
    u.username = r.text(1);
    u.password = r.text(2);
    u.firstname = r.text(3);
    u.lastname = r.text(4);
    u.email = r.opt_text(5);
    u.active = r.boolean(6);
    u.admin = r.boolean(7);
    u.extern_type = r.opt_text(8);
    u.extern_name = r.opt_text(9);
    u.api_key = r.text(10);
    u.last_login = r.opt_datetime(11);
    u.created_on = r.datetime(12);
    return u;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

Status require_one(Result<int64_t> affected, int64_t user_id) {
    if (!affected)
        return fail(std::move(affected.error()));
    if (*affected == 0)
        return fail(Errc::not_found, fmt::format("no user with id {}", user_id));
    return ok();
}

}  // namespace

Result<std::optional<UserRow>> Users::one(std::string_view sql,
                                          std::initializer_list<db::Param> params) {
    auto rows = conn_.query_params(sql, std::span(params.begin(), params.size()));
    if (!rows)
        return fail(std::move(rows.error()));
    if (rows->empty())
        return std::optional<UserRow>();
    return std::optional<UserRow>(to_user(rows->front()));
}

Result<std::optional<UserRow>> Users::by_id(int64_t user_id) {
    return one(std::string(kSelect) + "WHERE user_id = ?", {user_id});
}

Result<std::optional<UserRow>> Users::by_username(std::string_view username) {
    return one(std::string(kSelect) +
                   "WHERE lower(username) = lower(?) "
                   "ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END, user_id LIMIT 1",
               {username, username});
}

Result<std::optional<UserRow>> Users::by_email(std::string_view email) {
    auto main = one(std::string(kSelect) + "WHERE lower(email) = lower(?) LIMIT 1", {email});
    if (!main || *main)
        return main;
    return one(std::string(kSelectJoined) +
                   "JOIN user_email_map m ON m.user_id = u.user_id "
                   "WHERE lower(m.email) = lower(?) LIMIT 1",
               {email});
}

Result<std::optional<UserRow>> Users::by_api_key(std::string_view api_key) {
    auto main = one(std::string(kSelect) + "WHERE api_key = ? LIMIT 1", {api_key});
    if (!main || *main)
        return main;
    const double now = static_cast<double>(timefmt::unix_now());
    return one(std::string(kSelectJoined) +
                   "JOIN user_api_keys k ON k.user_id = u.user_id "
                   "WHERE k.api_key = ? AND (k.expires = -1 OR k.expires > ?) LIMIT 1",
               {api_key, now});
}

Result<int64_t> Users::create(const NewUser& user) {
    auto same_name = by_username(user.username);
    if (!same_name)
        return fail(std::move(same_name.error()));
    if (*same_name)
        return fail(Errc::conflict,
                    fmt::format("A user with username {} already exists", user.username));
    std::optional<std::string> email;
    if (user.email && !user.email->empty())
        email = lower_ascii(*user.email);
    if (email) {
        auto same_email = by_email(*email);
        if (!same_email)
            return fail(std::move(same_email.error()));
        if (*same_email)
            return fail(Errc::conflict, fmt::format("A user with email {} already exists", *email));
    }
    const std::string api_key = user.api_key.empty() ? random::hex(20) : user.api_key;
    auto id = conn_.insert(
        "INSERT INTO users (username, password, active, admin, firstname, lastname, email, "
        "extern_type, extern_name, api_key, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "user_id", user.username, user.password_hash, user.active, user.admin, user.firstname,
        user.lastname, email, user.extern_type, user.extern_name, api_key, timefmt::db_now());
    if (!id && id.error().code == Errc::conflict)  // lost a race with a concurrent insert
        return fail(Errc::conflict,
                    fmt::format("A user with username {} or email {} already exists", user.username,
                                email.value_or("")),
                    id.error().detail);
    return id;
}

Status Users::set_last_login(int64_t user_id) {
    return require_one(conn_.exec_count("UPDATE users SET last_login = ? WHERE user_id = ?",
                                        timefmt::db_now(), user_id),
                       user_id);
}

Status Users::set_password(int64_t user_id, std::string_view password_hash) {
    return require_one(
        conn_.exec_count("UPDATE users SET password = ? WHERE user_id = ?", password_hash, user_id),
        user_id);
}

Result<int64_t> Users::count() {
    auto n = conn_.scalar<int64_t>("SELECT COUNT(*) FROM users");
    if (!n)
        return fail(std::move(n.error()));
    return n->value_or(0);
}

Result<std::vector<UserRow>> Users::list() {
    auto rows = conn_.query(std::string(kSelect) + "ORDER BY user_id");
    if (!rows)
        return fail(std::move(rows.error()));
    std::vector<UserRow> out;
    out.reserve(rows->size());
    for (const db::Row& r : *rows)
        out.push_back(to_user(r));
    return out;
}

}  // namespace kallithea::store
