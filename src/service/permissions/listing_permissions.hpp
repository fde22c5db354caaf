// Internal to src/service: effective levels for listings, from the bulk grant rows of
// store/permissions/visibility.hpp through the pure model in perm/.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "perm/levels.hpp"
#include "service/account/auth_user.hpp"
#include "store/permissions/visibility.hpp"

namespace kallithea::service::detail {

// The grant rows on one object, as levels.
struct ObjectGrants {
    std::optional<perm::Level> default_grant;
    std::optional<perm::Level> user_grant;
    std::vector<perm::Level> group_grants;
};

using GrantsByObject = std::unordered_map<int64_t, ObjectGrants>;

// Groups rows by object; names not of `kind` are ignored; of several rows of one source the
// highest counts.
GrantsByObject fold_grants(const std::vector<store::ListingGrant>& rows, perm::Kind kind);

// perm::effective_repo_level for `user` on a repository (owner, private flag, its grants;
// nullptr: no rows).
perm::Level repository_level(const AuthUser& user, int64_t owner_id, bool is_private,
                             const ObjectGrants* grants);
// perm::effective_group_level for `user` on a repository group.
perm::Level repo_group_level(const AuthUser& user, const ObjectGrants* grants);

// The grants of `object_id` in `grants`, nullptr when it has none.
inline const ObjectGrants* grants_of(const GrantsByObject& grants, int64_t object_id) {
    auto it = grants.find(object_id);
    return it == grants.end() ? nullptr : &it->second;
}

}  // namespace kallithea::service::detail
