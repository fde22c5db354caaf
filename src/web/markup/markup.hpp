// Rendering of repository documents (README) to HTML: Markdown through cmark-gfm in safe mode,
// everything else as escaped preformatted text; results cached per blob.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "service/history/history.hpp"

namespace kallithea::web::markup {

// CommonMark with GitHub's table, strikethrough and autolink extensions. Safe mode: raw HTML is
// replaced by a comment and javascript:/vbscript:/file:/data: links are dropped. Never fails.
std::string markdown_to_html(std::string_view text);

// The text HTML-escaped inside <pre class="plain">.
std::string plain_to_html(std::string_view text);

// README as HTML, from a small process-wide LRU cache keyed by blob id and kind (thread-safe).
std::shared_ptr<const std::string> render_readme(const service::Readme& readme);

}  // namespace kallithea::web::markup
