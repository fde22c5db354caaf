// Kallithea's repository-group and user-group permission evaluation.
#include "perm/group_permission.hpp"

namespace kallithea::perm {

Level effective_group_level(const GroupFacts& facts) {
    if (facts.user_is_admin)
        return Level::admin;
    Level level = facts.default_grant.value_or(Level::none);
    auto raise = [&level](Level other) {
        if (static_cast<int>(other) > static_cast<int>(level))
            level = other;
    };
    for (Level g : facts.group_grants)
        raise(g);
    if (facts.user_grant)
        raise(*facts.user_grant);
    return level;
}

}  // namespace kallithea::perm
