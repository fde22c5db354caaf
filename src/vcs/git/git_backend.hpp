// The Git backend of the VCS interface (vcs/backend.hpp): creation, the smart protocol, push
// bookkeeping, all with the configured git executable (VcsSettings::git_executable).
#pragma once

#include "vcs/backend.hpp"

namespace kallithea::vcs::git {

// The process-wide Git backend.
const Backend& git_backend();

}  // namespace kallithea::vcs::git
