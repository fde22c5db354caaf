// The permission editors' use cases: listing the grants on a repository, repository group or
// user group, and applying a typed list of changes to them in one transaction (with "apply to
// children" for repository groups).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "perm/apply_to_children.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"

namespace kallithea::service {

enum class GrantTarget { repository, repo_group, user_group };
enum class GranteeKind { user, user_group };

// "repository" / "group" / "usergroup".
std::string_view grant_prefix(GrantTarget target);

struct GrantEntry {
    GranteeKind kind = GranteeKind::user;
    int64_t id = 0;
    std::string name;
    bool active = true;
    bool is_default = false;  // the `default` user's row
    std::string permission;   // "repository.read", ...
};

// Every grant on the object: the `default` user's first, then users, then user groups.
// Errc::not_found for an unknown object.
Result<std::vector<GrantEntry>> list_grants(App& app, GrantTarget target, int64_t object_id);

struct GrantChange {
    GranteeKind kind = GranteeKind::user;
    std::optional<int64_t> id;  // an existing row's grantee ...
    std::string name;           // ... or a user / user group named in the "add" row
    std::string permission;     // full name ("repository.write"); ignored for revoke
    bool revoke = false;
};

// Applies the changes in one transaction (nothing written on any error). Validates: the named
// users / user groups exist (Errc::invalid_argument "User X does not exist" / "User group X does
// not exist"), the permission is one of the object's kind, a user group newly granted or changed
// is one the actor may use (usergroup.read; admins any: else Errc::invalid_argument), the
// `default` user's row is not revoked. With `apply` (repository groups only) every set or revoke
// is copied onto the group's descendants (perm::plan_group_grant: group.x -> repository.x, the
// `default` user skipped on private repositories). The caller has checked admin on the object.
Status apply_grant_changes(App& app, const AuthUser& actor, GrantTarget target, int64_t object_id,
                           const std::vector<GrantChange>& changes,
                           perm::ApplyTo apply = perm::ApplyTo::none);

// The name of user group `users_group_id` (for page titles); Errc::not_found when unknown.
Result<std::string> user_group_name(App& app, int64_t users_group_id);

}  // namespace kallithea::service
