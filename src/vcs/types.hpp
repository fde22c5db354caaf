// Value types of the VCS layer (refs, changesets, nodes, diffs, blame), shared by Git and
// Mercurial.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kallithea::vcs {

enum class RefKind { branch, tag, bookmark };

std::string_view ref_kind_name(RefKind kind);

// A named pointer to a changeset. Closed branches exist only in Mercurial.
struct Ref {
    std::string name;
    RefKind kind = RefKind::branch;
    std::string target;  // full changeset id
    bool closed = false;
};

struct Signature {
    std::string name;
    std::string email;
    int64_t time = 0;        // seconds since the epoch
    int offset_minutes = 0;  // the author's UTC offset

    // "Name <email>", or just the name when there is no email (Kallithea's `author`).
    std::string full() const;
};

struct ChangesetInfo {
    std::string id;        // full hex id
    std::string short_id;  // first 12 hex digits (Kallithea's short_id)
    std::vector<std::string> parents;
    Signature author;
    Signature committer;
    std::string message;  // valid UTF-8 (invalid bytes replaced)
    // Branch heads, tags and bookmarks that point at exactly this changeset.
    std::vector<std::string> branches;
    std::vector<std::string> tags;
    std::vector<std::string> bookmarks;
    int64_t revision = -1;  // Mercurial's local revision number; -1 for Git

    // First line of the message.
    std::string summary() const;
    bool is_merge() const { return parents.size() > 1; }
};

// The children of a changeset; complete is false when a walk limit cut the search short.
struct Children {
    std::vector<ChangesetInfo> changesets;
    bool complete = true;
};

enum class NodeKind { file, dir, submodule, symlink };

std::string_view node_kind_name(NodeKind kind);

// One entry of a directory listing.
struct NodeEntry {
    std::string name;  // last path component
    std::string path;  // full path from the repository root, no leading '/'
    NodeKind kind = NodeKind::file;
    uint64_t size = 0;  // bytes of a file or symlink target; 0 for directories and submodules
    bool executable = false;
    std::string submodule_url;  // from .gitmodules (Git) or .hgsub (Mercurial), when known
    std::string object_id;      // blob/tree/commit id (Git); file node id (Mercurial)
};

struct FileContent {
    std::string data;  // at most the requested number of bytes
    bool binary = false;
    uint64_t size = 0;  // full size of the file
    std::string blob_id;
    bool truncated = false;  // data holds fewer than `size` bytes
    bool executable = false;
    bool symlink = false;  // data is the link target
};

enum class ChangeKind { added, modified, deleted, renamed, copied };

std::string_view change_kind_name(ChangeKind kind);

struct FileDiff {
    std::string old_path;  // equals new_path unless renamed/copied; set for added files too
    std::string new_path;  // equals old_path for deleted files
    ChangeKind change = ChangeKind::modified;
    bool binary = false;
    int additions = 0;
    int deletions = 0;
    std::string old_mode;  // octal "100644"; empty when the file did not exist
    std::string new_mode;
    int similarity = 0;  // percent, for renames and copies
    // Unified diff of this file, "diff --git" header included; empty when too_large or names_only.
    std::string patch;
    bool too_large = false;  // patch left out because of DiffOptions::cut_off_bytes
};

struct Diff {
    std::vector<FileDiff> files;
    int additions = 0;
    int deletions = 0;
    bool truncated = false;  // some patches were left out (cut_off_bytes)

    // The whole unified diff (the files' patches in order), as `git diff` prints it.
    std::string patch_text() const;
};

struct DiffOptions {
    int context_lines = 3;
    bool ignore_whitespace = false;
    // Once this many bytes of patch text have been produced, further files (and any single file
    // larger than this) get too_large instead of a patch. 0 means unlimited.
    size_t cut_off_bytes = 0;
    std::vector<std::string> paths;  // limit to these paths (files or directories); empty = all
    bool detect_renames = true;
    bool names_only = false;      // file list and change kinds only: no patch, no line counts
    bool binary_patches = false;  // "GIT binary patch" sections (for downloadable patches)
};

struct BlameLine {
    std::string changeset_id;
    int line_no = 0;       // 1-based line number in the annotated revision
    int orig_line_no = 0;  // line number in changeset_id's version of the file
    std::string orig_path;
    std::string text;  // without the trailing newline
};

struct LogQuery {
    // Revisions to start from (ids, branch or tag names); empty = all branches (Git) / all heads.
    std::vector<std::string> start;
    // Leave out changesets reachable from these (e.g. the base of a compare).
    std::vector<std::string> hide;
    std::string path;  // history of this file or directory only; empty = whole repository
    size_t skip = 0;
    size_t limit = 0;  // 0 = unlimited
    bool first_parent = false;
};

enum class ArchiveFormat { zip, tar, tgz, tbz2 };

// File extension Kallithea uses for an archive format (".zip", ".tar", ".tar.gz", ".tar.bz2").
std::string_view archive_extension(ArchiveFormat format);
// Parses an extension as accepted in /{repo}/archive/{name}{ext}; nullopt if unknown.
std::optional<ArchiveFormat> archive_format_from_extension(std::string_view ext);

// Receives streamed bytes; returns false to stop the producer (client went away).
using ByteSink = std::function<bool(std::string_view data)>;

// True when the bytes look binary: a NUL byte in the first 8000 bytes (Git's rule).
bool looks_binary(std::string_view data);
// Returns text with invalid UTF-8 sequences replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace kallithea::vcs
