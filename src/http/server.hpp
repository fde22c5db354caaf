// The standalone HTTP/1.1 server: keep-alive, streaming bodies, bounded worker pool that never
// waits on a client (bodies and responses move on the io threads, minimum transfer rate),
// graceful drain.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "http/message.hpp"

namespace kallithea::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 5000;  // 0 = any free port (see Server::port())
    size_t workers = 8;    // handler threads; requests beyond wait in a queue
    size_t io_threads = 1;
    size_t max_header_bytes = 64 * 1024;
    uint64_t max_body_bytes = 107374182400ULL;
    std::chrono::seconds header_timeout{30};
    std::chrono::seconds idle_timeout{60};
    std::chrono::seconds drain_timeout{60};
    // Request bodies up to this size are received into memory before the handler runs (no
    // admission check unless Expect: 100-continue); longer ones are admitted first (see
    // Admitter), then spooled to an unlinked file in spool_dir.
    size_t small_body_bytes = 1024 * 1024;
    // A small body must arrive within this time.
    std::chrono::seconds body_timeout{60};
    // A response that is not streamed must be written within this time once the handler returned.
    std::chrono::seconds response_timeout{120};
    // Minimum transfer rate: a request body or response that moves fewer than min_rate_bytes in
    // min_rate_window (while the server is not the one keeping it waiting) is cut off and logged.
    uint64_t min_rate_bytes = 16 * 1024;
    std::chrono::seconds min_rate_window{30};
    // Responses are queued in memory up to response_memory_bytes per connection, then in a spool
    // file of at most response_spool_bytes; all response spools together use at most
    // spool_budget_bytes. Only past those does a producing handler wait for its client.
    size_t response_memory_bytes = 1024 * 1024;
    uint64_t response_spool_bytes = 1024ULL * 1024 * 1024;
    uint64_t spool_budget_bytes = 8ULL * 1024 * 1024 * 1024;
    std::string spool_dir;       // empty: $TMPDIR, else /tmp
    bool handle_signals = true;  // SIGTERM/SIGINT start the graceful drain
    bool access_log = true;
};

// Renders the page for an error the server answers itself (400, 404, 405, 413, 431, 500, 503).
// `request_id` is empty when no request could be parsed.
using ErrorPageRenderer = std::function<Response(int status, const std::string& request_id)>;

class Server {
public:
    virtual ~Server() = default;
    // Binds and listens. Fails with Errc::io and a one-line message naming host:port when the
    // address is in use or invalid.
    // `admit` (optional) screens requests before a large body is received.
    static Result<std::unique_ptr<Server>> bind(const ServerOptions& options, Handler handler,
                                                ErrorPageRenderer error_page = {},
                                                Admitter admit = {});
    virtual uint16_t port() const = 0;
    // Serves until stop() or a signal, then drains: stops accepting, lets in-flight responses
    // finish (up to drain_timeout), closes idle keep-alive connections, and returns.
    virtual void run() = 0;
    // Thread-safe; starts the drain.
    virtual void stop() = 0;
};

}  // namespace kallithea::http
