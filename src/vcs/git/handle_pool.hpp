// libgit2 repositories and commit-graphs kept open between requests, so that libgit2's object
// cache, its packs' delta-base caches and the mapped commit-graph outlive one page. Internal to
// src/vcs/git/.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "vcs/git/commit_graph.hpp"
#include "vcs/git/libgit2_handles.hpp"

namespace kallithea::vcs::git {

// What a handle was opened against: the repository directory's identity and its pack
// directory's time, taken right after opening (libgit2 reads packs lazily, on first use), and when.
struct HandleOrigin {
    struct File {
        uint64_t dev = 0;
        uint64_t ino = 0;
        int64_t mtime_ns = 0;
        bool operator==(const File&) const = default;
    };
    File dir;
    File packs;
    std::chrono::steady_clock::time_point opened;

    // The repository at git_dir now.
    static HandleOrigin of(const std::string& git_dir);
    // Same directory, no pack added or removed since.
    bool same_repository(const HandleOrigin& other) const {
        return dir == other.dir && packs == other.packs;
    }
};

// An idle libgit2 repository for path, with its origin, when one was given back and the
// repository on disk is still the one it was opened on; otherwise null. A handle is used by one
// thread at a time: take() hands it out exclusively.
RepoHandle take_pooled_handle(const std::string& path, HandleOrigin& origin);

// Gives a repository back for reuse: kept only when the repository on disk is still the one it
// was opened on, for a bounded number of idle handles, none idle for long or open for more than
// a few minutes (a deleted pack stays open and mapped while a handle holds it).
void give_pooled_handle(const std::string& path, const std::string& git_dir, RepoHandle repo,
                        const HandleOrigin& origin);

// The commit-graph of git_dir shared by every open repository while its files are unchanged;
// null when there is none or it is unusable.
std::shared_ptr<const CommitGraph> shared_commit_graph(const std::string& git_dir);

}  // namespace kallithea::vcs::git
