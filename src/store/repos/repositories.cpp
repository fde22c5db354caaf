// SQL for store/repos/repositories.hpp.
#include "store/repos/repositories.hpp"

#include <fmt/format.h>

#include "core/time.hpp"

namespace kallithea::store {
namespace {

RepoSummaryRow to_repo(const db::Row& row) {
    RepoSummaryRow out;
    out.repo_id = row.i64(0);
    out.repo_name = row.text(1);
    out.repo_type = row.text(2);
    out.description = row.text(3);
    out.is_private = row.boolean(4);
    out.owner_id = row.i64(5);
    out.updated_on = row.opt_datetime(6);
    out.changeset_cache = row.opt_text(7);
    return out;
}

constexpr std::string_view kRepoColumns =
    "SELECT repo_id, repo_name, repo_state, clone_uri, repo_type, user_id, private, statistics, "
    "downloads, description, created_on, updated_on, landing_revision, changeset_cache, fork_id, "
    "group_id FROM repositories ";

RepoRow to_repo_row(const db::Row& row) {
    RepoRow out;
    out.repo_id = row.i64(0);
    out.repo_name = row.text(1);
    out.repo_state = row.text(2);
    out.clone_uri = row.opt_text(3);
    out.repo_type = row.text(4);
    out.owner_id = row.i64(5);
    out.is_private = row.boolean(6);
    out.statistics = row.boolean(7);
    out.downloads = row.boolean(8);
    out.description = row.text(9);
    out.created_on = row.datetime(10);
    out.updated_on = row.datetime(11);
    out.landing_revision = row.text(12);
    out.changeset_cache = row.opt_text(13);
    out.fork_id = row.opt_i64(14);
    out.group_id = row.opt_i64(15);
    return out;
}

Result<std::optional<RepoRow>> one_repo(Result<std::optional<db::Row>> row) {
    RETURN_IF_ERROR(row);
    if (!*row)
        return std::optional<RepoRow>();
    return std::optional<RepoRow>(to_repo_row(**row));
}

}  // namespace

Result<std::optional<RepoRow>> Repositories::by_name(std::string_view repo_name) {
    return one_repo(conn_.query_one(std::string(kRepoColumns) + "WHERE repo_name = ?", repo_name));
}

Result<std::optional<RepoRow>> Repositories::by_id(int64_t repo_id) {
    return one_repo(conn_.query_one(std::string(kRepoColumns) + "WHERE repo_id = ?", repo_id));
}

Result<RepoGrantRows> Repositories::grants(int64_t repo_id, int64_t default_user_id,
                                           std::optional<int64_t> user_id) {
    RepoGrantRows out;
    auto rows = conn_.query(
        "SELECT r.user_id, p.permission_name FROM repo_to_perm r "
        "JOIN permissions p ON p.permission_id = r.permission_id "
        "WHERE r.repository_id = ? AND (r.user_id = ? OR r.user_id = ?)",
        repo_id, default_user_id, user_id.value_or(default_user_id));
    RETURN_IF_ERROR(rows);
    for (const auto& row : *rows) {
        if (row.i64(0) == default_user_id)
            out.default_grant = row.text(1);
        if (user_id && row.i64(0) == *user_id && *user_id != default_user_id)
            out.user_grant = row.text(1);
    }
    if (!user_id || *user_id == default_user_id)
        return out;
    auto groups = conn_.query(
        "SELECT p.permission_name FROM users_group_repo_to_perm g "
        "JOIN permissions p ON p.permission_id = g.permission_id "
        "JOIN users_groups ug ON ug.users_group_id = g.users_group_id "
        "JOIN users_groups_members m ON m.users_group_id = g.users_group_id "
        "WHERE g.repository_id = ? AND m.user_id = ? AND ug.users_group_active = ?",
        repo_id, *user_id, true);
    RETURN_IF_ERROR(groups);
    for (const auto& row : *groups)
        out.group_grants.push_back(row.text(0));
    return out;
}

Result<std::vector<RepoSummaryRow>> Repositories::in_group(std::optional<int64_t> group_id) {
    static constexpr std::string_view kColumns =
        "SELECT repo_id, repo_name, repo_type, description, private, user_id, updated_on, "
        "changeset_cache FROM repositories ";
    auto rows =
        group_id
            ? conn_.query(std::string(kColumns) + "WHERE group_id = ? ORDER BY lower(repo_name)",
                          *group_id)
            : conn_.query(std::string(kColumns) +
                          "WHERE group_id IS NULL ORDER BY lower(repo_name)");
    RETURN_IF_ERROR(rows);
    std::vector<RepoSummaryRow> out;
    out.reserve(rows->size());
    for (const auto& row : *rows)
        out.push_back(to_repo(row));
    return out;
}

Status Repositories::set_changeset_cache(int64_t repo_id, std::string_view json) {
    return conn_.exec(
        "UPDATE repositories SET changeset_cache = ?, updated_on = ? WHERE repo_id = ?", json,
        timefmt::db_now(), repo_id);
}

Result<std::vector<GroupSummaryRow>> Repositories::groups_in(std::optional<int64_t> parent_id) {
    static constexpr std::string_view kColumns =
        "SELECT group_id, group_name, group_description FROM groups ";
    auto rows = parent_id ? conn_.query(std::string(kColumns) +
                                            "WHERE group_parent_id = ? ORDER BY lower(group_name)",
                                        *parent_id)
                          : conn_.query(std::string(kColumns) +
                                        "WHERE group_parent_id IS NULL ORDER BY lower(group_name)");
    RETURN_IF_ERROR(rows);
    std::vector<GroupSummaryRow> out;
    for (const auto& row : *rows)
        out.push_back({row.i64(0), row.text(1), row.text(2)});
    return out;
}

Result<std::optional<RepoRow>> Repositories::by_name_ci(std::string_view repo_name) {
    return one_repo(conn_.query_one(std::string(kRepoColumns) +
                                        "WHERE lower(repo_name) = lower(?) "
                                        "ORDER BY CASE WHEN repo_name = ? THEN 0 ELSE 1 END, "
                                        "repo_id LIMIT 1",
                                    repo_name, repo_name));
}

Result<Repositories::ExistingNames> Repositories::existing_repo_and_group_names(
    std::span<const std::string> names) {
    ExistingNames out;
    if (names.empty())
        return out;
    std::string list;
    std::vector<db::Param> params;
    params.reserve(2 * names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        list += i ? ", ?" : "?";
        params.emplace_back(names[i]);
    }
    for (const auto& name : names)
        params.emplace_back(name);
    const std::string sql = "SELECT 'r', repo_name FROM repositories WHERE repo_name IN (" + list +
                            ") UNION ALL SELECT 'g', group_name FROM groups WHERE group_name IN (" +
                            list + ")";
    auto rows = conn_.query_params(sql, params);
    RETURN_IF_ERROR(rows);
    for (const auto& row : *rows)
        (row.text(0) == "r" ? out.repos : out.groups).push_back(row.text(1));
    return out;
}

Result<std::vector<std::string>> Repositories::all_names() {
    auto rows = conn_.query("SELECT repo_name FROM repositories ORDER BY repo_name");
    RETURN_IF_ERROR(rows);
    std::vector<std::string> out;
    out.reserve(rows->size());
    for (const auto& row : *rows)
        out.push_back(row.text(0));
    return out;
}

Result<std::vector<RepoListingRow>> Repositories::listing(std::optional<int64_t> owner_id) {
    static constexpr std::string_view kColumns =
        "SELECT r.repo_id, r.repo_name, r.repo_type, r.description, r.private, r.user_id, "
        "r.updated_on, r.changeset_cache, u.username, r.repo_state FROM repositories r "
        "JOIN users u ON u.user_id = r.user_id ";
    auto rows =
        owner_id
            ? conn_.query(std::string(kColumns) + "WHERE r.user_id = ? ORDER BY lower(r.repo_name)",
                          *owner_id)
            : conn_.query(std::string(kColumns) + "ORDER BY lower(r.repo_name)");
    RETURN_IF_ERROR(rows);
    std::vector<RepoListingRow> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) {
        RepoListingRow item;
        static_cast<RepoSummaryRow&>(item) = to_repo(row);
        item.owner_username = row.text(8);
        item.repo_state = row.text(9);
        out.push_back(std::move(item));
    }
    return out;
}

Result<int64_t> Repositories::create(const NewRepoRow& r) {
    const std::string now = timefmt::db_now();
    return conn_.insert(
        "INSERT INTO repositories (repo_name, repo_state, clone_uri, repo_type, user_id, private, "
        "statistics, downloads, description, created_on, updated_on, landing_revision, fork_id, "
        "group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "repo_id", r.repo_name, r.repo_state, r.clone_uri, r.repo_type, r.owner_id, r.is_private,
        r.statistics, r.downloads, r.description, now, now, r.landing_revision, r.fork_id,
        r.group_id);
}

Status Repositories::grant_user(int64_t repo_id, int64_t user_id, int64_t permission_id) {
    return conn_.exec(
        "INSERT INTO repo_to_perm (user_id, permission_id, repository_id) VALUES (?, ?, ?)",
        user_id, permission_id, repo_id);
}

Status Repositories::grant_user_group(int64_t repo_id, int64_t users_group_id,
                                      int64_t permission_id) {
    return conn_.exec(
        "INSERT INTO users_group_repo_to_perm (users_group_id, permission_id, repository_id) "
        "VALUES (?, ?, ?)",
        users_group_id, permission_id, repo_id);
}

Status Repositories::add_follower(int64_t repo_id, int64_t user_id) {
    return conn_.exec(
        "INSERT INTO user_followings (user_id, follows_repository_id, follows_from) "
        "VALUES (?, ?, ?)",
        user_id, repo_id, timefmt::db_now());
}

Result<int64_t> Repositories::count_forks(int64_t repo_id) {
    auto n = conn_.scalar<int64_t>("SELECT COUNT(*) FROM repositories WHERE fork_id = ?", repo_id);
    RETURN_IF_ERROR(n);
    return n->value_or(0);
}

Status Repositories::detach_forks(int64_t repo_id) {
    return conn_.exec("UPDATE repositories SET fork_id = NULL WHERE fork_id = ?", repo_id);
}

Status Repositories::remove(int64_t repo_id) {
    // Children first: the schema's foreign keys have no ON DELETE actions.
    static constexpr std::string_view kPullRequests =
        "SELECT pull_request_id FROM pull_requests WHERE org_repo_id = ? OR other_repo_id = ?";
    const std::string comment_filter =
        fmt::format("repo_id = ? OR pull_request_id IN ({})", kPullRequests);
    const std::string statuses = fmt::format(
        "DELETE FROM changeset_statuses WHERE {} OR changeset_comment_id IN "
        "(SELECT comment_id FROM changeset_comments WHERE {})",
        comment_filter, comment_filter);
    const std::string comments =
        fmt::format("DELETE FROM changeset_comments WHERE {}", comment_filter);
    const std::string reviewers = fmt::format(
        "DELETE FROM pull_request_reviewers WHERE pull_request_id IN ({})", kPullRequests);
    if (auto st = conn_.exec(statuses, repo_id, repo_id, repo_id, repo_id, repo_id, repo_id); !st)
        return st;
    if (auto st = conn_.exec(comments, repo_id, repo_id, repo_id); !st)
        return st;
    if (auto st = conn_.exec(reviewers, repo_id, repo_id); !st)
        return st;
    static constexpr std::string_view kByRepo[] = {
        "DELETE FROM pull_requests WHERE org_repo_id = ? OR other_repo_id = ?",
        "DELETE FROM repo_to_perm WHERE repository_id = ?",
        "DELETE FROM users_group_repo_to_perm WHERE repository_id = ?",
        "DELETE FROM user_followings WHERE follows_repository_id = ?",
        "DELETE FROM repositories_fields WHERE repository_id = ?",
        "DELETE FROM statistics WHERE repository_id = ?",
        "UPDATE user_logs SET repository_id = NULL WHERE repository_id = ?",
    };
    for (std::string_view sql : kByRepo) {
        const bool two = sql.find("other_repo_id") != std::string_view::npos;
        auto st = two ? conn_.exec(sql, repo_id, repo_id) : conn_.exec(sql, repo_id);
        if (!st)
            return st;
    }
    auto removed = conn_.exec_count("DELETE FROM repositories WHERE repo_id = ?", repo_id);
    RETURN_IF_ERROR(removed);
    if (*removed == 0)
        return fail(Errc::not_found, fmt::format("no repository with id {}", repo_id));
    return ok();
}

}  // namespace kallithea::store
