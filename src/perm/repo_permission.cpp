// Kallithea's repository permission evaluation (AuthUser.repository_permissions).
#include "perm/repo_permission.hpp"

#include <algorithm>

namespace kallithea::perm {

Level effective_repo_level(const RepoFacts& facts) {
    if (facts.user_is_admin || facts.user_is_owner)
        return Level::admin;
    Level level = facts.repo_private ? Level::none : facts.default_grant.value_or(Level::none);
    auto raise = [&level](Level other) {
        if (static_cast<int>(other) > static_cast<int>(level))
            level = other;
    };
    std::for_each(facts.group_grants.begin(), facts.group_grants.end(), raise);
    if (facts.user_grant)
        raise(*facts.user_grant);
    return level;
}

}  // namespace kallithea::perm
