// Comparing directory entries across commits (ids and modes), with the directory's tree id
// cached per commit; shared by last_changes and the path log. Internal to src/vcs/git/.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "vcs/git/commit_graph.hpp"
#include "vcs/git/history_walk.hpp"
#include "vcs/git/libgit2_handles.hpp"

namespace kallithea::vcs::git {

class GitRepository;

// What an entry is in one version of the directory: object id and mode (zero when absent).
struct EntryState {
    git_oid oid{};
    uint32_t mode = 0;
    bool operator==(const EntryState& o) const {
        return mode == o.mode && (mode == 0 || git_oid_equal(&oid, &o.oid));
    }
};

// The tree id of one directory per commit, cached: a history walk looks at every commit as a
// child and again as a parent.
class DirTrees {
public:
    // dir: normalized path of the directory ("" for the root). graph may be null.
    DirTrees(GitRepository& repo, const CommitGraph* graph, std::string dir)
        : repo_(repo), graph_(graph), dir_(std::move(dir)) {}

    // Tree id of the directory in the commit (zero when it does not exist there); graph_pos is
    // the commit's commit-graph position or CommitGraph::kNone.
    Result<git_oid> dir_id(const git_oid& commit_id, uint32_t graph_pos);

    // The state of each named entry in the directory tree tree_id (all absent for a zero id).
    Result<std::vector<EntryState>> states(const git_oid& tree_id,
                                           const std::vector<const std::string*>& names);

private:
    Result<git_oid> subtree_id(const git_oid& root);

    GitRepository& repo_;
    const CommitGraph* graph_;
    std::string dir_;
    std::unordered_map<git_oid, git_oid, OidHash, OidEq> cache_;
};

}  // namespace kallithea::vcs::git
