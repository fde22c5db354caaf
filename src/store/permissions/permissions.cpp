// Implementation of store/permissions/permissions.hpp.
#include "store/permissions/permissions.hpp"

#include <fmt/format.h>

namespace kallithea::store {

Result<std::vector<std::string>> Permissions::user_global(int64_t user_id) {
    auto rows = conn_.query(
        "SELECT p.permission_name FROM user_to_perm up "
        "JOIN permissions p ON p.permission_id = up.permission_id "
        "WHERE up.user_id = ? ORDER BY p.permission_id",
        user_id);
    RETURN_IF_ERROR(rows);
    std::vector<std::string> out;
    for (const db::Row& r : *rows)
        out.push_back(r.text(0));
    return out;
}

Result<std::optional<int64_t>> Permissions::find(std::string_view name) {
    return conn_.scalar<int64_t>(
        "SELECT permission_id FROM permissions WHERE permission_name = ? "
        "ORDER BY permission_id LIMIT 1",
        name);
}

Result<int64_t> Permissions::by_name(std::string_view name) {
    auto id = find(name);
    RETURN_IF_ERROR(id);
    if (!*id)
        return fail(Errc::not_found, fmt::format("Unknown permission {}", name));
    return **id;
}

Result<std::vector<PermissionRow>> Permissions::all() {
    auto rows = conn_.query(
        "SELECT permission_id, permission_name FROM permissions ORDER BY permission_id");
    RETURN_IF_ERROR(rows);
    std::vector<PermissionRow> out;
    for (const db::Row& r : *rows)
        out.push_back(PermissionRow{r.i64(0), r.text(1)});
    return out;
}

Status Permissions::grant_global(int64_t user_id, std::string_view name) {
    auto id = by_name(name);
    RETURN_IF_ERROR(id);
    auto st =
        conn_.exec("INSERT INTO user_to_perm (user_id, permission_id) VALUES (?, ?)", user_id, *id);
    if (!st && st.error().code == Errc::conflict)
        return fail(Errc::conflict, fmt::format("permission {} is already granted", name),
                    st.error().detail);
    return st;
}

}  // namespace kallithea::store
