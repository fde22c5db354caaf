// SQL for store/user_groups/user_group_lookup.hpp.
#include "store/user_groups/user_group_lookup.hpp"

namespace kallithea::store {
namespace {

Result<std::optional<UserGroupRef>> one(Result<std::optional<db::Row>> row) {
    RETURN_IF_ERROR(row);
    if (!*row)
        return std::optional<UserGroupRef>();
    return std::optional<UserGroupRef>(
        UserGroupRef{(*row)->i64(0), (*row)->text(1), (*row)->boolean(2)});
}

}  // namespace

Result<std::optional<UserGroupRef>> UserGroupLookup::by_name(std::string_view name) {
    return one(conn_.query_one(
        "SELECT users_group_id, users_group_name, users_group_active FROM users_groups "
        "WHERE users_group_name = ?",
        name));
}

Result<std::optional<UserGroupRef>> UserGroupLookup::by_id(int64_t users_group_id) {
    return one(conn_.query_one(
        "SELECT users_group_id, users_group_name, users_group_active FROM users_groups "
        "WHERE users_group_id = ?",
        users_group_id));
}

}  // namespace kallithea::store
