// Last changeset per directory entry: one history walk for the whole directory. Changed-path
// Bloom filters of the commit-graph rule out most commits without reading a tree; the rest are
// checked by comparing the entries' ids with the parents' (Git's TREESAME rule).
#include <algorithm>
#include <iterator>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "vcs/git/git_repository_impl.hpp"
#include "vcs/git/handle_pool.hpp"
#include "vcs/git/history_walk.hpp"
#include "vcs/git/tree_states.hpp"

namespace kallithea::vcs::git {

namespace {

// Entry indexes (sorted) whose history still runs through a commit. Shared between commits
// while nothing changes, as along a linear history.
using Marks = std::shared_ptr<const std::vector<uint32_t>>;

// Walks history once for all entries, following for each entry the path `git log -- entry`
// would: at a commit that has the entry as in one of its parents, only the first such parent.
// The first commit (by date) where an entry differs from all parents is its last change.
class LastChangeSearch {
public:
    LastChangeSearch(GitRepository& repo, const CommitGraph* graph, const std::string& dir,
                     std::vector<std::string> names)
        : graph_(graph), dirs_(repo, graph, dir), walk_(repo, graph), names_(std::move(names)) {
        for (const auto& name : names_) {
            keys_.push_back(bloom_key(dir.empty() ? name : dir + "/" + name));
        }
        if (!dir.empty()) {
            dir_key_ = bloom_key(dir);
        }
        found_.resize(names_.size());
        unresolved_ = names_.size();
    }

    Status run(const git_oid& start, size_t max_commits) {
        auto all = std::make_shared<std::vector<uint32_t>>();
        for (uint32_t i = 0; i < names_.size(); ++i) {
            all->push_back(i);
        }
        marks_[start] = all;
        if (auto status = walk_.push(start); !status) {
            return status;
        }
        WalkCommit commit;
        for (size_t walked = 0; unresolved_ > 0 && (max_commits == 0 || walked < max_commits);
             ++walked) {
            auto more = walk_.next(commit);
            RETURN_IF_ERROR(more);
            if (!*more) {
                break;
            }
            auto it = marks_.find(commit.id);
            if (it == marks_.end()) {
                continue;
            }
            Marks marks = std::move(it->second);
            marks_.erase(it);
            if (auto status = visit(commit, marks); !status) {
                return status;
            }
        }
        return ok();
    }

    const std::string& name(size_t i) const { return names_[i]; }
    const std::optional<git_oid>& found(size_t i) const { return found_[i]; }
    size_t size() const { return names_.size(); }

private:
    static constexpr int kUnknown = -2;
    static constexpr int kChanged = -1;
    static constexpr int kDropped = -3;

    Status visit(const WalkCommit& commit, const Marks& marks) {
        std::vector<uint32_t> live;
        for (uint32_t i : *marks) {
            if (!found_[i]) {
                live.push_back(i);
            }
        }
        if (live.empty()) {
            return ok();
        }
        auto assign = first_same_parent(commit, live);
        RETURN_IF_ERROR(assign);
        for (size_t i = 0; i < live.size(); ++i) {
            if ((*assign)[i] == kChanged) {
                found_[live[i]] = commit.id;
                --unresolved_;
            }
        }
        bool unchanged = live.size() == marks->size();
        for (size_t k = 0; k < commit.parents.size(); ++k) {
            int parent = static_cast<int>(k);
            size_t count = std::count(assign->begin(), assign->end(), parent);
            if (count == 0) {
                continue;
            }
            Marks next = marks;  // the common case: everything goes on to this parent
            if (!unchanged || count != live.size()) {
                auto subset = std::make_shared<std::vector<uint32_t>>();
                for (size_t i = 0; i < live.size(); ++i) {
                    if ((*assign)[i] == parent) {
                        subset->push_back(live[i]);
                    }
                }
                next = std::move(subset);
            }
            add_marks(commit.parents[k], std::move(next));
            if (auto status = walk_.push(commit.parents[k], commit.parent_pos[k]); !status) {
                return status;
            }
        }
        return ok();
    }

    // Per live entry: the index of the first parent that has it unchanged, kChanged when none
    // has, kDropped when a root commit does not have it at all.
    Result<std::vector<int>> first_same_parent(const WalkCommit& commit,
                                               const std::vector<uint32_t>& live) {
        std::vector<int> assign(live.size(), kUnknown);
        bool root = commit.parents.empty();
        bool filtered = !root && graph_ && commit.graph_pos != CommitGraph::kNone;
        if (filtered && dir_key_ && !graph_->maybe_changed(commit.graph_pos, *dir_key_)) {
            std::fill(assign.begin(), assign.end(), 0);
            return assign;
        }
        std::vector<size_t> unknown;
        std::vector<const std::string*> names;
        for (size_t i = 0; i < live.size(); ++i) {
            if (filtered && !graph_->maybe_changed(commit.graph_pos, keys_[live[i]])) {
                assign[i] = 0;
            } else {
                unknown.push_back(i);
                names.push_back(&names_[live[i]]);
            }
        }
        if (unknown.empty()) {
            return assign;
        }
        auto here = dirs_.dir_id(commit.id, commit.graph_pos);
        RETURN_IF_ERROR(here);
        auto now = dirs_.states(*here, names);
        RETURN_IF_ERROR(now);
        if (root) {
            for (size_t j = 0; j < unknown.size(); ++j) {
                assign[unknown[j]] = (*now)[j].mode != 0 ? kChanged : kDropped;
            }
            return assign;
        }
        for (size_t k = 0; k < commit.parents.size(); ++k) {
            auto there = dirs_.dir_id(commit.parents[k], commit.parent_pos[k]);
            RETURN_IF_ERROR(there);
            bool same_dir = git_oid_equal(&*here, &*there);
            auto before =
                same_dir ? Result<std::vector<EntryState>>(*now) : dirs_.states(*there, names);
            RETURN_IF_ERROR(before);
            for (size_t j = 0; j < unknown.size(); ++j) {
                if (assign[unknown[j]] == kUnknown && (*now)[j] == (*before)[j]) {
                    assign[unknown[j]] = static_cast<int>(k);
                }
            }
        }
        for (size_t i : unknown) {
            if (assign[i] == kUnknown) {
                assign[i] = kChanged;
            }
        }
        return assign;
    }

    void add_marks(const git_oid& id, Marks marks) {
        auto [it, inserted] = marks_.emplace(id, marks);
        if (inserted || it->second == marks) {
            return;
        }
        auto merged = std::make_shared<std::vector<uint32_t>>();
        std::set_union(it->second->begin(), it->second->end(), marks->begin(), marks->end(),
                       std::back_inserter(*merged));
        it->second = std::move(merged);
    }

    const CommitGraph* graph_;
    DirTrees dirs_;
    HistoryWalk walk_;
    std::vector<std::string> names_;
    std::vector<BloomKey> keys_;
    std::optional<BloomKey> dir_key_;
    std::vector<std::optional<git_oid>> found_;
    size_t unresolved_ = 0;
    std::unordered_map<git_oid, Marks, OidHash, OidEq> marks_;
};

}  // namespace

const CommitGraph* GitRepository::commit_graph() {
    if (!graph_loaded_) {
        graph_ = shared_commit_graph(git_dir_);
        graph_loaded_ = true;
    }
    return graph_.get();
}

Result<std::map<std::string, ChangesetInfo>> GitRepository::last_changes(
    std::string_view rev, std::string_view dir_path, const std::vector<std::string>& entries,
    size_t max_commits) {
    auto dir = normalize_path(dir_path);
    RETURN_IF_ERROR(dir);
    auto start = resolve_oid(rev);
    RETURN_IF_ERROR(start);
    std::vector<std::string> names;
    std::unordered_set<std::string> unique;
    for (const auto& name : entries) {
        if (unique.insert(name).second) {
            names.push_back(name);
        }
    }
    LastChangeSearch search(*this, commit_graph(), *dir, std::move(names));
    RETURN_IF_ERROR(search.run(*start, max_commits));
    std::vector<std::pair<std::string, git_oid>> found;
    for (size_t i = 0; i < search.size(); ++i) {
        if (search.found(i)) {
            found.emplace_back(search.name(i), *search.found(i));
        }
    }
    std::map<std::string, ChangesetInfo> out;
    std::unordered_map<std::string, ChangesetInfo> infos;
    for (const auto& [name, commit_id] : found) {
        std::string id = oid_hex(commit_id);
        auto it = infos.find(id);
        if (it == infos.end()) {
            auto info = info_of(commit_id);
            RETURN_IF_ERROR(info);
            it = infos.emplace(id, std::move(*info)).first;
        }
        out.emplace(name, it->second);
    }
    return out;
}

}  // namespace kallithea::vcs::git
