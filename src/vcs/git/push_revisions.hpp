// What Kallithea's Git post-receive hook does once a push has moved refs (kallithea/bin/
// vcs_hooks.py post_receive), with the git CLI: the refs as they are, the changesets each ref
// update brought (the journal's `push:` row), HEAD of a repository that was empty.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "vcs/transport.hpp"

namespace kallithea::vcs::git {

// refname -> object id, as `git for-each-ref` lists them; Errc::io when git fails.
Result<RefSnapshot> snapshot_refs(const std::string& git_dir);

// The comma-separated list of Kallithea's `push:` journal action for updates applied in this
// order: per branch the new changesets oldest first (`old..new`, or for a new branch those not
// reachable from the branches before the push), `delete_branch=>name`, `tag=>name`; a changeset
// is listed once. One `git rev-list` walks all pushed branches together (a push of 20,000 new
// branches must not start 20,000 processes); a branch update whose part of that walk is not
// exactly old..new (it merged an existing branch) gets its own. Within a branch the changesets
// follow the combined walk's order, which is each branch's own order unless commit dates are
// skewed. Errc::io when git fails.
Result<std::string> push_action_revisions(const std::string& git_dir,
                                          const std::vector<RefUpdate>& applied,
                                          const RefSnapshot& before);

// The same list computed with one `git rev-list` per branch (the reference for the one above,
// and its fallback when a ref moved under the snapshot).
Result<std::string> push_action_revisions_per_ref(const std::string& git_dir,
                                                  const std::vector<RefUpdate>& applied,
                                                  const RefSnapshot& before);

// After the first push into an empty repository: when HEAD names a branch that does not exist,
// points it at a pushed branch (master, else main, else the first one pushed). Errc::io when git
// fails.
Status settle_head(const std::string& git_dir, const std::vector<RefUpdate>& applied);

}  // namespace kallithea::vcs::git
