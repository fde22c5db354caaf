// The standalone HTTP/1.1 server: keep-alive, streaming bodies, bounded worker pool, graceful
// drain.
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
    // A blocking body read or response write on a worker that makes no progress for this long
    // fails (the client stalled); the connection is closed.
    std::chrono::seconds io_timeout{120};
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
    static Result<std::unique_ptr<Server>> bind(const ServerOptions& options, Handler handler,
                                                ErrorPageRenderer error_page = {});
    virtual uint16_t port() const = 0;
    // Serves until stop() or a signal, then drains: stops accepting, lets in-flight responses
    // finish (up to drain_timeout), closes idle keep-alive connections, and returns.
    virtual void run() = 0;
    // Thread-safe; starts the drain.
    virtual void stop() = 0;
};

}  // namespace kallithea::http
