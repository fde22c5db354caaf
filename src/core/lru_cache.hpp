// A bounded, thread-safe least-recently-used cache of immutable shared values, by string key,
// with a byte budget (the caller states each value's size). Meant for data keyed by what never
// changes (object ids), so entries are only evicted, never invalidated.
#pragma once

#include <cstddef>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"

namespace kallithea {

template <class V>
class LruCache {
    static constexpr size_t kSlotOverhead = 128;
    struct Slot {
        std::string key;
        std::shared_ptr<const V> value;
        size_t bytes = 0;
    };

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
        std::list<Slot> evicted;  // freed outside the lock
        std::lock_guard lock(mutex_);
        insert_locked(key, std::move(value), value_bytes, evicted);
    }

    // The cached value, or the one make() returns (stored with its size): make() returns
    // Result<std::pair<std::shared_ptr<const V>, size_t>>. Callers asking for a key that another
    // caller is making wait for that result instead of making it again (one history walk for
    // eight first visitors); failures are passed to the waiters and not cached.
    template <class Make>
    Result<std::shared_ptr<const V>> find_or_make(const std::string& key, Make make) {
        using Made = Result<std::shared_ptr<const V>>;
        std::promise<Made> promise;
        {
            std::unique_lock lock(mutex_);
            if (auto it = index_.find(key); it != index_.end()) {
                order_.splice(order_.begin(), order_, it->second);
                return it->second->value;
            }
            if (auto it = making_.find(key); it != making_.end()) {
                std::shared_future<Made> pending = it->second;
                ++waiting_;
                lock.unlock();
                pending.wait();
                lock.lock();
                --waiting_;
                return pending.get();
            }
            making_.emplace(key, promise.get_future().share());
        }
        Made out = fail(Errc::internal, "cache value not made");
        try {
            auto made = make();
            std::list<Slot> evicted;  // freed outside the lock
            std::lock_guard lock(mutex_);
            if (made) {
                insert_locked(key, made->first, made->second, evicted);
                out = made->first;
            } else {
                out = fail(made.error());
            }
            making_.erase(key);
        } catch (...) {
            {
                std::lock_guard lock(mutex_);
                making_.erase(key);
            }
            promise.set_value(out);
            throw;
        }
        promise.set_value(out);
        return out;
    }

private:
    void insert_locked(const std::string& key, std::shared_ptr<const V> value, size_t value_bytes,
                       std::list<Slot>& evicted) {
        const size_t bytes = value_bytes + key.size() + kSlotOverhead;
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

public:
    size_t size_bytes() const {
        std::lock_guard lock(mutex_);
        return bytes_;
    }
    size_t entries() const {
        std::lock_guard lock(mutex_);
        return order_.size();
    }
    size_t max_bytes() const { return max_bytes_; }
    // Callers of find_or_make now waiting for a value another caller is making.
    size_t waiting() const {
        std::lock_guard lock(mutex_);
        return waiting_;
    }

private:
    mutable std::mutex mutex_;
    const size_t max_bytes_;
    size_t bytes_ = 0;
    size_t waiting_ = 0;
    std::list<Slot> order_;  // most recently used first
    std::unordered_map<std::string, typename std::list<Slot>::iterator> index_;
    // Values being made by find_or_make, for the callers that wait for them.
    std::unordered_map<std::string, std::shared_future<Result<std::shared_ptr<const V>>>> making_;
};

}  // namespace kallithea
