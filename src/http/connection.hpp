// A client connection of the standalone server, as the listener sees it: it reads request heads
// and bodies on the io threads, runs each exchange on the worker pool (which queues the response
// and never waits on the client), sends the response from the io threads, then waits for the
// next request (keep-alive) or closes. The Beast code lives in connection.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "http/message.hpp"
#include "http/server.hpp"

namespace boost::asio {
class io_context;  // declared only, so Asio stays out of headers
}  // namespace boost::asio

namespace kallithea::http {

class WorkerPool;
class ConnectionControl;
class SpoolBudget;

// What a connection needs from the server that owns it; outlives every connection.
class ConnectionHost {
public:
    virtual const ServerOptions& options() const = 0;
    // True once the graceful drain began: responses then say Connection: close.
    virtual bool draining() const = 0;
    virtual WorkerPool& pool() = 0;
    virtual const Handler& handler() const = 0;
    // Never empty (the server falls back to plain-text pages).
    virtual const ErrorPageRenderer& error_page() const = 0;
    // May be empty (every request is admitted).
    virtual const Admitter& admitter() const = 0;
    // Disk space of all response spools.
    virtual SpoolBudget& spool_budget() = 0;
    // Called from the connection's destructor.
    virtual void forget(const ConnectionControl* connection) = 0;

protected:
    ~ConnectionHost() = default;
};

// The server's handle on a connection. Every call is thread-safe: it is queued to the
// connection's strand.
class ConnectionControl {
public:
    virtual ~ConnectionControl() = default;
    // Starts reading the first request.
    virtual void start() = 0;
    // During a drain: closes the connection if it is between requests.
    virtual void close_if_idle() = 0;
    // When the drain timed out: ends the connection even inside a handler (its next response
    // write fails, so a streaming handler stops soon unless it is blocked elsewhere).
    virtual void force_close() = 0;
};

// Adopts an accepted TCP socket (POSIX descriptor `fd`) to be served on `ioc`; call start()
// once the result is registered. Returns null (and closes fd) if the socket cannot be adopted.
std::shared_ptr<ConnectionControl> make_connection(ConnectionHost& host,
                                                   boost::asio::io_context& ioc, int fd, bool ipv6);

}  // namespace kallithea::http
