// Effective permission on a repository group or a user group: the `default` user's row, raised by
// active user groups' and explicit grants (no owner shortcut: creators get an explicit admin row).
#pragma once

#include <optional>
#include <vector>

#include "perm/levels.hpp"

namespace kallithea::perm {

struct GroupFacts {
    bool user_is_admin = false;
    std::optional<Level> default_grant;
    std::vector<Level> group_grants;  // active user groups the user is in
    std::optional<Level> user_grant;
};

Level effective_group_level(const GroupFacts& facts);

}  // namespace kallithea::perm
