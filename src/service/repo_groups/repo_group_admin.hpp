// Repository group administration: listing, creating, renaming / moving (with everything inside),
// and deleting groups.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"
#include "service/repos/repos.hpp"

namespace kallithea::service {

struct RepoGroupItem {
    int64_t group_id = 0;
    std::string name;  // full path
    std::string description;
    int64_t repositories = 0;  // directly inside
    int64_t groups = 0;        // directly inside
    bool can_admin = false;
};

// Groups the actor can read (admins: all), by path.
Result<std::vector<RepoGroupItem>> list_repo_groups(App& app, const AuthUser& actor);

struct RepoGroupForm {
    bool top_level_allowed = false;    // admins only
    std::vector<GroupChoice> parents;  // groups the actor administers
    std::optional<int64_t> parent;     // preselected
};

// Where the actor may create (or move) groups: the top level for admins, inside groups where it
// has group.admin. `exclude` drops a group and its subtree (a group cannot move into itself).
// Errc::forbidden when nowhere; for `parent` not among the choices too.
Result<RepoGroupForm> repo_group_form(App& app, const AuthUser& actor,
                                      std::optional<int64_t> parent,
                                      std::optional<int64_t> exclude = std::nullopt);

struct NewRepoGroupRequest {
    std::string name;  // one segment
    std::string description;
    std::optional<int64_t> parent_id;
    bool copy_permissions = false;  // copy the parent's grants
};

struct RepoGroupRef {
    int64_t group_id = 0;
    std::string name;  // full path
};

// Creates the group row and directory; writes the `default` user's row (the default group
// permission), the parent's grants with copy_permissions, and group.admin for a non-admin
// creator. Errors: invalid_argument / conflict with Error::field ("group_name",
// "parent_group_id"), io, database.
Result<RepoGroupRef> create_repo_group(App& app, const AuthUser& actor,
                                       const NewRepoGroupRequest& request);

struct RepoGroupSettings {
    int64_t group_id = 0;
    std::string name;       // full path
    std::string just_name;  // last segment
    std::optional<int64_t> parent_id;
    std::string description;
};
Result<RepoGroupSettings> repo_group_settings(App& app, std::string_view group_name);

struct RepoGroupChange {
    std::string name;  // one segment
    std::optional<int64_t> parent_id;
    std::string description;
};

// Renames / moves the group with its whole subtree (names of descendant groups and repositories,
// the directory) and sets its description, in one transaction. Moving needs group.admin on the
// new parent (top level: admin). Returns the new full name. Errors as create_repo_group.
Result<std::string> update_repo_group(App& app, const AuthUser& actor, int64_t group_id,
                                      const RepoGroupChange& change);

// Deletes an empty group: its rows go, its directory is renamed to
// rm__YYYYmmdd_HHMMSS_ffffff_GROUP_<name> in the repository root. Errc::conflict
// "This group contains N repositories and M groups; it cannot be deleted" otherwise.
// Returns the deleted group's full name.
Result<std::string> delete_repo_group(App& app, const AuthUser& actor, int64_t group_id);

}  // namespace kallithea::service
