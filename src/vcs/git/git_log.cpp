// Git history: streaming logs (commit-graph walk or libgit2 revwalk), counts, children, ancestry;
// `git rev-list` for path logs that hide commits.
#include <algorithm>
#include <string>

#include <unordered_set>
#include "vcs/git/git_command.hpp"

#include "vcs/git/git_repository_impl.hpp"
#include "vcs/git/history_walk.hpp"
#include "vcs/git/log_page.hpp"

namespace kallithea::vcs::git {

Result<std::vector<git_oid>> GitRepository::resolve_all(const std::vector<std::string>& revs) {
    std::vector<git_oid> out;
    out.reserve(revs.size());
    for (const auto& rev : revs) {
        auto oid = resolve_oid(rev);
        RETURN_IF_ERROR(oid);
        out.push_back(*oid);
    }
    return out;
}

// Distinct commits, newest (committer date) first; the commit-graph gives the dates when it has
// them (a thousand tags are a thousand starting points: none is inflated then).
Result<std::vector<git_oid>> GitRepository::sort_by_date(const std::vector<git_oid>& oids) {
    const CommitGraph* graph = commit_graph();
    std::vector<std::pair<int64_t, git_oid>> dated;
    dated.reserve(oids.size());
    std::unordered_set<git_oid, OidHash, OidEq> seen;
    for (const auto& oid : oids) {
        if (!seen.insert(oid).second) {
            continue;
        }
        const uint32_t pos = graph ? graph->find(raw_of(oid)) : CommitGraph::kNone;
        if (pos != CommitGraph::kNone) {
            dated.emplace_back(graph->time(pos), oid);
            continue;
        }
        auto commit = lookup_commit(oid);
        RETURN_IF_ERROR(commit);
        dated.emplace_back(git_commit_time(commit->get()), oid);
    }
    std::stable_sort(dated.begin(), dated.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<git_oid> out;
    out.reserve(dated.size());
    for (const auto& entry : dated) {
        out.push_back(entry.second);
    }
    return out;
}

Result<std::vector<git_oid>> GitRepository::start_commits(const std::vector<std::string>& revs) {
    if (!revs.empty()) {
        return resolve_all(revs);
    }
    auto index = ref_index();
    RETURN_IF_ERROR(index);
    std::vector<git_oid> out;
    for (const auto& ref : (*index)->refs) {
        git_oid oid;
        if (git_oid_fromstr(&oid, ref.target.c_str()) == 0) {
            out.push_back(oid);
        }
    }
    return out;
}

// A revwalk in libgit2's unsorted mode: commits come out by date as parents are reached, so a
// page costs only the commits up to it (any sorting flag would make libgit2 read all history).
Result<RevwalkHandle> GitRepository::new_walk(const LogQuery& query) {
    auto start = start_commits(query.start);
    RETURN_IF_ERROR(start);
    auto hide = resolve_all(query.hide);
    RETURN_IF_ERROR(hide);
    git_revwalk* raw = nullptr;
    int rc = git_revwalk_new(&raw, repo_.get());
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot walk history"));
    }
    RevwalkHandle walk(raw);
    git_revwalk_sorting(walk.get(), GIT_SORT_NONE);
    if (query.first_parent) {
        git_revwalk_simplify_first_parent(walk.get());
    }
    // The unsorted walk merges parents into its queue by date, which only works when the
    // starting points are themselves queued newest first.
    auto sorted = sort_by_date(*start);
    RETURN_IF_ERROR(sorted);
    for (const auto& oid : *sorted) {
        if ((rc = git_revwalk_push(walk.get(), &oid)) != 0) {
            return fail(libgit2_error(rc, "cannot walk history"));
        }
    }
    for (const auto& oid : *hide) {
        if ((rc = git_revwalk_hide(walk.get(), &oid)) != 0) {
            return fail(libgit2_error(rc, "cannot walk history"));
        }
    }
    return walk;
}

namespace {

// rev-list arguments selecting the query's changesets (ids already resolved, so no option
// injection is possible), ending with the pathspec.
std::vector<std::string> rev_list_args(const LogQuery& query, const std::vector<std::string>& start,
                                       const std::vector<std::string>& hide,
                                       const std::string& path) {
    std::vector<std::string> args{"rev-list"};
    if (query.first_parent) {
        args.emplace_back("--first-parent");
    }
    if (start.empty()) {
        args.emplace_back("--branches");
        args.emplace_back("--tags");
    }
    args.insert(args.end(), start.begin(), start.end());
    for (const auto& id : hide) {
        args.push_back("^" + id);
    }
    args.emplace_back("--");
    args.push_back(path);
    return args;
}

}  // namespace

Status GitRepository::walk_path_log_cli(const LogQuery& query, const std::string& path,
                                        const LogVisitor& visit) {
    std::vector<std::string> start, hide;
    for (const auto& [revs, ids] : {std::pair{&query.start, &start}, {&query.hide, &hide}}) {
        for (const auto& rev : *revs) {
            auto id = resolve(rev);
            RETURN_IF_ERROR(id);
            ids->push_back(std::move(*id));
        }
    }
    auto args = rev_list_args(query, start, hide, path);
    if (query.skip > 0) {
        args.insert(args.begin() + 1, "--skip=" + std::to_string(query.skip));
    }
    if (query.limit > 0) {
        args.insert(args.begin() + 1, "--max-count=" + std::to_string(query.limit));
    }
    auto proc = Subprocess::start(git_command(git_dir_, std::move(args)));
    RETURN_IF_ERROR(proc);
    std::string line_buf;
    std::optional<Error> error;
    auto exit = proc->communicate(nullptr, [&](std::string_view data) {
        line_buf.append(data);
        size_t begin = 0, end;
        while ((end = line_buf.find('\n', begin)) != std::string::npos) {
            git_oid oid;
            std::string line = line_buf.substr(begin, end - begin);
            begin = end + 1;
            if (git_oid_fromstr(&oid, line.c_str()) != 0) {
                error = Error{Errc::io, "unexpected git output", line};
                return false;
            }
            auto info = info_of(oid);
            if (!info) {
                error = info.error();
                return false;
            }
            if (!visit(std::move(*info))) {
                return false;
            }
        }
        line_buf.erase(0, begin);
        return true;
    });
    RETURN_IF_ERROR(exit);
    if (error) {
        return fail(*error);
    }
    if (!exit->stopped && !exit->success()) {
        return fail(Errc::io, "cannot read the file history", exit->stderr_text);
    }
    return ok();
}

namespace {

// Yields the commits of a log query, newest first: over the commit-graph when there is one (no
// commit is inflated until it is shown), else with a libgit2 revwalk. Queries that hide
// commits always use the revwalk, which knows how to stop at them.
class LogWalk {
public:
    static Result<LogWalk> open(GitRepository& repo, const LogQuery& query) {
        LogWalk out;
        const CommitGraph* graph = query.hide.empty() ? repo.commit_graph() : nullptr;
        if (!graph) {
            auto walk = repo.new_walk(query);
            RETURN_IF_ERROR(walk);
            out.revwalk_ = std::move(*walk);
            return out;
        }
        out.first_parent_ = query.first_parent;
        out.graph_walk_ = std::make_unique<HistoryWalk>(repo, graph);
        auto starts = repo.start_commits(query.start);
        RETURN_IF_ERROR(starts);
        for (const auto& oid : *starts) {
            RETURN_IF_ERROR(out.graph_walk_->push(oid));
        }
        return out;
    }

    // The next commit into out; false at the end.
    Result<bool> next(git_oid& out) {
        if (revwalk_) {
            int rc = git_revwalk_next(&out, revwalk_.get());
            if (rc == GIT_ITEROVER) {
                return false;
            }
            if (rc != 0) {
                return fail(libgit2_error(rc, "cannot walk history"));
            }
            return true;
        }
        auto more = graph_walk_->next(commit_);
        if (!more || !*more) {
            return more;
        }
        out = commit_.id;
        if (first_parent_ && commit_.parents.size() > 1) {
            // erase, not resize(1): GCC 12 warns falsely (-Warray-bounds) about resize at -O2.
            commit_.parents.erase(commit_.parents.begin() + 1, commit_.parents.end());
            commit_.parent_pos.erase(commit_.parent_pos.begin() + 1, commit_.parent_pos.end());
        }
        RETURN_IF_ERROR(graph_walk_->push_parents(commit_));
        return true;
    }

private:
    RevwalkHandle revwalk_;
    std::unique_ptr<HistoryWalk> graph_walk_;
    WalkCommit commit_;
    bool first_parent_ = false;
};

}  // namespace

Status GitRepository::walk_log(const LogQuery& query, const LogVisitor& visit) {
    auto path = normalize_path(query.path);
    RETURN_IF_ERROR(path);
    if (!path->empty()) {
        return walk_path_log(query, *path, visit);
    }
    auto walk = LogWalk::open(*this, query);
    RETURN_IF_ERROR(walk);
    return visit_log_page(*this, query, *walk, visit);
}

Result<uint64_t> GitRepository::count(const LogQuery& query) {
    auto path = normalize_path(query.path);
    RETURN_IF_ERROR(path);
    if (!path->empty()) {
        uint64_t n = 0;
        LogQuery all = query;
        all.skip = 0;
        all.limit = 0;
        auto status = walk_path_log(all, *path, [&](const ChangesetInfo&) {
            ++n;
            return true;
        });
        RETURN_IF_ERROR(status);
        return n;
    }
    auto walk = LogWalk::open(*this, query);
    RETURN_IF_ERROR(walk);
    git_oid oid;
    uint64_t n = 0;
    while (true) {
        auto more = walk->next(oid);
        RETURN_IF_ERROR(more);
        if (!*more) {
            return n;
        }
        ++n;
    }
}

namespace {

bool has_parent(const git_commit* commit, const git_oid& parent) {
    const unsigned n = git_commit_parentcount(commit);
    for (unsigned i = 0; i < n; ++i) {
        if (git_oid_equal(git_commit_parent_id(commit, i), &parent)) {
            return true;
        }
    }
    return false;
}

void newest_first(std::vector<ChangesetInfo>& list) {
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
        return a.committer.time > b.committer.time;
    });
}

// The commits of a children walk, one at a time: each is read and kept when it is a child of
// `parent`; after max_walk commits the scan says stop (a null handle) and marks the answer
// incomplete.
class ChildScan {
public:
    ChildScan(GitRepository& repo, const git_oid& parent, size_t max_walk, Children& out)
        : repo_(repo), parent_(parent), max_walk_(max_walk), out_(out) {}

    Result<CommitHandle> step(const git_oid& oid) {
        if (++walked_ > max_walk_) {
            out_.complete = false;
            return CommitHandle();
        }
        auto commit = repo_.lookup_commit(oid);
        if (commit && has_parent(commit->get(), parent_)) {
            out_.changesets.push_back(repo_.info_of(commit->get()));
        }
        return commit;
    }

private:
    GitRepository& repo_;
    const git_oid& parent_;
    size_t max_walk_;
    size_t walked_ = 0;
    Children& out_;
};

// Walks from every branch and tag down to where the commit-graph begins (the commits newer than
// the graph go through `scan`); `seeds` gets the graph positions where the refs enter it.
Status walk_refs_into_graph(GitRepository& repo, const CommitGraph& graph, ChildScan& scan,
                            std::vector<uint32_t>& seeds) {
    auto starts = repo.start_commits({});
    RETURN_IF_ERROR(starts);
    std::vector<git_oid> stack;
    std::unordered_set<git_oid, OidHash, OidEq> seen;
    auto enter = [&](const git_oid& oid) {
        const uint32_t at = graph.find(raw_of(oid));
        if (at == CommitGraph::kNone) {
            stack.push_back(oid);
        } else {
            seeds.push_back(at);
        }
    };
    for (const auto& oid : *starts) {
        enter(oid);
    }
    while (!stack.empty()) {
        const git_oid oid = stack.back();
        stack.pop_back();
        if (!seen.insert(oid).second) {
            continue;
        }
        auto commit = scan.step(oid);
        RETURN_IF_ERROR(commit);
        if (!*commit) {
            break;
        }
        const unsigned n = git_commit_parentcount(commit->get());
        for (unsigned i = 0; i < n; ++i) {
            enter(*git_commit_parent_id(commit->get(), i));
        }
    }
    return ok();
}

// Adds the graph's children of the commit at `pos`: only those still reachable from the refs
// (older graph layers keep commits a forced push or a deleted branch left behind), or all of
// them when the walk of the refs was cut short.
void add_graph_children(GitRepository& repo, const CommitGraph& graph, uint32_t pos,
                        const std::vector<uint32_t>& seeds, Children& out) {
    const std::span<const uint32_t> candidates = graph.children(pos);
    const std::vector<bool> live = graph.reachable(seeds, candidates);
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (!live[i] && out.complete) {
            continue;
        }
        auto info = repo.info_of(oid_of(graph.oid(candidates[i])));
        if (info) {  // a pruned commit still named by an old graph layer is no child
            out.changesets.push_back(std::move(*info));
        }
    }
}

// Without a commit-graph: walks everything reachable from the refs but not from `parent`.
Status walk_above(GitRepository& repo, const git_oid& parent, ChildScan& scan,
                  const Children& out) {
    LogQuery query;
    query.hide.push_back(oid_hex(parent));
    auto walk = repo.new_walk(query);
    RETURN_IF_ERROR(walk);
    git_oid oid;
    int rc;
    while ((rc = git_revwalk_next(&oid, walk->get())) == 0) {
        auto commit = scan.step(oid);
        RETURN_IF_ERROR(commit);
        if (!*commit) {
            break;
        }
    }
    if (out.complete && rc != GIT_ITEROVER) {
        return fail(libgit2_error(rc, "cannot walk history"));
    }
    return ok();
}

}  // namespace

Result<Children> GitRepository::children(std::string_view rev, size_t max_walk) {
    auto parent = resolve_oid(rev);
    RETURN_IF_ERROR(parent);
    Children out;
    ChildScan scan(*this, *parent, max_walk, out);
    const CommitGraph* graph = commit_graph();
    const uint32_t pos = graph ? graph->find(raw_of(*parent)) : CommitGraph::kNone;
    if (pos != CommitGraph::kNone) {
        std::vector<uint32_t> seeds;
        RETURN_IF_ERROR(walk_refs_into_graph(*this, *graph, scan, seeds));
        add_graph_children(*this, *graph, pos, seeds, out);
    } else {
        RETURN_IF_ERROR(walk_above(*this, *parent, scan, out));
    }
    newest_first(out.changesets);
    return out;
}

Result<std::string> GitRepository::common_ancestor(std::string_view a, std::string_view b) {
    auto one = resolve_oid(a);
    RETURN_IF_ERROR(one);
    auto two = resolve_oid(b);
    RETURN_IF_ERROR(two);
    git_oid base;
    int rc = git_merge_base(&base, repo_.get(), &*one, &*two);
    if (rc == GIT_ENOTFOUND) {
        return fail(Errc::not_found, "the revisions have no common ancestor");
    }
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot find the common ancestor"));
    }
    return oid_hex(base);
}

Result<bool> GitRepository::is_ancestor(std::string_view ancestor, std::string_view descendant) {
    auto one = resolve_oid(ancestor);
    RETURN_IF_ERROR(one);
    auto two = resolve_oid(descendant);
    RETURN_IF_ERROR(two);
    if (git_oid_equal(&*one, &*two)) {
        return true;
    }
    int rc = git_graph_descendant_of(repo_.get(), &*two, &*one);
    if (rc < 0) {
        return fail(libgit2_error(rc, "cannot compare revisions"));
    }
    return rc == 1;
}

}  // namespace kallithea::vcs::git
