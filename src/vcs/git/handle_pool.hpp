// libgit2 repositories and commit-graphs kept open between requests, so that libgit2's object
// cache, its packs' delta-base caches and the mapped commit-graph outlive one page. Internal to
// src/vcs/git/.
#pragma once

#include <memory>
#include <string>

#include "vcs/git/commit_graph.hpp"
#include "vcs/git/libgit2_handles.hpp"

namespace kallithea::vcs::git {

// An idle libgit2 repository for path, when one was given back and the repository on disk is
// still the same one (same directory, no pack added or removed since); otherwise null. A handle
// is used by one thread at a time: take() hands it out exclusively.
RepoHandle take_pooled_handle(const std::string& path);

// Gives a repository back for reuse. Only idle handles are kept, a bounded number, and none for
// longer than a couple of minutes (a deleted pack stays mapped while a handle holds it).
void give_pooled_handle(const std::string& path, const std::string& git_dir, RepoHandle repo);

// The commit-graph of git_dir shared by every open repository while its files are unchanged;
// null when there is none or it is unusable.
std::shared_ptr<const CommitGraph> shared_commit_graph(const std::string& git_dir);

}  // namespace kallithea::vcs::git
