// Process-wide bounded cache of the last changeset per directory entry. Keys name an immutable
// commit, so entries never go stale (they are only evicted); safe to share between processes'
// views of one repository root.
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vcs/types.hpp"

namespace kallithea::service {

// Entry name -> last changeset that touched it (entries not found are absent).
using LastChanges = std::map<std::string, std::shared_ptr<const vcs::ChangesetInfo>>;

// Least-recently-used eviction once the estimated size exceeds the byte budget. Thread-safe.
class LastChangeCache {
public:
    explicit LastChangeCache(size_t max_bytes) : max_bytes_(max_bytes) {}

    // The one instance the file pages use.
    static LastChangeCache& shared();

    // Cache key of one directory of one commit of one repository.
    static std::string key(std::string_view repo_path, std::string_view commit_id,
                           std::string_view dir);

    // The cached value, or null.
    std::shared_ptr<const LastChanges> find(const std::string& key);
    // Stores value (replacing any older one) and evicts the least recently used entries while the
    // total is over the budget. A value larger than the whole budget is not stored.
    void insert(const std::string& key, std::shared_ptr<const LastChanges> value);

    size_t size_bytes() const;
    size_t entries() const;

    // Rough memory use of a value (strings, changesets shared within it counted once).
    static size_t estimate_bytes(const LastChanges& value);

private:
    struct Slot {
        std::string key;
        std::shared_ptr<const LastChanges> value;
        size_t bytes = 0;
    };
    mutable std::mutex mutex_;
    size_t max_bytes_;
    size_t bytes_ = 0;
    std::list<Slot> order_;  // most recently used first
    std::unordered_map<std::string, std::list<Slot>::iterator> index_;
};

}  // namespace kallithea::service
