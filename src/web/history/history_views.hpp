// Pieces shared by the history pages: changeset views, ref labels, error answers, and the
// request's origin for absolute URLs.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "service/history/history.hpp"
#include "vcs/types.hpp"
#include "web/context.hpp"
#include "web/html_escape.hpp"
#include "web/view.hpp"

namespace kallithea::web {

// "/prefix/repo/changeset/<id>".
std::string changeset_url(const Ctx& ctx, std::string_view id);

// A changeset for templates: id, short_id, url, author (full), author_name, author_email, date,
// date_iso, summary, message, is_merge, parents [{id, short_id, url}], branches/tags/bookmarks
// [{name, url}], has_refs.
View changeset_view(const Ctx& ctx, const vcs::ChangesetInfo& cs);

// The answer for a failed history service call: a 404/400/413 repository page naming the
// problem, or (logged) 503 for I/O and database failures.
http::Response history_error(const Ctx& ctx, const Error& error);

// Scheme, Host, prefix and user of this request, for clone URLs and feed links.
service::RequestOrigin request_origin(const Ctx& ctx);

// Query-string diff options: ?fulldiff=1, ?ignorews=1, ?context=N.
service::DiffRequest diff_request(const Ctx& ctx);

// Positive integer query parameter, or fallback when missing or malformed.
size_t size_param(const Ctx& ctx, std::string_view name, size_t fallback);

}  // namespace kallithea::web
