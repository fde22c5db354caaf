// Plain-text rendering and the process-wide LRU cache of rendered READMEs.
#include <list>
#include <mutex>
#include <unordered_map>

#include "web/html_escape.hpp"
#include "web/markup/markup.hpp"

namespace kallithea::web::markup {
namespace {

constexpr size_t kMaxEntries = 128;
constexpr size_t kMaxBytes = 16 * 1024 * 1024;

class RenderCache {
public:
    std::shared_ptr<const std::string> get(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto it = index_.find(key);
        if (it == index_.end())
            return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->second;
    }

    void put(const std::string& key, std::shared_ptr<const std::string> html) {
        std::lock_guard lock(mutex_);
        if (html->size() > kMaxBytes / 4 || index_.count(key))
            return;
        bytes_ += html->size();
        order_.emplace_front(key, std::move(html));
        index_[key] = order_.begin();
        while (order_.size() > kMaxEntries || bytes_ > kMaxBytes) {
            bytes_ -= order_.back().second->size();
            index_.erase(order_.back().first);
            order_.pop_back();
        }
    }

private:
    using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;
    std::mutex mutex_;
    std::list<Entry> order_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    size_t bytes_ = 0;
};

RenderCache& cache() {
    static RenderCache instance;
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
        if (auto hit = cache().get(key))
            return hit;
    }
    auto html = std::make_shared<const std::string>(markdown ? markdown_to_html(readme.text)
                                                             : plain_to_html(readme.text));
    if (!readme.blob_id.empty())
        cache().put(key, html);
    return html;
}

}  // namespace kallithea::web::markup
