// Implementation of store/permissions/default_permissions.hpp.
#include "store/permissions/default_permissions.hpp"

#include <fmt/format.h>

namespace kallithea::store {

Status DefaultPermissionRows::set_user_active(int64_t user_id, bool active) {
    auto affected =
        conn_.exec_count("UPDATE users SET active = ? WHERE user_id = ?", active, user_id);
    RETURN_IF_ERROR(affected);
    if (*affected == 0)
        return fail(Errc::not_found, fmt::format("no user with id {}", user_id));
    return ok();
}

Result<std::vector<int64_t>> DefaultPermissionRows::overwritable_ids(GrantObject object) {
    std::string_view sql;
    switch (object) {
        case GrantObject::repository:
            sql = "SELECT repo_id FROM repositories WHERE private = ? ORDER BY repo_id";
            break;
        case GrantObject::repo_group:
            sql = "SELECT group_id FROM groups ORDER BY group_id";
            break;
        case GrantObject::user_group:
            sql = "SELECT users_group_id FROM users_groups ORDER BY users_group_id";
            break;
    }
    auto rows = object == GrantObject::repository ? conn_.query(sql, false) : conn_.query(sql);
    RETURN_IF_ERROR(rows);
    std::vector<int64_t> ids;
    ids.reserve(rows->size());
    for (const auto& row : *rows)
        ids.push_back(row.i64(0));
    return ids;
}

}  // namespace kallithea::store
