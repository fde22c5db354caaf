// History walk by committer date over the commit-graph, with libgit2 for commits outside it.
#include "vcs/git/history_walk.hpp"

#include "vcs/git/git_repository_impl.hpp"

namespace kallithea::vcs::git {

Result<WalkCommit> HistoryWalk::load(const git_oid& id, uint32_t pos) const {
    WalkCommit out;
    out.id = id;
    if (graph_ && pos == CommitGraph::kNone) {
        pos = graph_->find(raw_of(id));
    }
    if (graph_ && pos != CommitGraph::kNone && graph_->parents(pos, out.parent_pos)) {
        out.graph_pos = pos;
        out.tree = oid_of(graph_->tree(pos));
        out.time = graph_->time(pos);
        for (uint32_t p : out.parent_pos) {
            out.parents.push_back(oid_of(graph_->oid(p)));
        }
        return out;
    }
    auto commit = repo_.lookup_commit(id);
    RETURN_IF_ERROR(commit);
    out.tree = *git_commit_tree_id(commit->get());
    out.time = git_commit_time(commit->get());
    unsigned n = git_commit_parentcount(commit->get());
    for (unsigned i = 0; i < n; ++i) {
        out.parents.push_back(*git_commit_parent_id(commit->get(), i));
        out.parent_pos.push_back(CommitGraph::kNone);
    }
    return out;
}

Status HistoryWalk::push(const git_oid& id, uint32_t pos) {
    if (!seen_.insert(id).second) {
        return ok();
    }
    auto commit = load(id, pos);
    RETURN_IF_ERROR(commit);
    int64_t time = commit->time;
    queue_.push(Queued{time, seq_++, std::move(*commit)});
    return ok();
}

Status HistoryWalk::push_parents(const WalkCommit& commit) {
    for (size_t i = 0; i < commit.parents.size(); ++i) {
        if (auto status = push(commit.parents[i], commit.parent_pos[i]); !status) {
            return status;
        }
    }
    return ok();
}

Result<bool> HistoryWalk::next(WalkCommit& out) {
    if (queue_.empty()) {
        return false;
    }
    // Moving out of top() is safe: the element is popped right after.
    out = std::move(const_cast<Queued&>(queue_.top()).commit);
    queue_.pop();
    return true;
}

}  // namespace kallithea::vcs::git
