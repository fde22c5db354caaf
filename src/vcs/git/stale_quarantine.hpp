// Leftovers of interrupted pushes: the quarantine directory `git receive-pack` keeps the pushed
// objects in until the refs move. A receive-pack that dies by SIGPIPE (its server killed under
// it) leaves it behind: harmless for later pushes, but as large as the pushed pack.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace kallithea::vcs::git {

// Removes `objects/tmp_objdir-incoming-*` directories of git_dir in which nothing was written
// for longer than `idle` (a receive-pack still running writes into its own as the pack arrives;
// pass at least the longest a push may run). Returns the names removed; Errc::io when one cannot
// be removed. Costs one directory listing of objects/ when there is nothing to do.
Result<std::vector<std::string>> remove_stale_quarantines(const std::string& git_dir,
                                                          std::chrono::seconds idle);

}  // namespace kallithea::vcs::git
