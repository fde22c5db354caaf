// SQL for store/repo_groups/repo_groups.hpp.
#include "store/repo_groups/repo_groups.hpp"

#include "core/time.hpp"

namespace kallithea::store {
namespace {

constexpr std::string_view kColumns =
    "SELECT group_id, group_name, group_parent_id, group_description, user_id, created_on "
    "FROM groups ";

RepoGroupRow to_group(const db::Row& row) {
    RepoGroupRow out;
    out.group_id = row.i64(0);
    out.group_name = row.text(1);
    out.parent_id = row.opt_i64(2);
    out.description = row.text(3);
    out.owner_id = row.i64(4);
    out.created_on = row.datetime(5);
    return out;
}

Result<std::optional<RepoGroupRow>> one_group(Result<std::optional<db::Row>> row) {
    RETURN_IF_ERROR(row);
    if (!*row)
        return std::optional<RepoGroupRow>();
    return std::optional<RepoGroupRow>(to_group(**row));
}

}  // namespace

Result<std::optional<RepoGroupRow>> RepoGroups::by_id(int64_t group_id) {
    return one_group(conn_.query_one(std::string(kColumns) + "WHERE group_id = ?", group_id));
}

Result<std::optional<RepoGroupRow>> RepoGroups::by_name(std::string_view group_name) {
    return one_group(conn_.query_one(std::string(kColumns) + "WHERE group_name = ?", group_name));
}

Result<std::optional<RepoGroupRow>> RepoGroups::by_name_ci(std::string_view group_name) {
    return one_group(conn_.query_one(std::string(kColumns) +
                                         "WHERE lower(group_name) = lower(?) "
                                         "ORDER BY CASE WHEN group_name = ? THEN 0 ELSE 1 END, "
                                         "group_id LIMIT 1",
                                     group_name, group_name));
}

Result<std::vector<RepoGroupRow>> RepoGroups::all() {
    auto rows = conn_.query(std::string(kColumns) + "ORDER BY lower(group_name), group_id");
    RETURN_IF_ERROR(rows);
    std::vector<RepoGroupRow> out;
    out.reserve(rows->size());
    for (const auto& row : *rows)
        out.push_back(to_group(row));
    return out;
}

Result<int64_t> RepoGroups::create(const NewRepoGroup& group) {
    return conn_.insert(
        "INSERT INTO groups (group_name, group_parent_id, group_description, user_id, "
        "created_on) VALUES (?, ?, ?, ?, ?)",
        "group_id", group.group_name, group.parent_id, group.description, group.owner_id,
        timefmt::db_now());
}

Status RepoGroups::grant_user(int64_t group_id, int64_t user_id, int64_t permission_id) {
    return conn_.exec(
        "INSERT INTO user_repo_group_to_perm (user_id, group_id, permission_id) VALUES (?, ?, ?)",
        user_id, group_id, permission_id);
}

Result<std::vector<GroupGrantRow>> RepoGroups::user_grants(int64_t group_id) {
    auto rows = conn_.query(
        "SELECT g.user_id, p.permission_name FROM user_repo_group_to_perm g "
        "JOIN permissions p ON p.permission_id = g.permission_id WHERE g.group_id = ? "
        "ORDER BY g.user_id",
        group_id);
    RETURN_IF_ERROR(rows);
    std::vector<GroupGrantRow> out;
    for (const auto& row : *rows)
        out.push_back({row.i64(0), row.text(1)});
    return out;
}

Result<std::vector<GroupGrantRow>> RepoGroups::user_group_grants(int64_t group_id) {
    auto rows = conn_.query(
        "SELECT g.users_group_id, p.permission_name FROM users_group_repo_group_to_perm g "
        "JOIN permissions p ON p.permission_id = g.permission_id WHERE g.group_id = ? "
        "ORDER BY g.users_group_id",
        group_id);
    RETURN_IF_ERROR(rows);
    std::vector<GroupGrantRow> out;
    for (const auto& row : *rows)
        out.push_back({row.i64(0), row.text(1)});
    return out;
}

Status RepoGroups::update(int64_t group_id, std::string_view group_name,
                          std::optional<int64_t> parent_id, std::string_view description) {
    return conn_.exec(
        "UPDATE groups SET group_name = ?, group_parent_id = ?, group_description = ? "
        "WHERE group_id = ?",
        group_name, parent_id, description, group_id);
}

Status RepoGroups::set_name(int64_t group_id, std::string_view group_name) {
    return conn_.exec("UPDATE groups SET group_name = ? WHERE group_id = ?", group_name, group_id);
}

Status RepoGroups::remove(int64_t group_id) {
    for (const char* sql : {"DELETE FROM user_repo_group_to_perm WHERE group_id = ?",
                            "DELETE FROM users_group_repo_group_to_perm WHERE group_id = ?",
                            "DELETE FROM groups WHERE group_id = ?"})
        if (auto st = conn_.exec(sql, group_id); !st)
            return st;
    return ok();
}

Result<RepoGroups::ChildCounts> RepoGroups::count_children(int64_t group_id) {
    auto repos =
        conn_.scalar<int64_t>("SELECT count(*) FROM repositories WHERE group_id = ?", group_id);
    RETURN_IF_ERROR(repos);
    auto groups =
        conn_.scalar<int64_t>("SELECT count(*) FROM groups WHERE group_parent_id = ?", group_id);
    RETURN_IF_ERROR(groups);
    return ChildCounts{repos->value_or(0), groups->value_or(0)};
}

Result<std::vector<RepoGroups::RepoPlace>> RepoGroups::repository_places() {
    auto rows = conn_.query(
        "SELECT repo_id, repo_name, group_id, private FROM repositories ORDER BY repo_id");
    RETURN_IF_ERROR(rows);
    std::vector<RepoPlace> out;
    out.reserve(rows->size());
    for (const auto& row : *rows)
        out.push_back({row.i64(0), row.text(1), row.opt_i64(2), row.boolean(3)});
    return out;
}

Status RepoGroups::set_repository_name(int64_t repo_id, std::string_view repo_name) {
    return conn_.exec("UPDATE repositories SET repo_name = ? WHERE repo_id = ?", repo_name,
                      repo_id);
}

}  // namespace kallithea::store
