// Kallithea's `groups` table (repository groups, nested by group_parent_id) and the `default`
// user's grant on each group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct RepoGroupRow {
    int64_t group_id = 0;
    std::string group_name;  // full path, e.g. "a/b"
    std::optional<int64_t> parent_id;
    std::string description;
    int64_t owner_id = 0;
    std::string created_on;
};

// One grant on a group: to a user (user_repo_group_to_perm) or a user group
// (users_group_repo_group_to_perm).
struct GroupGrantRow {
    int64_t grantee_id = 0;  // user_id or users_group_id
    std::string permission;  // "group.read", ...
};

struct NewRepoGroup {
    std::string group_name;  // full path
    std::optional<int64_t> parent_id;
    std::string description;
    int64_t owner_id = 0;
};

// Errc::database on SQL errors.
class RepoGroups {
public:
    explicit RepoGroups(db::Connection& conn) : conn_(conn) {}

    Result<std::optional<RepoGroupRow>> by_id(int64_t group_id);
    Result<std::optional<RepoGroupRow>> by_name(std::string_view group_name);
    // Case-insensitive (lower() on both sides), as Kallithea's name checks.
    Result<std::optional<RepoGroupRow>> by_name_ci(std::string_view group_name);
    // Every group, by lower-cased full path.
    Result<std::vector<RepoGroupRow>> all();
    // Inserts the group (created_on now) and returns its id; Errc::conflict when the name exists.
    Result<int64_t> create(const NewRepoGroup& group);
    // Adds a user_repo_group_to_perm row.
    Status grant_user(int64_t group_id, int64_t user_id, int64_t permission_id);
    // The group's grants to users and to user groups.
    Result<std::vector<GroupGrantRow>> user_grants(int64_t group_id);
    Result<std::vector<GroupGrantRow>> user_group_grants(int64_t group_id);

    // Sets name, parent and description of one group (not its descendants).
    Status update(int64_t group_id, std::string_view group_name, std::optional<int64_t> parent_id,
                  std::string_view description);
    // Renames one group (group_name only; moving subtrees renames each descendant).
    Status set_name(int64_t group_id, std::string_view group_name);
    // Deletes the group row and the grants on it. Several statements: run it in a transaction.
    Status remove(int64_t group_id);
    // Repositories and groups directly inside the group.
    struct ChildCounts {
        int64_t repositories = 0;
        int64_t groups = 0;
    };
    Result<ChildCounts> count_children(int64_t group_id);

    // Every repository's place in the group tree (for subtree moves and "apply to children").
    struct RepoPlace {
        int64_t repo_id = 0;
        std::string repo_name;
        std::optional<int64_t> group_id;
        bool is_private = false;
    };
    Result<std::vector<RepoPlace>> repository_places();
    // Renames a repository row (a repository inside a moved group).
    Status set_repository_name(int64_t repo_id, std::string_view repo_name);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
