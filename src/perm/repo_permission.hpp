// Effective permission of one user on one repository (Kallithea's additive model): pure code,
// facts in, level out.
#pragma once

#include <optional>
#include <vector>

#include "perm/levels.hpp"

namespace kallithea::perm {

struct RepoFacts {
    bool user_is_admin = false;  // super-admin
    bool user_is_owner = false;
    bool repo_private = false;
    std::optional<Level> default_grant;  // the `default` user's row on the repository
    std::vector<Level> group_grants;     // grants of the active user groups the user is in
    std::optional<Level> user_grant;     // the user's explicit row
};

// Admin: admin. Owner: admin. Otherwise start from the `default` row (none when private), then
// raise by group and explicit grants; nothing lowers it.
Level effective_repo_level(const RepoFacts& facts);

}  // namespace kallithea::perm
