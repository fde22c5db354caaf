// Implementation of store/users/users.hpp.
#include "store/users/users.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "core/random.hpp"
#include "core/text.hpp"
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

std::string like_pattern(std::string_view query) {
    std::string out = "%";
    for (char c : query) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out + "%";
}

Result<std::vector<UserObjectRef>> refs(Result<std::vector<db::Row>> rows) {
    RETURN_IF_ERROR(rows);
    std::vector<UserObjectRef> out;
    out.reserve(rows->size());
    for (const db::Row& r : *rows)
        out.push_back({r.i64(0), r.text(1)});
    return out;
}

Status require_one(Result<int64_t> affected, int64_t user_id) {
    RETURN_IF_ERROR(affected);
    if (*affected == 0)
        return fail(Errc::not_found, fmt::format("no user with id {}", user_id));
    return ok();
}

}  // namespace

Result<std::optional<UserRow>> Users::one(std::string_view sql,
                                          std::initializer_list<db::Param> params) {
    auto rows = conn_.query_params(sql, std::span(params.begin(), params.size()));
    RETURN_IF_ERROR(rows);
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
    RETURN_IF_ERROR(same_name);
    if (*same_name)
        return fail(Errc::conflict,
                    fmt::format("A user with username {} already exists", user.username));
    std::optional<std::string> email;
    if (user.email && !user.email->empty())
        email = text::ascii_lower(*user.email);
    if (email) {
        auto same_email = by_email(*email);
        RETURN_IF_ERROR(same_email);
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
    RETURN_IF_ERROR(n);
    return n->value_or(0);
}

Result<std::vector<UserRow>> Users::list() {
    auto rows = conn_.query(std::string(kSelect) + "ORDER BY user_id");
    RETURN_IF_ERROR(rows);
    std::vector<UserRow> out;
    out.reserve(rows->size());
    for (const db::Row& r : *rows)
        out.push_back(to_user(r));
    return out;
}

Result<UserPage> Users::search(std::string_view query, int64_t offset, int64_t limit) {
    constexpr std::string_view kWhere =
        "WHERE username <> 'default' AND (lower(username) LIKE ? ESCAPE '\\' OR "
        "lower(firstname) LIKE ? ESCAPE '\\' OR lower(lastname) LIKE ? ESCAPE '\\' OR "
        "lower(COALESCE(email, '')) LIKE ? ESCAPE '\\') ";
    const std::string like = like_pattern(query);
    auto total = conn_.scalar<int64_t>("SELECT COUNT(*) FROM users " + std::string(kWhere), like,
                                       like, like, like);
    RETURN_IF_ERROR(total);
    auto rows = conn_.query(std::string(kSelect) + std::string(kWhere) +
                                "ORDER BY lower(username), user_id LIMIT ? OFFSET ?",
                            like, like, like, like, limit, offset);
    RETURN_IF_ERROR(rows);
    UserPage page;
    page.total = total->value_or(0);
    for (const db::Row& r : *rows)
        page.rows.push_back(to_user(r));
    return page;
}

Status Users::update_profile(int64_t user_id, const UserProfile& profile) {
    auto same_name = conn_.scalar<int64_t>(
        "SELECT COUNT(*) FROM users WHERE lower(username) = lower(?) AND user_id <> ?",
        profile.username, user_id);
    RETURN_IF_ERROR(same_name);
    if (same_name->value_or(0) > 0)
        return fail(Errc::conflict,
                    fmt::format("A user with username {} already exists", profile.username));
    std::optional<std::string> email;
    if (profile.email && !profile.email->empty())
        email = text::ascii_lower(*profile.email);
    if (email) {
        auto taken = conn_.scalar<int64_t>(
            "SELECT (SELECT COUNT(*) FROM users WHERE lower(email) = ? AND user_id <> ?) + "
            "(SELECT COUNT(*) FROM user_email_map WHERE lower(email) = ?)",
            *email, user_id, *email);
        RETURN_IF_ERROR(taken);
        if (taken->value_or(0) > 0)
            return fail(Errc::conflict, fmt::format("A user with email {} already exists", *email));
    }
    auto changed = conn_.exec_count(
        "UPDATE users SET username = ?, firstname = ?, lastname = ?, email = ?, active = ?, "
        "admin = ? WHERE user_id = ?",
        profile.username, profile.firstname, profile.lastname, email, profile.active, profile.admin,
        user_id);
    if (!changed && changed.error().code == Errc::conflict)
        return fail(Errc::conflict,
                    fmt::format("A user with username {} or email {} already exists",
                                profile.username, email.value_or("")),
                    changed.error().detail);
    return require_one(std::move(changed), user_id);
}

Status Users::set_api_key(int64_t user_id, std::string_view api_key) {
    return require_one(
        conn_.exec_count("UPDATE users SET api_key = ? WHERE user_id = ?", api_key, user_id),
        user_id);
}

Result<std::vector<UserObjectRef>> Users::owned_repositories(int64_t user_id) {
    return refs(conn_.query(
        "SELECT repo_id, repo_name FROM repositories WHERE user_id = ? ORDER BY repo_name",
        user_id));
}

Result<std::vector<UserObjectRef>> Users::owned_repo_groups(int64_t user_id) {
    return refs(conn_.query(
        "SELECT group_id, group_name FROM groups WHERE user_id = ? ORDER BY group_name", user_id));
}

Result<std::vector<UserObjectRef>> Users::owned_user_groups(int64_t user_id) {
    return refs(
        conn_.query("SELECT users_group_id, users_group_name FROM users_groups "
                    "WHERE user_id = ? ORDER BY users_group_name",
                    user_id));
}

Result<std::vector<UserObjectRef>> Users::member_of(int64_t user_id) {
    return refs(
        conn_.query("SELECT DISTINCT g.users_group_id, g.users_group_name FROM users_groups g "
                    "JOIN users_groups_members m ON m.users_group_id = g.users_group_id "
                    "WHERE m.user_id = ? ORDER BY g.users_group_name",
                    user_id));
}

Result<std::vector<UserObjectRef>> Users::followed_repositories(int64_t user_id) {
    return refs(
        conn_.query("SELECT r.repo_id, r.repo_name FROM repositories r "
                    "JOIN user_followings f ON f.follows_repository_id = r.repo_id "
                    "WHERE f.user_id = ? ORDER BY r.repo_name",
                    user_id));
}

Result<std::vector<UserObjectRef>> Users::related_repositories(int64_t user_id) {
    return refs(
        conn_.query("SELECT r.repo_id, r.repo_name FROM repositories r WHERE r.user_id = ? "
                    "OR r.repo_id IN (SELECT repository_id FROM repo_to_perm WHERE user_id = ?) "
                    "OR r.repo_id IN (SELECT p.repository_id FROM users_group_repo_to_perm p "
                    "JOIN users_groups_members m ON m.users_group_id = p.users_group_id "
                    "WHERE m.user_id = ?) ORDER BY r.repo_name",
                    user_id, user_id, user_id));
}

Result<std::vector<std::string>> Users::authored_records(int64_t user_id) {
    static constexpr std::pair<std::string_view, std::string_view> kKinds[] = {
        {"gists", "SELECT COUNT(*) FROM gists WHERE user_id = ?"},
        {"pull requests", "SELECT COUNT(*) FROM pull_requests WHERE user_id = ?"},
        {"comments", "SELECT COUNT(*) FROM changeset_comments WHERE user_id = ?"},
        {"review statuses", "SELECT COUNT(*) FROM changeset_statuses WHERE user_id = ?"},
    };
    std::vector<std::string> out;
    for (const auto& [kind, sql] : kKinds) {
        auto n = conn_.scalar<int64_t>(sql, user_id);
        RETURN_IF_ERROR(n);
        if (n->value_or(0) > 0)
            out.emplace_back(kind);
    }
    return out;
}

Result<int64_t> Users::end_sessions(int64_t user_id, std::string_view keep_session_id) {
    return conn_.exec_count("DELETE FROM web_sessions WHERE user_id = ? AND session_id <> ?",
                            user_id, keep_session_id);
}

Status Users::remove(int64_t user_id) {
    static constexpr std::string_view kDependents[] = {
        "DELETE FROM web_sessions WHERE user_id = ?",
        "DELETE FROM user_api_keys WHERE user_id = ?",
        "DELETE FROM user_email_map WHERE user_id = ?",
        "DELETE FROM user_ip_map WHERE user_id = ?",
        "DELETE FROM user_ssh_keys WHERE user_id = ?",
        "DELETE FROM user_to_perm WHERE user_id = ?",
        "DELETE FROM repo_to_perm WHERE user_id = ?",
        "DELETE FROM user_repo_group_to_perm WHERE user_id = ?",
        "DELETE FROM user_user_group_to_perm WHERE user_id = ?",
        "DELETE FROM users_groups_members WHERE user_id = ?",
        "DELETE FROM user_followings WHERE user_id = ?",
        "DELETE FROM user_followings WHERE follows_user_id = ?",
        "DELETE FROM pull_request_reviewers WHERE user_id = ?",
        "UPDATE user_logs SET user_id = NULL WHERE user_id = ?",
    };
    for (std::string_view sql : kDependents)
        if (auto st = conn_.exec(sql, user_id); !st)
            return st;
    return require_one(conn_.exec_count("DELETE FROM users WHERE user_id = ?", user_id), user_id);
}

}  // namespace kallithea::store
