// Implementation of web/response_cache.hpp: an LRU list plus a hash map, under one mutex.
#include "web/response_cache.hpp"

#include <list>
#include <mutex>
#include <unordered_map>

namespace kallithea::web {

using Clock = std::chrono::steady_clock;

struct ResponseCache::Impl {
    struct Entry {
        std::string key;
        std::shared_ptr<const http::Response> response;
        size_t bytes = 0;
        Clock::time_point stored;
    };
    std::mutex mutex;
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index;
    size_t bytes = 0;

    void erase(std::list<Entry>::iterator it) {
        bytes -= it->bytes;
        index.erase(it->key);
        lru.erase(it);
    }
};

ResponseCache::ResponseCache(size_t budget_bytes, std::chrono::seconds ttl)
    : budget_(budget_bytes), ttl_(ttl), impl_(std::make_unique<Impl>()) {}

ResponseCache::~ResponseCache() = default;

std::shared_ptr<const http::Response> ResponseCache::get(const std::string& key) {
    if (!enabled())
        return nullptr;
    std::lock_guard lock(impl_->mutex);
    const auto found = impl_->index.find(key);
    if (found == impl_->index.end())
        return nullptr;
    const auto it = found->second;
    if (Clock::now() - it->stored > ttl_) {
        impl_->erase(it);
        return nullptr;
    }
    impl_->lru.splice(impl_->lru.begin(), impl_->lru, it);
    return it->response;
}

void ResponseCache::put(const std::string& key, const http::Response& response) {
    if (!enabled() || response.stream)
        return;
    size_t bytes = key.size() * 2 + response.body.size() + 256;
    for (const auto& [name, value] : response.headers.items())
        bytes += name.size() + value.size();
    if (bytes > budget_ / 16)
        return;
    auto stored = std::make_shared<const http::Response>(response);
    std::lock_guard lock(impl_->mutex);
    if (const auto old = impl_->index.find(key); old != impl_->index.end())
        impl_->erase(old->second);
    impl_->lru.push_front({key, std::move(stored), bytes, Clock::now()});
    impl_->index.emplace(key, impl_->lru.begin());
    impl_->bytes += bytes;
    while (impl_->bytes > budget_ && !impl_->lru.empty())
        impl_->erase(std::prev(impl_->lru.end()));
}

}  // namespace kallithea::web
