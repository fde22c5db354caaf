// SQL for store/repositories.hpp.
#include "store/repositories.hpp"

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

}  // namespace

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
    if (!rows)
        return fail(std::move(rows.error()));
    std::vector<RepoSummaryRow> out;
    out.reserve(rows->size());
    for (const auto& row : *rows)
        out.push_back(to_repo(row));
    return out;
}

Result<std::vector<GroupSummaryRow>> Repositories::groups_in(std::optional<int64_t> parent_id) {
    static constexpr std::string_view kColumns =
        "SELECT group_id, group_name, group_description FROM groups ";
    auto rows = parent_id ? conn_.query(std::string(kColumns) +
                                            "WHERE group_parent_id = ? ORDER BY lower(group_name)",
                                        *parent_id)
                          : conn_.query(std::string(kColumns) +
                                        "WHERE group_parent_id IS NULL ORDER BY lower(group_name)");
    if (!rows)
        return fail(std::move(rows.error()));
    std::vector<GroupSummaryRow> out;
    for (const auto& row : *rows)
        out.push_back({row.i64(0), row.text(1), row.text(2)});
    return out;
}

}  // namespace kallithea::store
