// Implementation of store/user_groups/user_groups.hpp.
#include "store/user_groups/user_groups.hpp"

#include <array>

#include <fmt/format.h>

#include "core/time.hpp"

namespace kallithea::store {
namespace {

constexpr std::string_view kSelect =
    "SELECT g.users_group_id, g.users_group_name, g.user_group_description, "
    "g.users_group_active, g.user_id, u.username, g.created_on, "
    "(SELECT COUNT(*) FROM users_groups_members m WHERE m.users_group_id = g.users_group_id) "
    "FROM users_groups g JOIN users u ON u.user_id = g.user_id ";

UserGroupRow to_group(const db::Row& r) {
    UserGroupRow g;
    g.users_group_id = r.i64(0);
    g.name = r.text(1);
    g.description = r.text(2);
    g.active = r.boolean(3);
    g.owner_id = r.i64(4);
    g.owner_name = r.text(5);
    g.created_on = r.datetime(6);
    g.member_count = r.i64(7);
    return g;
}

Status must_exist(Result<int64_t> affected, int64_t id) {
    RETURN_IF_ERROR(affected);
    if (*affected == 0)
        return fail(Errc::not_found, fmt::format("no user group with id {}", id));
    return ok();
}

}  // namespace

Result<std::vector<UserGroupRow>> UserGroups::select(std::string_view where_order,
                                                     std::span<const db::Param> params) {
    auto rows = conn_.query_params(std::string(kSelect) + std::string(where_order), params);
    RETURN_IF_ERROR(rows);
    std::vector<UserGroupRow> out;
    out.reserve(rows->size());
    for (const db::Row& r : *rows)
        out.push_back(to_group(r));
    return out;
}

Result<std::optional<UserGroupRow>> UserGroups::select_one(std::string_view where_order,
                                                           std::span<const db::Param> params) {
    auto rows = select(where_order, params);
    RETURN_IF_ERROR(rows);
    if (rows->empty())
        return std::optional<UserGroupRow>();
    return std::optional<UserGroupRow>(std::move(rows->front()));
}

Result<std::vector<UserGroupRow>> UserGroups::list() {
    return select("ORDER BY lower(g.users_group_name), g.users_group_id", {});
}

Result<std::optional<UserGroupRow>> UserGroups::by_id(int64_t users_group_id) {
    const std::array<db::Param, 1> params{users_group_id};
    return select_one("WHERE g.users_group_id = ?", params);
}

Result<std::optional<UserGroupRow>> UserGroups::by_exact_name(std::string_view name) {
    const std::array<db::Param, 1> params{name};
    return select_one("WHERE g.users_group_name = ? ORDER BY g.users_group_id LIMIT 1", params);
}

Result<std::optional<UserGroupRow>> UserGroups::by_name(std::string_view name) {
    const std::array<db::Param, 2> params{name, name};
    return select_one(
        "WHERE lower(g.users_group_name) = lower(?) "
        "ORDER BY CASE WHEN g.users_group_name = ? THEN 0 ELSE 1 END, g.users_group_id LIMIT 1",
        params);
}

Result<int64_t> UserGroups::create(const NewUserGroup& group) {
    auto same = by_name(group.name);
    RETURN_IF_ERROR(same);
    if (*same)
        return fail(Errc::conflict,
                    fmt::format("A user group named {} already exists", (*same)->name));
    return conn_.insert(
        "INSERT INTO users_groups (users_group_name, user_group_description, users_group_active, "
        "user_id, created_on) VALUES (?, ?, ?, ?, ?)",
        "users_group_id", group.name, group.description, group.active, group.owner_id,
        timefmt::db_now());
}

Status UserGroups::update(int64_t users_group_id, const NewUserGroup& group) {
    auto same = conn_.scalar<std::string>(
        "SELECT users_group_name FROM users_groups WHERE lower(users_group_name) = lower(?) "
        "AND users_group_id <> ? LIMIT 1",
        group.name, users_group_id);
    RETURN_IF_ERROR(same);
    if (*same)
        return fail(Errc::conflict, fmt::format("A user group named {} already exists", **same));
    return must_exist(
        conn_.exec_count(
            "UPDATE users_groups SET users_group_name = ?, user_group_description = ?, "
            "users_group_active = ?, user_id = ? WHERE users_group_id = ?",
            group.name, group.description, group.active, group.owner_id, users_group_id),
        users_group_id);
}

Status UserGroups::remove(int64_t users_group_id) {
    static constexpr std::array<std::string_view, 8> kDeletes = {
        "DELETE FROM users_groups_members WHERE users_group_id = ?",
        "DELETE FROM users_group_to_perm WHERE users_group_id = ?",
        "DELETE FROM users_group_repo_to_perm WHERE users_group_id = ?",
        "DELETE FROM users_group_repo_group_to_perm WHERE users_group_id = ?",
        "DELETE FROM user_user_group_to_perm WHERE user_group_id = ?",
        "DELETE FROM user_group_user_group_to_perm WHERE user_group_id = ?",
        "DELETE FROM user_group_user_group_to_perm WHERE target_user_group_id = ?",
        "DELETE FROM users_groups WHERE users_group_id = ?",
    };
    for (size_t i = 0; i + 1 < kDeletes.size(); ++i) {
        if (auto st = conn_.exec(kDeletes[i], users_group_id); !st)
            return st;
    }
    return must_exist(conn_.exec_count(kDeletes.back(), users_group_id), users_group_id);
}

Result<std::vector<UserGroupMember>> UserGroups::members(int64_t users_group_id) {
    auto rows = conn_.query(
        "SELECT u.user_id, u.username, u.firstname, u.lastname, u.email, u.active "
        "FROM users_groups_members m JOIN users u ON u.user_id = m.user_id "
        "WHERE m.users_group_id = ? ORDER BY lower(u.username), u.user_id",
        users_group_id);
    RETURN_IF_ERROR(rows);
    std::vector<UserGroupMember> out;
    for (const db::Row& r : *rows) {
        out.push_back(UserGroupMember{r.i64(0), r.text(1), r.text(2), r.text(3), r.opt_text(4),
                                      r.boolean(5)});
    }
    return out;
}

Result<bool> UserGroups::is_member(int64_t users_group_id, int64_t user_id) {
    auto found = conn_.scalar<int64_t>(
        "SELECT users_group_member_id FROM users_groups_members WHERE users_group_id = ? AND "
        "user_id = ? LIMIT 1",
        users_group_id, user_id);
    RETURN_IF_ERROR(found);
    return found->has_value();
}

Status UserGroups::add_member(int64_t users_group_id, int64_t user_id) {
    auto member = is_member(users_group_id, user_id);
    RETURN_IF_ERROR(member);
    if (*member)
        return fail(Errc::conflict, "The user is already a member of this group");
    return conn_.exec("INSERT INTO users_groups_members (users_group_id, user_id) VALUES (?, ?)",
                      users_group_id, user_id);
}

Status UserGroups::remove_member(int64_t users_group_id, int64_t user_id) {
    auto removed = conn_.exec_count(
        "DELETE FROM users_groups_members WHERE users_group_id = ? AND user_id = ?", users_group_id,
        user_id);
    RETURN_IF_ERROR(removed);
    if (*removed == 0)
        return fail(Errc::not_found, "The user is not a member of this group");
    return ok();
}

Result<UserGroupUsage> UserGroups::usage(int64_t users_group_id) {
    UserGroupUsage out;
    auto repos = conn_.query(
        "SELECT DISTINCT r.repo_name FROM users_group_repo_to_perm p "
        "JOIN repositories r ON r.repo_id = p.repository_id WHERE p.users_group_id = ? "
        "ORDER BY r.repo_name",
        users_group_id);
    RETURN_IF_ERROR(repos);
    for (const db::Row& r : *repos)
        out.repositories.push_back(r.text(0));
    auto groups = conn_.query(
        "SELECT DISTINCT gr.group_name FROM users_group_repo_group_to_perm p "
        "JOIN groups gr ON gr.group_id = p.group_id WHERE p.users_group_id = ? "
        "ORDER BY gr.group_name",
        users_group_id);
    RETURN_IF_ERROR(groups);
    for (const db::Row& r : *groups)
        out.repo_groups.push_back(r.text(0));
    return out;
}

}  // namespace kallithea::store
