// Unified diffs as HTML for the changeset and compare pages: per file a header (path, change
// kind, +/- counts, anchor) and per line its kind (row class dl-add, dl-del, dl-ctx, dl-hunk,
// dl-meta) and old/new line numbers.
#pragma once

#include <string>
#include <string_view>

#include "vcs/types.hpp"
#include "web/view.hpp"

namespace kallithea::web {

// Anchor id of a file's diff: "C-<12 hex of changeset or empty>-<12 hex of the path's hash>".
std::string file_anchor(std::string_view changeset_id, std::string_view path);

// The diff's file list (for a table of contents) under "files", totals (file_count, additions,
// deletions), has_files, "truncated"; and the file sections as escaped HTML under "diff_html".
View diff_view(const vcs::Diff& diff, std::string_view changeset_id);

// As diff_view, but the table of contents as escaped <li> HTML under "toc_html" instead of
// the "files" list: cheaper for pages listing hundreds of files.
View diff_page_view(const vcs::Diff& diff, std::string_view changeset_id);

}  // namespace kallithea::web
