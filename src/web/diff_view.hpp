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

// The diff's file list (for a table of contents) under "files", totals, "truncated"; and the
// rendered diff HTML (escaped by the template) under "diff_html".
View diff_view(const vcs::Diff& diff, std::string_view changeset_id);

}  // namespace kallithea::web
