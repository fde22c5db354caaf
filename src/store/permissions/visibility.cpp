// SQL for store/permissions/visibility.hpp. Every query starts from the objects of the listing
// (indexed by their parent: migration 3) and looks their grant rows up by object id, so its cost
// follows the listing; the user's active group memberships are a small uncorrelated subquery.
#include "store/permissions/visibility.hpp"

#include <string_view>

#include "store/permissions/permissions.hpp"

namespace kallithea::store {
namespace {

// The ids of the active user groups a user (the one bound parameter) is a member of.
constexpr std::string_view kActiveGroupsOfUser =
    "SELECT m.users_group_id FROM users_groups_members m "
    "JOIN users_groups ug ON ug.users_group_id = m.users_group_id "
    "WHERE m.user_id = ? AND ug.users_group_active = ?";

// One kind of listed object and its two grant tables.
struct ObjectTables {
    std::string_view objects;       // "repositories x"
    std::string_view object_id;     // "x.repo_id"
    std::string_view parent;        // "x.group_id"
    std::string_view user_table;    // "repo_to_perm"
    std::string_view group_table;   // "users_group_repo_to_perm"
    std::string_view grant_object;  // the grant tables' column naming the object
};

constexpr ObjectTables kRepositories{
    "repositories x",           "x.repo_id",    "x.group_id", "repo_to_perm",
    "users_group_repo_to_perm", "repository_id"};
constexpr ObjectTables kRepoGroups{"groups x",
                                   "x.group_id",
                                   "x.group_parent_id",
                                   "user_repo_group_to_perm",
                                   "users_group_repo_group_to_perm",
                                   "group_id"};

// The objects a query covers: those directly inside one parent (nullopt: the top level), or all.
struct Listed {
    std::optional<int64_t> parent_id;
    bool all = false;
};

std::string parent_condition(const ObjectTables& t, const Listed& listed) {
    if (listed.all)
        return "1 = 1";
    return std::string(t.parent) + (listed.parent_id ? " = ?" : " IS NULL");
}

// Starts the query of one grant table over the listed objects (callers append the grantee
// condition): `SELECT g.<object><columns> FROM <objects> CROSS JOIN <grant_table> g ...`.
void start_grants_query(std::string& sql, const ObjectTables& t, const Listed& listed,
                        std::string_view columns, std::string_view grant_table) {
    sql = "SELECT g.";
    sql.append(t.grant_object)
        .append(columns)
        .append(" FROM ")
        .append(t.objects)
        .append(" CROSS JOIN ")
        .append(grant_table)
        .append(" g JOIN permissions p ON p.permission_id = g.permission_id WHERE g.")
        .append(t.grant_object)
        .append(" = ")
        .append(t.object_id)
        .append(" AND ")
        .append(parent_condition(t, listed));
}

Result<std::vector<ListingGrant>> listing_grants(db::Connection& conn, const ObjectTables& t,
                                                 const Listed& listed, int64_t default_user_id,
                                                 std::optional<int64_t> user_id) {
    // A plain id and flag, not an optional: GCC 12 at -O2 warns (falsely) that the optional's
    // value may be used uninitialized once it is copied into the variant of db::Param.
    const bool by_parent = !listed.all && listed.parent_id.has_value();
    const int64_t parent_id = by_parent ? *listed.parent_id : 0;
    std::vector<ListingGrant> out;
    // The `default` user's rows and the user's own.
    // CROSS JOIN keeps SQLite's planner on this order (the listing first); it would rather
    // start from the `default` user's rows, one per object in the database.
    std::string sql;
    start_grants_query(sql, t, listed, ", g.user_id, p.permission_name", t.user_table);
    sql.append(" AND g.user_id IN (?, ?)");
    std::vector<db::Param> params;
    if (by_parent)
        params.emplace_back(parent_id);
    params.emplace_back(default_user_id);
    params.emplace_back(user_id.value_or(default_user_id));
    auto rows = conn.query_params(sql, params);
    RETURN_IF_ERROR(rows);
    out.reserve(rows->size());
    for (const db::Row& row : *rows) {
        const int64_t grantee = row.i64(1);
        out.push_back({row.i64(0),
                       grantee == default_user_id ? GrantSource::default_user : GrantSource::user,
                       row.text(2)});
    }
    if (!user_id || *user_id == default_user_id)
        return out;

    // Rows of the active user groups the user is a member of.
    start_grants_query(sql, t, listed, ", p.permission_name", t.group_table);
    sql.append(" AND g.users_group_id IN (").append(kActiveGroupsOfUser).append(")");
    params.clear();
    if (by_parent)
        params.emplace_back(parent_id);
    params.emplace_back(*user_id);
    params.emplace_back(true);
    rows = conn.query_params(sql, params);
    RETURN_IF_ERROR(rows);
    for (const db::Row& row : *rows)
        out.push_back({row.i64(0), GrantSource::user_group, row.text(1)});
    return out;
}

// The ids of the repositories a user may administer (parameters: user, user, admin permission,
// user, active, admin permission, default user, admin permission).
constexpr std::string_view kCandidateIds =
    "SELECT o.repo_id FROM repositories o WHERE o.user_id = ? "
    "UNION SELECT t.repository_id FROM repo_to_perm t "
    "WHERE t.user_id = ? AND t.permission_id = ? "
    "UNION SELECT gt.repository_id FROM users_group_repo_to_perm gt "
    "WHERE gt.users_group_id IN (SELECT m.users_group_id FROM users_groups_members m "
    "JOIN users_groups ug ON ug.users_group_id = m.users_group_id "
    "WHERE m.user_id = ? AND ug.users_group_active = ?) AND gt.permission_id = ? "
    "UNION SELECT d.repository_id FROM repo_to_perm d "
    "WHERE d.user_id = ? AND d.permission_id = ?";

// The parameters of kCandidateIds, in its order.
std::vector<db::Param> candidate_params(int64_t user_id, int64_t default_user_id, int64_t admin) {
    return std::vector<db::Param>{user_id, user_id, admin,           user_id,
                                  true,    admin,   default_user_id, admin};
}

// The candidate repositories with their owners, by lower-cased name.
Status read_candidate_repos(db::Connection& conn, std::string& sql,
                            const std::vector<db::Param>& params,
                            std::vector<RepoListingRow>& out) {
    sql =
        "SELECT r.repo_id, r.repo_name, r.repo_type, r.description, r.private, r.user_id, "
        "r.updated_on, r.changeset_cache, u.username, r.repo_state FROM repositories r "
        "JOIN users u ON u.user_id = r.user_id WHERE r.repo_id IN (";
    sql.append(kCandidateIds).append(") ORDER BY lower(r.repo_name)");
    auto rows = conn.query_params(sql, params);
    RETURN_IF_ERROR(rows);
    out.reserve(rows->size());
    for (const db::Row& row : *rows) {
        RepoListingRow item;
        item.repo_id = row.i64(0);
        item.repo_name = row.text(1);
        item.repo_type = row.text(2);
        item.description = row.text(3);
        item.is_private = row.boolean(4);
        item.owner_id = row.i64(5);
        item.updated_on = row.opt_datetime(6);
        item.changeset_cache = row.opt_text(7);
        item.owner_username = row.text(8);
        item.repo_state = row.text(9);
        out.push_back(std::move(item));
    }
    return ok();
}

// Grant rows on the candidates: the default user's and the user's own.
Status read_candidate_user_grants(db::Connection& conn, std::string& sql,
                                  std::vector<db::Param> params, int64_t user_id,
                                  int64_t default_user_id, std::vector<ListingGrant>& out) {
    sql =
        "SELECT t.repository_id, t.user_id, p.permission_name FROM repositories r "
        "CROSS JOIN repo_to_perm t JOIN permissions p ON p.permission_id = t.permission_id "
        "WHERE t.repository_id = r.repo_id AND t.user_id IN (?, ?) AND r.repo_id IN (";
    sql.append(kCandidateIds).append(")");
    params.insert(params.begin(), {default_user_id, user_id});
    auto rows = conn.query_params(sql, params);
    RETURN_IF_ERROR(rows);
    for (const db::Row& row : *rows)
        out.push_back(
            {row.i64(0),
             row.i64(1) == default_user_id ? GrantSource::default_user : GrantSource::user,
             row.text(2)});
    return ok();
}

// Grant rows on the candidates of the active user groups the user is a member of.
Status read_candidate_group_grants(db::Connection& conn, std::string& sql,
                                   std::vector<db::Param> params, int64_t user_id,
                                   std::vector<ListingGrant>& out) {
    sql =
        "SELECT g.repository_id, p.permission_name FROM repositories r "
        "CROSS JOIN users_group_repo_to_perm g JOIN permissions p "
        "ON p.permission_id = g.permission_id WHERE g.repository_id = r.repo_id "
        "AND g.users_group_id IN (";
    sql.append(kActiveGroupsOfUser)
        .append(") AND r.repo_id IN (")
        .append(kCandidateIds)
        .append(")");
    params.insert(params.begin(), {user_id, true});
    auto rows = conn.query_params(sql, params);
    RETURN_IF_ERROR(rows);
    for (const db::Row& row : *rows)
        out.push_back({row.i64(0), GrantSource::user_group, row.text(1)});
    return ok();
}

}  // namespace

Result<std::vector<ListingGrant>> Visibility::repository_grants(std::optional<int64_t> group_id,
                                                                int64_t default_user_id,
                                                                std::optional<int64_t> user_id) {
    return listing_grants(conn_, kRepositories, Listed{group_id}, default_user_id, user_id);
}

Result<std::vector<ListingGrant>> Visibility::all_repository_grants(
    int64_t default_user_id, std::optional<int64_t> user_id) {
    return listing_grants(conn_, kRepositories, Listed{std::nullopt, true}, default_user_id,
                          user_id);
}

Result<std::vector<ListingGrant>> Visibility::repo_group_grants(std::optional<int64_t> parent_id,
                                                                int64_t default_user_id,
                                                                std::optional<int64_t> user_id) {
    return listing_grants(conn_, kRepoGroups, Listed{parent_id}, default_user_id, user_id);
}

Result<AdministeredRows> Visibility::administration_candidates(int64_t user_id,
                                                               int64_t default_user_id) {
    AdministeredRows out;
    auto admin_id = Permissions(conn_).find("repository.admin");
    RETURN_IF_ERROR(admin_id);
    // Without the permission row nobody holds it by grant; -1 matches no row.
    const int64_t admin = admin_id->value_or(-1);
    std::string sql;
    RETURN_IF_ERROR(read_candidate_repos(
        conn_, sql, candidate_params(user_id, default_user_id, admin), out.repos));
    if (out.repos.empty())
        return out;
    RETURN_IF_ERROR(read_candidate_user_grants(conn_, sql,
                                               candidate_params(user_id, default_user_id, admin),
                                               user_id, default_user_id, out.grants));
    RETURN_IF_ERROR(read_candidate_group_grants(
        conn_, sql, candidate_params(user_id, default_user_id, admin), user_id, out.grants));
    return out;
}

}  // namespace kallithea::store
