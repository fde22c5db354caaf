// History walk by committer date that reads parents, dates and root trees from the commit-graph
// when it has them (no object inflation) and from libgit2 otherwise; internal to src/vcs/git/.
#pragma once

#include <cstring>
#include <queue>
#include <unordered_set>
#include <vector>

#include "vcs/git/commit_graph.hpp"
#include "vcs/git/libgit2_handles.hpp"

namespace kallithea::vcs::git {

class GitRepository;

struct OidHash {
    size_t operator()(const git_oid& oid) const {
        size_t h;
        std::memcpy(&h, oid.id, sizeof h);
        return h;
    }
};
struct OidEq {
    bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};

struct WalkCommit {
    git_oid id{};
    git_oid tree{};  // root tree
    int64_t time = 0;
    uint32_t graph_pos = CommitGraph::kNone;
    std::vector<git_oid> parents;
    std::vector<uint32_t> parent_pos;  // graph positions of the parents (kNone when unknown)
};

class HistoryWalk {
public:
    // graph may be null. The walk keeps references to both.
    HistoryWalk(GitRepository& repo, const CommitGraph* graph) : repo_(repo), graph_(graph) {}

    // Queues a commit unless it was queued before (pos: its graph position, when known).
    // not_found for an unknown id.
    Status push(const git_oid& id, uint32_t pos = CommitGraph::kNone);
    // Queues all parents of a commit next() returned (a plain history walk).
    Status push_parents(const WalkCommit& commit);
    // Takes the newest queued commit; false when the queue is empty. Parents are not queued:
    // the caller decides which to follow.
    Result<bool> next(WalkCommit& out);

private:
    Result<WalkCommit> load(const git_oid& id, uint32_t pos) const;

    struct Queued {
        int64_t time;
        uint64_t seq;
        WalkCommit commit;
    };
    struct Later {
        bool operator()(const Queued& a, const Queued& b) const {
            return a.time != b.time ? a.time < b.time : a.seq > b.seq;
        }
    };

    GitRepository& repo_;
    const CommitGraph* graph_;
    std::priority_queue<Queued, std::vector<Queued>, Later> queue_;
    std::unordered_set<git_oid, OidHash, OidEq> seen_;
    uint64_t seq_ = 0;
};

inline RawOid raw_of(const git_oid& oid) {
    RawOid out;
    std::memcpy(out.data(), oid.id, out.size());
    return out;
}

inline git_oid oid_of(const RawOid& raw) {
    git_oid out;
    std::memcpy(out.id, raw.data(), raw.size());
    return out;
}

}  // namespace kallithea::vcs::git
