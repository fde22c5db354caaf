// Effective permissions of a user, from the database through the pure model in perm/: global
// permissions, repository groups, user groups, and the IP whitelist. (Repositories:
// service/repos/repo_access.hpp.) Each call touches only the object asked about.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "perm/levels.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"

namespace kallithea::service {

// Admins: {"hg.admin"}; others the union of the `default` user's, active groups' and own global
// grants, highest weight per kind. "Nobody" (anonymous access off) gets the `default` user's.
Result<std::set<std::string>> global_permissions(App& app, const AuthUser& user);
// True for admins, else whether `permission` is in global_permissions().
Result<bool> has_global_permission(App& app, const AuthUser& user, std::string_view permission);

// Effective level on a repository group / a user group (perm::effective_group_level).
Result<perm::Level> repo_group_level(App& app, const AuthUser& user, int64_t group_id);
Result<perm::Level> user_group_level(App& app, const AuthUser& user, int64_t user_group_id);

struct RepoGroupInfo {
    int64_t group_id = 0;
    std::string name;  // full path "a/b"
    std::optional<int64_t> parent_id;
    std::string description;
    int64_t owner_id = 0;
    perm::Level level = perm::Level::none;  // the user's effective level
};

// The group named `group_name` when the user has at least `need` on it. A group the user may
// not even read is Errc::not_found (like a missing one); readable but not enough:
// Errc::forbidden.
Result<RepoGroupInfo> authorize_repo_group(App& app, const AuthUser& user,
                                           std::string_view group_name, perm::Level need);
// Same for user group `user_group_id`.
Status authorize_user_group(App& app, const AuthUser& user, int64_t user_group_id,
                            perm::Level need);

// Kallithea's IP check: the allowed networks are the `default` user's active user_ip_map
// entries plus the user's own (`user_id`; nullopt for anonymous visitors); no entries at all
// allows everything.
Result<bool> ip_allowed(App& app, std::optional<int64_t> user_id, std::string_view client_ip);

}  // namespace kallithea::service
