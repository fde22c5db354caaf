// Rows of Kallithea's `users_groups` and `users_groups_members` tables: lookups, creation,
// settings, membership, and deletion of a group with every row that refers to it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct UserGroupRow {
    int64_t users_group_id = 0;
    std::string name;
    std::string description;
    bool active = true;
    int64_t owner_id = 0;
    std::string owner_name;
    std::string created_on;
    int64_t member_count = 0;
};

struct UserGroupMember {
    int64_t user_id = 0;
    std::string username, firstname, lastname;
    std::optional<std::string> email;
    bool active = true;
};

struct NewUserGroup {
    std::string name;
    std::string description;
    bool active = true;
    int64_t owner_id = 0;
};

// Where a user group holds grants on repositories and repository groups (by name).
struct UserGroupUsage {
    std::vector<std::string> repositories;
    std::vector<std::string> repo_groups;
    bool empty() const { return repositories.empty() && repo_groups.empty(); }
};

// All functions fail with Errc::database on SQL errors; lookups give nullopt when nothing
// matches.
class UserGroups {
public:
    explicit UserGroups(db::Connection& conn) : conn_(conn) {}

    // Every group, by name (case-insensitive), with owner name and member count.
    Result<std::vector<UserGroupRow>> list();
    Result<std::optional<UserGroupRow>> by_id(int64_t users_group_id);
    // Case-insensitive; an exact-case match wins.
    Result<std::optional<UserGroupRow>> by_name(std::string_view name);
    // Exact case only, as Kallithea's permission editors look a grantee group up.
    Result<std::optional<UserGroupRow>> by_exact_name(std::string_view name);

    // Inserts the group and returns its id. Errc::conflict "A user group named X already
    // exists" when the name is taken (case-insensitively).
    Result<int64_t> create(const NewUserGroup& group);
    // Replaces name, description, active flag and owner. Errc::not_found for an unknown id,
    // Errc::conflict when another group has the name (case-insensitively).
    Status update(int64_t users_group_id, const NewUserGroup& group);
    // Deletes the group, its members and every grant by it or on it. Run it inside a
    // transaction. Errc::not_found for an unknown id.
    Status remove(int64_t users_group_id);

    // Members by username.
    Result<std::vector<UserGroupMember>> members(int64_t users_group_id);
    Result<bool> is_member(int64_t users_group_id, int64_t user_id);
    // Errc::conflict when the user is already a member.
    Status add_member(int64_t users_group_id, int64_t user_id);
    // Errc::not_found when the user is not a member.
    Status remove_member(int64_t users_group_id, int64_t user_id);
    // (The groups a user is a member of: Users::member_of.)

    // The repositories and repository groups on which the group holds a grant.
    Result<UserGroupUsage> usage(int64_t users_group_id);

private:
    Result<std::vector<UserGroupRow>> select(std::string_view where_order,
                                             std::span<const db::Param> params);
    Result<std::optional<UserGroupRow>> select_one(std::string_view where_order,
                                                   std::span<const db::Param> params);
    db::Connection& conn_;
};

}  // namespace kallithea::store
