// The standalone HTTP/1.1 server on Boost.Asio: the listening socket, the io threads, the
// worker pool, the response spool budget, signals and the graceful drain. Connections live in
// connection.cpp.
#include "http/server.hpp"

#include <utility>  // before Asio (Boost 1.74 needs std::exchange declared)

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/log.hpp"
#include "http/connection.hpp"
#include "http/response_head.hpp"
#include "http/spool.hpp"
#include "http/worker_pool.hpp"

namespace kallithea::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Strand = asio::strand<asio::io_context::executor_type>;

// After a drain timed out and connections were forced closed: how long to wait for handlers.
constexpr std::chrono::seconds kForceCloseWait{5};

ServerOptions with_spool_dir(ServerOptions options) {
    options.spool_dir = spool_directory(options.spool_dir);
    return options;
}

class ServerImpl final : public Server, public ConnectionHost {
public:
    ServerImpl(const ServerOptions& options, Handler handler, ErrorPageRenderer error_page,
               Admitter admit)
        : options_(with_spool_dir(options)),
          handler_(std::move(handler)),
          error_page_(error_page ? std::move(error_page) : plain_error_response),
          admit_(std::move(admit)),
          spool_budget_(options.spool_budget_bytes),
          ioc_(static_cast<int>(std::max<size_t>(1, options.io_threads))),
          accept_strand_(asio::make_strand(ioc_)),
          acceptor_(ioc_),
          signals_(ioc_),
          accept_retry_(ioc_) {}

    Status listen();
    uint16_t port() const override { return port_; }
    void run() override;
    void stop() override;

    const ServerOptions& options() const override { return options_; }
    bool draining() const override { return draining_.load(std::memory_order_acquire); }
    WorkerPool& pool() override { return *pool_; }
    const Handler& handler() const override { return handler_; }
    const ErrorPageRenderer& error_page() const override { return error_page_; }
    const Admitter& admitter() const override { return admit_; }
    SpoolBudget& spool_budget() override { return spool_budget_; }
    void forget(const ConnectionControl* connection) override;

private:
    void accept();
    void on_accept(error_code ec, tcp::socket socket);
    void drain();
    template <class Action>
    void for_each_connection(Action action);

    ServerOptions options_;
    Handler handler_;
    ErrorPageRenderer error_page_;
    Admitter admit_;
    SpoolBudget spool_budget_;
    std::atomic<bool> draining_{false};
    // Guards stop_requested_, ran_ and connections_; changed_ signals both.
    std::mutex mutex_;
    std::condition_variable changed_;
    bool stop_requested_ = false;
    bool ran_ = false;
    std::unordered_map<const ConnectionControl*, std::weak_ptr<ConnectionControl>> connections_;
    // Declared after connections_: destroying the io_context destroys connections.
    asio::io_context ioc_;
    Strand accept_strand_;
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
    asio::steady_timer accept_retry_;
    uint16_t port_ = 0;
    std::unique_ptr<WorkerPool> pool_;
};

Status ServerImpl::listen() {
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(options_.host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, options_.port);
    } else {
        tcp::resolver resolver(ioc_);
        const auto results = resolver.resolve(options_.host, std::to_string(options_.port), ec);
        if (ec || results.empty())
            return fail(Errc::io, "cannot listen on " + where + ": " +
                                      (ec ? ec.message() : std::string("no address")));
        endpoint = results.begin()->endpoint();
    }
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        acceptor_.bind(endpoint, ec);
    if (!ec)
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return fail(Errc::io, "cannot listen on " + where + ": " + ec.message());
    port_ = acceptor_.local_endpoint(ec).port();
    return ok();
}

void ServerImpl::run() {
    {
        std::lock_guard lock(mutex_);
        if (ran_) {
            log::error("Server::run() called twice");
            return;
        }
        ran_ = true;
    }
    pool_ = std::make_unique<WorkerPool>(options_.workers);
    auto work = asio::make_work_guard(ioc_);
    asio::post(accept_strand_, [this] { accept(); });
    if (options_.handle_signals) {
        error_code ec;
        signals_.add(SIGINT, ec);
        signals_.add(SIGTERM, ec);
        signals_.async_wait(
            asio::bind_executor(accept_strand_, [this](error_code wait_ec, int signal) {
                if (wait_ec)
                    return;
                log::info("signal {} received: draining", signal);
                stop();
            }));
    }
    std::vector<std::thread> io_threads;
    for (size_t i = 0; i < std::max<size_t>(1, options_.io_threads); ++i)
        io_threads.emplace_back([this] { ioc_.run(); });
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return stop_requested_; });
    }
    drain();
    work.reset();
    ioc_.stop();
    for (auto& thread : io_threads)
        thread.join();
    pool_->stop();
}

void ServerImpl::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_requested_ = true;
        draining_.store(true, std::memory_order_release);
    }
    changed_.notify_all();
}

void ServerImpl::drain() {
    asio::post(accept_strand_, [this] {
        error_code ec;
        acceptor_.close(ec);
        accept_retry_.cancel();
        // Back to the default disposition: a second SIGINT/SIGTERM ends the process at once.
        signals_.clear(ec);
        signals_.cancel(ec);
    });
    for_each_connection([](ConnectionControl& c) { c.close_if_idle(); });
    std::unique_lock lock(mutex_);
    if (changed_.wait_for(lock, options_.drain_timeout, [this] { return connections_.empty(); }))
        return;
    log::warn("drain timeout: closing {} connections", connections_.size());
    lock.unlock();
    for_each_connection([](ConnectionControl& c) { c.force_close(); });
    lock.lock();
    if (!changed_.wait_for(lock, kForceCloseWait, [this] { return connections_.empty(); }))
        log::warn("{} connections still open after the forced close; waiting for their handlers",
                  connections_.size());
}

template <class Action>
void ServerImpl::for_each_connection(Action action) {
    std::vector<std::shared_ptr<ConnectionControl>> live;
    {
        std::lock_guard lock(mutex_);
        for (auto& [raw, weak] : connections_) {
            if (auto connection = weak.lock())
                live.push_back(std::move(connection));
        }
    }
    for (auto& connection : live)
        action(*connection);
}

void ServerImpl::accept() {
    // Accepted sockets are handed to connections by descriptor (see make_connection), so the
    // accept itself needs no strand of its own.
    acceptor_.async_accept(asio::bind_executor(
        accept_strand_,
        [this](error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); }));
}

void ServerImpl::on_accept(error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open())
        return;
    if (ec) {
        // Typically EMFILE: back off instead of spinning on the failing accept.
        log::warn("accept failed: {}", ec.message());
        accept_retry_.expires_after(std::chrono::milliseconds(100));
        accept_retry_.async_wait(asio::bind_executor(accept_strand_, [this](error_code wait_ec) {
            if (!wait_ec && acceptor_.is_open())
                accept();
        }));
        return;
    }
    const bool ipv6 = socket.local_endpoint(ec).address().is_v6();
    const int fd = socket.release(ec);
    if (ec) {
        log::warn("cannot take over accepted socket: {}", ec.message());
    } else if (auto connection = make_connection(*this, ioc_, fd, ipv6)) {
        {
            std::lock_guard lock(mutex_);
            connections_.emplace(connection.get(), connection);
        }
        connection->start();
    }
    accept();
}

void ServerImpl::forget(const ConnectionControl* connection) {
    {
        std::lock_guard lock(mutex_);
        connections_.erase(connection);
    }
    changed_.notify_all();
}

}  // namespace

Result<std::unique_ptr<Server>> Server::bind(const ServerOptions& options, Handler handler,
                                             ErrorPageRenderer error_page, Admitter admit) {
    auto server = std::make_unique<ServerImpl>(options, std::move(handler), std::move(error_page),
                                               std::move(admit));
    if (auto status = server->listen(); !status)
        return fail(status.error());
    return std::unique_ptr<Server>(std::move(server));
}

}  // namespace kallithea::http
