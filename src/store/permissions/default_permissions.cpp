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

Result<std::vector<IpRow>> DefaultPermissionRows::ips(int64_t user_id) {
    auto rows = conn_.query(
        "SELECT ip_id, user_id, ip_addr, active FROM user_ip_map WHERE user_id = ? ORDER BY ip_id",
        user_id);
    RETURN_IF_ERROR(rows);
    std::vector<IpRow> out;
    for (const auto& row : *rows)
        out.push_back({row.i64(0), row.i64(1), row.text(2), row.boolean(3)});
    return out;
}

Result<int64_t> DefaultPermissionRows::add_ip(int64_t user_id, std::string_view ip_addr) {
    auto existing = conn_.scalar<int64_t>(
        "SELECT ip_id FROM user_ip_map WHERE user_id = ? AND ip_addr = ?", user_id, ip_addr);
    RETURN_IF_ERROR(existing);
    if (*existing)
        return fail(Errc::conflict, fmt::format("{} is already in the list", ip_addr));
    return conn_.insert("INSERT INTO user_ip_map (user_id, ip_addr, active) VALUES (?, ?, ?)",
                        "ip_id", user_id, ip_addr, true);
}

Status DefaultPermissionRows::delete_ip(int64_t user_id, int64_t ip_id) {
    auto affected =
        conn_.exec_count("DELETE FROM user_ip_map WHERE user_id = ? AND ip_id = ?", user_id, ip_id);
    RETURN_IF_ERROR(affected);
    if (*affected == 0)
        return fail(Errc::not_found, fmt::format("no IP entry with id {}", ip_id));
    return ok();
}

}  // namespace kallithea::store
