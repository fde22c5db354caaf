// A cheap fingerprint of a repository's state, for caches of pages computed from it: changes
// whenever its refs change (a push through this server, or any update that touches HEAD,
// packed-refs or the top-level refs/heads and refs/tags directories) or its database row does.
#pragma once

#include <cstdint>
#include <string>

#include "service/repos/repo_access.hpp"

namespace kallithea::service {

// A few stat() calls; no repository is opened. Empty when the refs changed in the last two
// seconds (too recent for file times to tell the next change apart): do not cache then.
std::string repo_state_token(const RepoInfo& repo);

// Marks a repository as changed by this process (pushes); part of the token.
void bump_repo_generation(int64_t repo_id);

}  // namespace kallithea::service
