// The VCS-neutral repository interface the service layer browses Git (and later Mercurial) with.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "vcs/types.hpp"

namespace kallithea::vcs {

// Process-wide settings of the VCS layer (ini keys `git_path`, ...). Set once at startup, before
// any repository is opened on another thread.
struct VcsSettings {
    std::string git_executable = "git";  // absolute path or a name looked up in PATH
    std::string hg_executable = "hg";
    std::chrono::milliseconds command_timeout{120'000};  // blame, path log, ...
    std::chrono::milliseconds archive_timeout{3'600'000};
};
void set_vcs_settings(VcsSettings settings);
const VcsSettings& vcs_settings();

// Which VCS a directory holds, judged from its layout only (cheap; no repository is opened).
// nullopt when it is neither a Git (bare or with .git) nor a Mercurial repository.
std::optional<std::string> detect_repository_type(const std::string& path);

// Receives each changeset of a log walk; returns false to stop it.
using LogVisitor = std::function<bool(ChangesetInfo&&)>;

// A repository opened for one request. Not thread-safe: use an object from one thread at a time.
// Opening is cheap (Git: the libgit2 handles of earlier requests are reused while the repository
// is unchanged on disk), so callers open one per request; refs and the commit-graph are read once
// per object, so an object reflects the repository as it was when first asked.
//
// Revisions (`rev` parameters) accept a full or abbreviated changeset id, a branch, tag or
// bookmark name, or "tip"/"HEAD" (empty means the same). Unknown revisions and paths fail with
// Errc::not_found; an unreadable or corrupt repository with Errc::io.
class Repository {
public:
    virtual ~Repository() = default;

    // Opens the repository at path, detecting its type. not_found when path is not a repository;
    // unavailable for a type this build cannot serve yet.
    static Result<std::unique_ptr<Repository>> open(const std::string& path);

    virtual std::string type() const = 0;  // "git" or "hg"
    virtual const std::string& path() const = 0;

    // True when the repository has no changesets at all.
    virtual Result<bool> is_empty() = 0;

    // All branches, tags and bookmarks, each group sorted by name.
    virtual Result<std::vector<Ref>> refs() = 0;
    Result<std::vector<Ref>> branches();
    Result<std::vector<Ref>> tags();
    // Git: the branch HEAD points at (it may not exist yet); Mercurial: "default".
    virtual Result<std::string> default_branch() = 0;

    // Full changeset id of a revision.
    virtual Result<std::string> resolve(std::string_view rev) = 0;
    virtual Result<ChangesetInfo> changeset(std::string_view rev) = 0;
    // Changesets whose parent is rev (reachable from any branch or tag), newest first. Where the
    // repository has no index of children (Git without a commit-graph) the search walks at most
    // max_walk changesets newer than rev, and says so when that stopped it.
    virtual Result<Children> children(std::string_view rev, size_t max_walk) = 0;

    // Calls visit for each changeset of the query, newest first by committer date as `git log`
    // orders them (children before parents unless clocks were skewed), reading history lazily: a
    // page costs skip+limit commits, never the whole history. With a path, the history of that
    // file or directory as `git log -- path` simplifies it. visit returns false to stop early; it
    // may keep the changeset it is given (an rvalue).
    virtual Status walk_log(const LogQuery& query, const LogVisitor& visit) = 0;
    // walk_log collected into a vector.
    Result<std::vector<ChangesetInfo>> log(const LogQuery& query);
    // Number of changesets the query selects (skip and limit ignored); walks the whole range.
    virtual Result<uint64_t> count(const LogQuery& query) = 0;

    // Directory listing: directories first, then files, each sorted by name. not_found when path
    // does not exist at rev; invalid_argument when it is a file.
    virtual Result<std::vector<NodeEntry>> list_dir(std::string_view rev,
                                                    std::string_view path) = 0;
    // All file paths (recursively) below path at rev, sorted; for the quick file filter and
    // indexing.
    virtual Result<std::vector<std::string>> list_files(std::string_view rev,
                                                        std::string_view path) = 0;
    // Kind of the node at path ("" is the root directory); not_found when absent.
    virtual Result<NodeKind> node_kind(std::string_view rev, std::string_view path) = 0;
    // Content of a file (at most max_bytes of it; 0 = all). invalid_argument for a directory.
    virtual Result<FileContent> read_file(std::string_view rev, std::string_view path,
                                          uint64_t max_bytes) = 0;
    // Streams a whole file to sink (raw downloads); large files never sit in memory whole.
    virtual Status stream_file(std::string_view rev, std::string_view path,
                               const ByteSink& sink) = 0;

    // For each name in entries (names inside dir_path), the last changeset at or before rev that
    // changed it (what `git log -1 rev -- dir_path/name` answers), with one history walk for the
    // whole directory that stops once every entry is resolved. Entries not found within
    // max_commits walked commits (0 = no limit) are missing from the map.
    virtual Result<std::map<std::string, ChangesetInfo>> last_changes(
        std::string_view rev, std::string_view dir_path, const std::vector<std::string>& entries,
        size_t max_commits = 0) = 0;

    // Diff from from_rev to to_rev; empty from_rev means to_rev's first parent (or the empty
    // tree for a root changeset).
    virtual Result<Diff> diff(std::string_view from_rev, std::string_view to_rev,
                              const DiffOptions& options) = 0;

    // Per line of path at rev: the changeset that last changed it.
    virtual Result<std::vector<BlameLine>> blame(std::string_view rev, std::string_view path) = 0;

    // Streams an archive of rev with every path under prefix ("name-abc123/"); stops early when
    // sink returns false (then returns ok).
    virtual Status archive(std::string_view rev, ArchiveFormat format, std::string_view prefix,
                           const ByteSink& sink) = 0;

    // Best common ancestor of two revisions; not_found when they share no history.
    virtual Result<std::string> common_ancestor(std::string_view a, std::string_view b) = 0;
    // True when ancestor is reachable from descendant (or they are equal).
    virtual Result<bool> is_ancestor(std::string_view ancestor, std::string_view descendant) = 0;
    // Changesets reachable from head but not from base, newest first (compare and PR pages).
    Result<std::vector<ChangesetInfo>> commits_between(std::string_view base, std::string_view head,
                                                       size_t limit = 0);

    // Bytes used on disk by the repository.
    virtual Result<uint64_t> size_on_disk() = 0;

    // Refreshes on-disk indexes that make browsing fast; call after a push.
    // Git: commit-graph with changed-path Bloom filters. Mercurial: nothing.
    virtual Status update_indexes() = 0;
};

}  // namespace kallithea::vcs
