// Grant rows for listings (the start page, group pages, the repository grid): for one user and
// one listing level (the repositories or repository groups directly inside one group, or at the
// top level) every grant row that bears on the user's level on the listed objects, in a constant
// number of queries whose cost follows the size of the listing, not the number of objects in the
// database. The levels themselves are computed by the caller with perm/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"
#include "store/repos/repositories.hpp"

namespace kallithea::store {

// Whose row a grant is.
enum class GrantSource {
    default_user,  // the `default` user's row (everyone's baseline)
    user,          // the user's own explicit row
    user_group,    // the row of an active user group the user is a member of
};

struct ListingGrant {
    int64_t object_id = 0;  // repo_id or group_id
    GrantSource source = GrantSource::default_user;
    std::string permission;  // "repository.read", "group.write", ...
};

// Repositories a user may administer (candidates) and the grant rows on them.
struct AdministeredRows {
    std::vector<RepoListingRow> repos;  // by lower-cased name
    std::vector<ListingGrant> grants;
};

// Errc::database on SQL errors.
class Visibility {
public:
    explicit Visibility(db::Connection& conn) : conn_(conn) {}

    // Grant rows on the repositories directly inside `group_id` (nullopt: top level): the
    // `default` user's rows and, when `user_id` is set (a logged-in user), the user's own rows and
    // those of the active user groups the user is a member of. Three queries at most.
    Result<std::vector<ListingGrant>> repository_grants(std::optional<int64_t> group_id,
                                                        int64_t default_user_id,
                                                        std::optional<int64_t> user_id);
    // The same for every repository of the instance (the fork choices of the settings page).
    Result<std::vector<ListingGrant>> all_repository_grants(int64_t default_user_id,
                                                            std::optional<int64_t> user_id);
    // The same for the repository groups directly inside `parent_id` (nullopt: top level).
    Result<std::vector<ListingGrant>> repo_group_grants(std::optional<int64_t> parent_id,
                                                        int64_t default_user_id,
                                                        std::optional<int64_t> user_id);

    // The repositories on which `user_id` may have repository.admin: owned ones and those with a
    // repository.admin row of the user, of an active user group the user is in, or of the
    // `default` user, with every grant row on them as repository_grants() gives. (Which of them
    // really grant admin, e.g. a private repository ignores the default row, is for perm/.)
    Result<AdministeredRows> administration_candidates(int64_t user_id, int64_t default_user_id);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
