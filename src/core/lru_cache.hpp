// A bounded, thread-safe least-recently-used cache of immutable shared values, by string key,
// with a byte budget (the caller states each value's size). Meant for data keyed by what never
// changes (object ids), so entries are only evicted, never invalidated.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kallithea {

template <class V>
class LruCache {
public:
    explicit LruCache(size_t max_bytes) : max_bytes_(max_bytes) {}
    LruCache(const LruCache&) = delete;
    LruCache& operator=(const LruCache&) = delete;

    // The cached value, or null; a hit becomes the most recently used.
    std::shared_ptr<const V> find(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto it = index_.find(key);
        if (it == index_.end())
            return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->value;
    }

    // Stores value (replacing an older one under key), then evicts the least recently used while
    // the total is over the budget. A value larger than the whole budget is not stored.
    void insert(const std::string& key, std::shared_ptr<const V> value, size_t value_bytes) {
        const size_t bytes = value_bytes + key.size() + kSlotOverhead;
        std::list<Slot> evicted;  // freed outside the lock
        std::lock_guard lock(mutex_);
        if (auto it = index_.find(key); it != index_.end()) {
            bytes_ -= it->second->bytes;
            evicted.splice(evicted.end(), order_, it->second);
            index_.erase(it);
        }
        if (bytes > max_bytes_)
            return;
        order_.push_front(Slot{key, std::move(value), bytes});
        index_.emplace(key, order_.begin());
        bytes_ += bytes;
        while (bytes_ > max_bytes_ && !order_.empty()) {
            auto last = std::prev(order_.end());
            bytes_ -= last->bytes;
            index_.erase(last->key);
            evicted.splice(evicted.end(), order_, last);
        }
    }

    size_t size_bytes() const {
        std::lock_guard lock(mutex_);
        return bytes_;
    }
    size_t entries() const {
        std::lock_guard lock(mutex_);
        return order_.size();
    }
    size_t max_bytes() const { return max_bytes_; }

private:
    static constexpr size_t kSlotOverhead = 128;
    struct Slot {
        std::string key;
        std::shared_ptr<const V> value;
        size_t bytes = 0;
    };
    mutable std::mutex mutex_;
    const size_t max_bytes_;
    size_t bytes_ = 0;
    std::list<Slot> order_;  // most recently used first
    std::unordered_map<std::string, typename std::list<Slot>::iterator> index_;
};

}  // namespace kallithea
