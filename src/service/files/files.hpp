// Use cases of the repository file pages: the file browser, raw bytes, blame, a file's history,
// archives and the refs for the revision switcher.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"
#include "service/repos/repo_access.hpp"
#include "vcs/types.hpp"

namespace kallithea::service {

using ChangesetRef = std::shared_ptr<const vcs::ChangesetInfo>;

// The revision a file page shows, with what the switcher offers.
struct RevisionContext {
    std::string rev;               // as requested ("tip", a branch, a tag, an id)
    vcs::ChangesetInfo changeset;  // what it resolved to
    std::vector<vcs::Ref> refs;    // branches, tags and bookmarks, each group sorted by name
};

struct DirEntry {
    vcs::NodeEntry node;
    ChangesetRef last_change;  // null when not found within the history walk limit
};

// A file as the file page shows it.
struct FileSource {
    uint64_t size = 0;
    bool binary = false;
    bool executable = false;
    bool symlink = false;        // text holds the link target
    bool too_large = false;      // over the display limit: not shown inline (raw link only)
    bool can_show_full = false;  // too_large, but browse_files(full=true) would show it
    bool image = false;          // shown as <img> from the raw URL
    std::string text;            // valid UTF-8; empty unless shown inline
    std::string language;        // highlight.js language for the name; empty = plain text
};

struct FilesPage {
    RevisionContext at;
    bool empty_repository = false;  // no changesets yet: nothing else is set
    std::string path;               // "" = root; no leading or trailing '/'
    vcs::NodeKind kind = vcs::NodeKind::dir;
    std::vector<DirEntry> entries;  // a directory: directories first, then files
    FileSource file;                // a file or symlink
    ChangesetRef last_change;       // a file's last change at or before the revision
    std::string submodule_url;      // a submodule
};

// Directory listing or file view of path at rev. Files over the `cut_off_limit` setting are not
// read for display unless `full` (then up to a hard cap). not_found (message safe to show) for an
// unknown revision or path; an empty repository gives empty_repository at the root.
Result<FilesPage> browse_files(App& app, const RepoInfo& repo, std::string_view rev,
                               std::string_view path, bool full);

// A file's bytes, ready to stream after the response head is sent.
struct RawFile {
    std::string name;  // last path component
    std::string commit_id;
    uint64_t size = 0;
    bool binary = false;
    // Writes the whole file to sink; keeps the repository open until it is destroyed.
    std::function<Status(const vcs::ByteSink&)> stream;
};

// Opens path at rev for raw download. not_found for an unknown revision or path, or when path is
// a directory or submodule.
Result<RawFile> open_raw_file(const RepoInfo& repo, std::string_view rev, std::string_view path);

// Content type safe to show inline for "raw": image/png|jpeg|gif|... for those images,
// text/plain for text, application/octet-stream for anything binary (never HTML or SVG).
std::string raw_inline_content_type(std::string_view name, bool binary);
// True when raw_inline_content_type gives an image type (shown inline, not as an attachment).
bool raw_inline_image(std::string_view name);
// Content type for downloads ("rawfile", always an attachment) from the file name.
std::string download_content_type(std::string_view name, bool binary);
// highlight.js language for a file name ("" when none fits: shown as plain text).
std::string highlight_language(std::string_view name);

struct AnnotatedLine {
    int line_no = 0;
    std::string text;  // valid UTF-8, no newline
    ChangesetRef changeset;
};

struct AnnotatePage {
    RevisionContext at;
    std::string path;
    FileSource file;  // text is empty; lines hold the content
    std::vector<AnnotatedLine> lines;
};

// Blame of path at rev (no lines for binary files or files over the display limit).
// not_found for an unknown revision or path, or a directory.
Result<AnnotatePage> annotate_file(App& app, const RepoInfo& repo, std::string_view rev,
                                   std::string_view path, bool full);

struct FileHistoryPage {
    RevisionContext at;
    std::string path;
    vcs::NodeKind kind = vcs::NodeKind::file;
    std::vector<vcs::ChangesetInfo> changesets;  // this page, newest first
    size_t page = 1;
    size_t size = 20;
    bool has_more = false;
};

// One page (1-based) of the changesets that changed path, from rev back. not_found for an unknown
// revision or path.
Result<FileHistoryPage> file_history(const RepoInfo& repo, std::string_view rev,
                                     std::string_view path, size_t page, size_t size);

struct ArchiveDownload {
    std::string file_name;  // "<repo name with '/' as '_'>-<short id><ext>"
    std::string content_type;
    // Streams the archive; stops early when sink returns false.
    std::function<Status(const vcs::ByteSink&)> stream;
};

// Prepares /{repo}/archive/{fname} (fname = "<rev><ext>", ext one of .zip .tar .tar.gz .tar.bz2);
// streaming it records `user_downloaded_archive:<file name>` in the journal (App must outlive the
// stream). forbidden ("Downloads disabled") when the repository does not allow downloads;
// not_found for an unknown archive type, revision or an empty repository.
Result<ArchiveDownload> prepare_archive(App& app, const AuthUser& user, const RepoInfo& repo,
                                        std::string_view fname, std::string_view client_ip);

// Branches, tags and bookmarks of the repository (empty for an empty repository).
Result<std::vector<vcs::Ref>> repository_refs(const RepoInfo& repo);

}  // namespace kallithea::service
