// User groups: listing what a user may see, creating, settings, members, the group's global
// grants ("default permissions") and deletion. Validation and transactions live here; callers
// (web pages) check usergroup.admin on the group before the editing functions (the route gate
// does it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"

namespace kallithea::service {

struct UserGroupInfo {
    int64_t id = 0;
    std::string name, description;
    bool active = true;
    std::string owner;
    std::string created_on;
    int64_t member_count = 0;
    bool can_admin = false;  // the asking user has usergroup.admin on it
};

struct UserGroupMemberInfo {
    int64_t user_id = 0;
    std::string username, firstname, lastname;
    bool active = true;
};

// What a user-group form submits. `owner` is a username ("" keeps the current owner on update;
// on create the creator owns the group).
struct UserGroupForm {
    std::string name;
    std::string description;
    bool active = true;
    std::string owner;
};

// The group's global grants as the default-permissions tab shows them.
struct UserGroupGlobalGrants {
    bool create_repository = false;  // hg.create.repository
    bool create_user_group = false;  // hg.usergroup.create.true
    bool fork_repository = false;    // hg.fork.repository
};

// Groups on which `user` has at least usergroup.read, by name.
Result<std::vector<UserGroupInfo>> visible_user_groups(App& app, const AuthUser& user);
// Admin, or hg.usergroup.create.true among the user's global permissions.
Result<bool> may_create_user_group(App& app, const AuthUser& user);

// Creates the group owned by `actor`, gives the `default` user its default usergroup.* grant on
// it and `actor` usergroup.admin, and journals "admin_created_users_group:NAME". Errc::forbidden
// when the actor may not create groups; Errc::invalid_argument / Errc::conflict (with Error::field
// set) for bad input.
Result<int64_t> create_user_group(App& app, const AuthUser& actor, const UserGroupForm& form,
                                  std::string_view client_ip);

// The group (without permission checks: callers authorize first). Errc::not_found.
Result<UserGroupInfo> user_group(App& app, const AuthUser& user, int64_t id);
// Replaces name, description, active flag and owner. Errors as create_user_group; an unknown
// owner is Errc::invalid_argument on field "owner". Journals "admin_updated_users_group:NAME".
Status update_user_group(App& app, const AuthUser& actor, int64_t id, const UserGroupForm& form,
                         std::string_view client_ip);

Result<std::vector<UserGroupMemberInfo>> user_group_members(App& app, int64_t id);
// Errc::invalid_argument "No user named X" for an unknown username, Errc::conflict when
// already a member.
Status add_user_group_member(App& app, int64_t id, std::string_view username);
// Errc::not_found when the user is not a member.
Status remove_user_group_member(App& app, int64_t id, int64_t user_id);

Result<UserGroupGlobalGrants> user_group_global_grants(App& app, int64_t id);
// Writes one users_group_to_perm row per kind (the granting or the "none" name), like Kallithea.
Status set_user_group_global_grants(App& app, int64_t id, const UserGroupGlobalGrants& grants);

// Deletes the group and every row belonging to it in one transaction. Without `force`, a group
// that still holds grants on repositories or repository groups is refused with Errc::conflict
// and a message naming them. Returns the deleted group's name.
Result<std::string> delete_user_group(App& app, int64_t id, bool force);

}  // namespace kallithea::service
