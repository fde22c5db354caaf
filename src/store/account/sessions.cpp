// Implementation of store/account/sessions.hpp.
#include "store/account/sessions.hpp"

#include <fmt/format.h>

namespace kallithea::store {
namespace {

Status require_one(Result<int64_t> affected, std::string_view what) {
    RETURN_IF_ERROR(affected);
    if (*affected == 0)
        return fail(Errc::not_found, fmt::format("no {}", what));
    return ok();
}

}  // namespace

Status Sessions::create(const SessionRow& row) {
    auto st = conn_.exec(
        "INSERT INTO web_sessions (session_id, user_id, csrf_token, created_on, expires_on, "
        "remember, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        row.session_id, row.user_id, row.csrf_token, row.created_on, row.expires_on, row.remember,
        row.data);
    if (!st && st.error().code == Errc::conflict)
        return fail(Errc::conflict, "session id already in use", st.error().detail);
    return st;
}

Result<std::optional<SessionRow>> Sessions::get(std::string_view session_id, int64_t now) {
    auto row = conn_.query_one(
        "SELECT session_id, user_id, csrf_token, created_on, expires_on, remember, data "
        "FROM web_sessions WHERE session_id = ? AND expires_on > ?",
        session_id, now);
    RETURN_IF_ERROR(row);
    if (!*row)
        return std::optional<SessionRow>();
    const db::Row& r = **row;
    SessionRow s;
    s.session_id = r.text(0);
    s.user_id = r.opt_i64(1);
    s.csrf_token = r.text(2);
    s.created_on = r.i64(3);
    s.expires_on = r.i64(4);
    s.remember = r.boolean(5);
    s.data = r.text(6);
    return std::optional<SessionRow>(std::move(s));
}

Status Sessions::update(const SessionRow& row) {
    return require_one(
        conn_.exec_count("UPDATE web_sessions SET user_id = ?, csrf_token = ?, expires_on = ?, "
                         "remember = ?, data = ? WHERE session_id = ?",
                         row.user_id, row.csrf_token, row.expires_on, row.remember, row.data,
                         row.session_id),
        "such session");
}

Status Sessions::touch(std::string_view session_id, int64_t new_expires) {
    return require_one(
        conn_.exec_count("UPDATE web_sessions SET expires_on = ? WHERE session_id = ?", new_expires,
                         session_id),
        "such session");
}

Status Sessions::remove(std::string_view session_id) {
    return conn_.exec("DELETE FROM web_sessions WHERE session_id = ?", session_id);
}

Result<int64_t> Sessions::remove_for_user(int64_t user_id) {
    return conn_.exec_count("DELETE FROM web_sessions WHERE user_id = ?", user_id);
}

Result<int64_t> Sessions::purge_expired(int64_t now) {
    return conn_.exec_count("DELETE FROM web_sessions WHERE expires_on <= ?", now);
}

}  // namespace kallithea::store
