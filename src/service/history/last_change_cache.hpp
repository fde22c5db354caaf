// Process-wide bounded cache of the last changeset per directory entry. Keys name an immutable
// commit, so entries never go stale (they are only evicted); safe to share between processes'
// views of one repository root.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/lru_cache.hpp"
#include "vcs/types.hpp"

namespace kallithea::service {

// Entry name -> last changeset that touched it (entries not found are absent).
using LastChanges = std::map<std::string, std::shared_ptr<const vcs::ChangesetInfo>>;

// Least-recently-used eviction once the estimated size exceeds the byte budget. Thread-safe.
class LastChangeCache : public LruCache<LastChanges> {
public:
    using LruCache<LastChanges>::LruCache;

    // The one instance the file pages use.
    static LastChangeCache& shared();

    // Cache key of one directory of one commit of one repository.
    static std::string key(std::string_view repo_path, std::string_view commit_id,
                           std::string_view dir);

    // Stores value with its estimated size (see LruCache::insert).
    void insert(const std::string& key, std::shared_ptr<const LastChanges> value) {
        const size_t bytes = estimate_bytes(*value);
        LruCache<LastChanges>::insert(key, std::move(value), bytes);
    }

    // Rough memory use of a value (strings, changesets shared within it counted once).
    static size_t estimate_bytes(const LastChanges& value);
};

}  // namespace kallithea::service
