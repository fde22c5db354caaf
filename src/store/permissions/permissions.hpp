// Kallithea's `permissions` table and users' global grants (`user_to_perm`).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

// Every permission name, in the order (and so with the ids 1..24) db-create writes them.
inline constexpr std::array<std::string_view, 24> kPermissionNames = {
    "hg.admin",
    "repository.none",
    "repository.read",
    "repository.write",
    "repository.admin",
    "group.none",
    "group.read",
    "group.write",
    "group.admin",
    "usergroup.none",
    "usergroup.read",
    "usergroup.write",
    "usergroup.admin",
    "hg.usergroup.create.false",
    "hg.usergroup.create.true",
    "hg.create.none",
    "hg.create.repository",
    "hg.fork.none",
    "hg.fork.repository",
    "hg.register.none",
    "hg.register.manual_activate",
    "hg.register.auto_activate",
    "hg.extern_activate.manual",
    "hg.extern_activate.auto",
};

// The `default` user's global permissions on a new database (Kallithea's
// DEFAULT_USER_PERMISSIONS), in the order db-create writes them.
inline constexpr std::array<std::string_view, 7> kDefaultUserPermissions = {
    "repository.read",         "group.read",         "usergroup.read",
    "hg.create.repository",    "hg.fork.repository", "hg.register.manual_activate",
    "hg.extern_activate.auto",
};

struct PermissionRow {
    int64_t permission_id = 0;
    std::string name;
};

// Errc::database on SQL errors.
class Permissions {
public:
    explicit Permissions(db::Connection& conn) : conn_(conn) {}

    // Names of the user's own global grants (user_to_perm), by permission id; the `default`
    // user's and user groups' grants are not merged in (that is the perm layer's job).
    Result<std::vector<std::string>> user_global(int64_t user_id);
    // The one permission-id lookup: the id of the permission named `name` (the lowest, should
    // the table repeat a name), nullopt when the table has none.
    Result<std::optional<int64_t>> find(std::string_view name);
    // The same, with Errc::not_found "Unknown permission X" for a name that is not in the table.
    Result<int64_t> by_name(std::string_view name);
    Result<std::vector<PermissionRow>> all();
    // Adds a user_to_perm row; Errc::not_found for an unknown name, Errc::conflict if granted.
    Status grant_global(int64_t user_id, std::string_view name);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
