// Plain-text rendering and the process-wide LRU cache of rendered READMEs.
#include "core/lru_cache.hpp"
#include "web/html_escape.hpp"
#include "web/markup/markup.hpp"

namespace kallithea::web::markup {
namespace {

constexpr size_t kMaxBytes = 16 * 1024 * 1024;

// Rendered READMEs by kind and blob id (a blob never changes, so entries are only evicted).
LruCache<std::string>& cache() {
    static LruCache<std::string> instance(kMaxBytes);
    return instance;
}

}  // namespace

std::string plain_to_html(std::string_view text) {
    std::string out = "<pre class=\"plain\">";
    out.reserve(text.size() + 32);
    append_html(out, text);
    return out + "</pre>";
}

std::shared_ptr<const std::string> render_readme(const service::Readme& readme) {
    const bool markdown = readme.kind == service::MarkupKind::markdown;
    const std::string key = (markdown ? "md:" : "txt:") + readme.blob_id;
    if (!readme.blob_id.empty()) {
        if (auto hit = cache().find(key))
            return hit;
    }
    auto html = std::make_shared<const std::string>(markdown ? markdown_to_html(readme.text)
                                                             : plain_to_html(readme.text));
    if (!readme.blob_id.empty())
        cache().insert(key, html, html->size());
    return html;
}

}  // namespace kallithea::web::markup
