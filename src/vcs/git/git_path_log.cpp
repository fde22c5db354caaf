// History of one path, walked the way `git log -- path` does by default (history
// simplification: at a commit that has the path as in one of its parents, follow only the first
// such parent; show the commits that have it different from all parents). Changed-path Bloom
// filters of the commit-graph answer most commits without reading a tree.
#include <unordered_map>
#include <unordered_set>

#include "vcs/git/git_repository_impl.hpp"
#include "vcs/git/history_walk.hpp"
#include "vcs/git/log_page.hpp"
#include "vcs/git/tree_states.hpp"

namespace kallithea::vcs::git {

namespace {

std::string parent_dir(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

class PathHistory {
public:
    PathHistory(GitRepository& repo, const CommitGraph* graph, const std::string& path,
                bool first_parent)
        : graph_(graph),
          walk_(repo, graph),
          dirs_(repo, graph, parent_dir(path)),
          name_(path.substr(path.rfind('/') + 1)),  // npos + 1 == 0
          key_(bloom_key(path)),
          first_parent_(first_parent) {
        if (!parent_dir(path).empty()) {
            dir_key_ = bloom_key(parent_dir(path));
        }
    }

    Status start(const std::vector<git_oid>& commits) {
        for (const auto& oid : commits) {
            live_.insert(oid);
            if (auto status = walk_.push(oid); !status) {
                return status;
            }
        }
        return ok();
    }

    // The next changeset that changed the path, newest first; false at the end.
    Result<bool> next(git_oid& out) {
        WalkCommit commit;
        while (true) {
            auto more = walk_.next(commit);
            if (!more || !*more) {
                return more;
            }
            if (live_.erase(commit.id) == 0) {
                continue;  // reachable only through parents the simplification dropped
            }
            auto same = same_parent(commit);
            RETURN_IF_ERROR(same);
            size_t follow_from = *same >= 0 ? static_cast<size_t>(*same) : 0;
            size_t follow_to =
                *same >= 0 || first_parent_ ? follow_from + 1 : commit.parents.size();
            for (size_t k = follow_from; k < std::min(follow_to, commit.parents.size()); ++k) {
                live_.insert(commit.parents[k]);
                RETURN_IF_ERROR(walk_.push(commit.parents[k], commit.parent_pos[k]));
            }
            if (*same == kChanged) {
                out = commit.id;
                return true;
            }
        }
    }

private:
    static constexpr int kChanged = -1;
    static constexpr int kAbsent = -2;  // a root commit without the path

    // Index of the first parent that has the path as this commit has it; kChanged when none.
    Result<int> same_parent(const WalkCommit& commit) {
        if (!commit.parents.empty() && graph_ && commit.graph_pos != CommitGraph::kNone &&
            ((dir_key_ && !graph_->maybe_changed(commit.graph_pos, *dir_key_)) ||
             !graph_->maybe_changed(commit.graph_pos, key_))) {
            return 0;
        }
        auto here = dirs_.dir_id(commit.id, commit.graph_pos);
        RETURN_IF_ERROR(here);
        auto now = state(*here);
        RETURN_IF_ERROR(now);
        if (commit.parents.empty()) {
            return now->mode != 0 ? kChanged : kAbsent;
        }
        size_t parents = first_parent_ ? 1 : commit.parents.size();
        for (size_t k = 0; k < parents; ++k) {
            auto there = dirs_.dir_id(commit.parents[k], commit.parent_pos[k]);
            RETURN_IF_ERROR(there);
            auto before = state(*there);
            RETURN_IF_ERROR(before);
            if (*before == *now) {
                return static_cast<int>(k);
            }
        }
        return kChanged;
    }

    // The path's state in a version of its directory, cached by tree id.
    Result<EntryState> state(const git_oid& dir_tree) {
        auto it = states_.find(dir_tree);
        if (it != states_.end()) {
            return it->second;
        }
        auto states = dirs_.states(dir_tree, {&name_});
        RETURN_IF_ERROR(states);
        states_.emplace(dir_tree, (*states)[0]);
        return (*states)[0];
    }

    const CommitGraph* graph_;
    HistoryWalk walk_;
    DirTrees dirs_;
    std::string name_;
    BloomKey key_;
    std::optional<BloomKey> dir_key_;
    bool first_parent_;
    std::unordered_set<git_oid, OidHash, OidEq> live_;
    std::unordered_map<git_oid, EntryState, OidHash, OidEq> states_;
};

}  // namespace

Status GitRepository::walk_path_log(const LogQuery& query, const std::string& path,
                                    const LogVisitor& visit) {
    if (!query.hide.empty()) {
        return walk_path_log_cli(query, path, visit);
    }
    auto starts = start_commits(query.start);
    RETURN_IF_ERROR(starts);
    PathHistory history(*this, commit_graph(), path, query.first_parent);
    if (auto status = history.start(*starts); !status) {
        return status;
    }
    return visit_log_page(*this, query, history, visit);
}

}  // namespace kallithea::vcs::git
