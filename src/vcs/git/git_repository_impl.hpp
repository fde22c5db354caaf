// The Git implementation of Repository (libgit2 plus the git CLI); internal to src/vcs/git/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vcs/git/commit_graph.hpp"
#include "vcs/git/handle_pool.hpp"
#include "vcs/git/libgit2_handles.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs::git {

// Refs by name and by the changeset they point at.
struct RefIndex {
    std::vector<Ref> refs;  // branches then tags, each sorted by name
    std::unordered_map<std::string, std::vector<size_t>> by_target;  // id -> indexes into refs
};

class GitRepository final : public Repository {
public:
    GitRepository(std::string path, RepoHandle repo, const HandleOrigin& origin);
    ~GitRepository() override;  // gives the libgit2 handle back to the pool
    GitRepository(const GitRepository&) = delete;
    GitRepository& operator=(const GitRepository&) = delete;

    std::string type() const override { return "git"; }
    const std::string& path() const override { return path_; }
    Result<bool> is_empty() override;
    Result<std::vector<Ref>> refs() override;
    Result<std::string> default_branch() override;
    Result<std::string> resolve(std::string_view rev) override;
    Result<ChangesetInfo> changeset(std::string_view rev) override;
    Result<Children> children(std::string_view rev, size_t max_walk) override;
    Status walk_log(const LogQuery& query, const LogVisitor& visit) override;
    Result<uint64_t> count(const LogQuery& query) override;
    Result<std::vector<NodeEntry>> list_dir(std::string_view rev, std::string_view path) override;
    Result<std::vector<std::string>> list_files(std::string_view rev,
                                                std::string_view path) override;
    Result<NodeKind> node_kind(std::string_view rev, std::string_view path) override;
    Result<FileContent> read_file(std::string_view rev, std::string_view path,
                                  uint64_t max_bytes) override;
    Status stream_file(std::string_view rev, std::string_view path, const ByteSink& sink) override;
    Result<std::map<std::string, ChangesetInfo>> last_changes(
        std::string_view rev, std::string_view dir_path, const std::vector<std::string>& entries,
        size_t max_commits) override;
    Result<Diff> diff(std::string_view from_rev, std::string_view to_rev,
                      const DiffOptions& options) override;
    Result<std::vector<BlameLine>> blame(std::string_view rev, std::string_view path) override;
    Status archive(std::string_view rev, ArchiveFormat format, std::string_view prefix,
                   const ByteSink& sink) override;
    Result<std::string> common_ancestor(std::string_view a, std::string_view b) override;
    Result<bool> is_ancestor(std::string_view ancestor, std::string_view descendant) override;
    Result<uint64_t> size_on_disk() override;
    Status update_indexes() override;

    // Helpers shared by the implementation files.
    git_repository* raw() const { return repo_.get(); }
    const std::string& git_dir() const { return git_dir_; }
    Result<git_oid> resolve_oid(std::string_view rev);
    Result<CommitHandle> lookup_commit(std::string_view rev);
    Result<CommitHandle> lookup_commit(const git_oid& oid);
    Result<TreeHandle> commit_tree(const git_commit* commit);
    // Fills a ChangesetInfo, with the refs that point at the commit.
    ChangesetInfo info_of(const git_commit* commit);
    Result<ChangesetInfo> info_of(const git_oid& oid);
    Result<const RefIndex*> ref_index();
    // The repository's commit-graph, loaded on first use; null when there is none.
    const CommitGraph* commit_graph();

    // Commits of the given revisions; all branch heads and tags when revs is empty.
    Result<std::vector<git_oid>> start_commits(const std::vector<std::string>& revs);
    // A libgit2 revwalk for a log query (unsorted mode: see git_log.cpp).
    Result<RevwalkHandle> new_walk(const LogQuery& query);

private:
    // History of one path (git_path_log.cpp), as `git log -- path` walks it.
    Status walk_path_log(const LogQuery& query, const std::string& path, const LogVisitor& visit);
    // The same through `git rev-list`; used for queries that hide commits.
    Status walk_path_log_cli(const LogQuery& query, const std::string& path,
                             const LogVisitor& visit);
    Result<std::vector<git_oid>> resolve_all(const std::vector<std::string>& revs);
    // list_dir without the cache: the entries of tree (at dir_path below root), sorted.
    Result<std::vector<NodeEntry>> read_listing(git_tree* root, git_tree* tree,
                                                const std::string& dir_path);
    Result<std::vector<git_oid>> sort_by_date(const std::vector<git_oid>& oids);

    std::string path_;
    std::string git_dir_;
    RepoHandle repo_;
    HandleOrigin origin_;                       // what repo_ was opened on (handle_pool.hpp)
    std::shared_ptr<const RefIndex> refs_;      // shared with other instances while unchanged
    std::shared_ptr<const CommitGraph> graph_;  // shared with other instances while unchanged
    bool graph_loaded_ = false;
};

// Normalizes a repository path argument: strips leading/trailing '/'; rejects "." and ".."
// components and NUL bytes (invalid_argument).
Result<std::string> normalize_path(std::string_view path);

}  // namespace kallithea::vcs::git
