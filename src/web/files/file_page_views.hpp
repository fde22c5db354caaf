// Pieces the file pages share: their URLs, the path/revision navigation bar, changeset and size
// formatting, and error pages carrying the service's message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/message.hpp"
#include "service/files/files.hpp"
#include "web/context.hpp"
#include "web/view.hpp"

namespace kallithea::web::file_pages {

// The revision as a URL path segment: the name when it has no '/', else the changeset id.
std::string rev_segment(const service::RevisionContext& at);
// /{repo}/{kind}/{rev}/{path} with rev and path percent-encoded (kind: files, raw, annotate ...).
std::string page_url(const Ctx& ctx, std::string_view kind, std::string_view rev,
                     std::string_view path);
// URL of a changeset page.
std::string changeset_url(const Ctx& ctx, std::string_view id);

// "1.1 KiB" style size (binary units), "0 B" for empty.
std::string format_size(uint64_t bytes);
// UTC "YYYY-MM-DD HH:MM" for display and ISO 8601 for <time datetime>.
std::string format_date(int64_t seconds);
std::string iso_date(int64_t seconds);

// id, short_id, url, summary, author (name), author_full, date, iso.
View changeset_view(const Ctx& ctx, const vcs::ChangesetInfo& changeset);

// The navigation bar above every file page: breadcrumb of path, revision switcher (a GET form
// with ?at_rev= that `switch_revision` answers, plus plain links) and the changeset shown.
// `kind` is the page kind the links stay on ("files", "annotate", "history").
std::string render_nav(const Ctx& ctx, const service::RevisionContext& at, std::string_view path,
                       std::string_view kind);

// A redirect for ?at_rev=X (the switcher form) to the same page kind at X; nullopt otherwise.
std::optional<http::Response> switch_revision(const Ctx& ctx, std::string_view kind);

// The page for a failed service call: 404/403 with the message on the repository page; other
// errors are logged and answered 500/503.
http::Response error_response(const Ctx& ctx, const Error& error, std::string_view what);

// Rows of the code table, built here rather than in the template because files have thousands of
// lines; every text is escaped. source_rows takes the file text and makes one row: a cell of line
// number anchors (<a id="L1" href="#L1">) and a cell with the whole text in one <code> (a final
// newline does not start another line). Annotate rows are one per line (<tr id="L1"
// data-line="1" data-changeset data-author>), the first row of each run of lines from one
// changeset with a blame cell spanning the run.
std::string source_rows(std::string_view text);
std::string annotate_rows(const Ctx& ctx, const std::vector<service::AnnotatedLine>& lines);
// Rows of the directory table (<tr data-name data-path data-kind data-size data-last-changeset>
// with name, size and last change cells), built here for the same reason; every text is escaped.
std::string tree_rows(const Ctx& ctx, std::string_view rev,
                      const std::vector<service::DirEntry>& entries);

// Path parameter of the route ("" when absent), without surrounding '/'.
std::string path_param(const Ctx& ctx);

// Content-Disposition value for an attachment, with an RFC 5987 filename* for non-ASCII names.
std::string attachment_disposition(std::string_view file_name);

}  // namespace kallithea::web::file_pages
