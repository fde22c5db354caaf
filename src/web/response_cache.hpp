// A process-wide cache of rendered repository pages. Entries are keyed by everything the page
// depends on (address, query, host, the visitor's session, the repository's state token), so a
// hit is the page the handler would render again; they also expire after a short time, which
// bounds staleness from changes the key cannot see (site title, a user's admin flag).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace kallithea::web {

class ResponseCache {
public:
    // budget_bytes 0 disables the cache.
    ResponseCache(size_t budget_bytes, std::chrono::seconds ttl);
    ~ResponseCache();

    std::shared_ptr<const http::Response> get(const std::string& key);
    // Stores a plain (non-streamed) response; bodies over a sixteenth of the budget are skipped.
    void put(const std::string& key, const http::Response& response);

    bool enabled() const { return budget_ > 0; }

private:
    struct Impl;
    size_t budget_;
    std::chrono::seconds ttl_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kallithea::web
