// Client connections of the standalone server on Boost.Beast/Asio: request heads are read
// asynchronously on the connection's strand; each exchange then runs on a worker, which reads
// the body and writes the response synchronously (poll-based timeouts) before handing the idle
// connection back to the io threads.
#include "http/connection.hpp"

#include <utility>  // before Asio (Boost 1.74 needs std::exchange declared)

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <limits>
#include <optional>
#include <span>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "core/log.hpp"
#include "http/exchange.hpp"
#include "http/request_id.hpp"
#include "http/response_head.hpp"
#include "http/worker_pool.hpp"

namespace kallithea::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
using Parser = bhttp::request_parser<bhttp::buffer_body>;
using Clock = std::chrono::steady_clock;

constexpr size_t kBufferReserve = 64 * 1024;
constexpr size_t kReadSize = 16 * 1024;
// Unread request bodies up to this size are read and dropped to keep the connection; longer
// ones close it.
constexpr uint64_t kDrainLimit = 256 * 1024;
// How long a closing connection keeps reading what the client still sends, so that the
// client sees our response rather than a reset.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kLingerBytes = 1024 * 1024;

// How far the worker has got with the current request's body.
struct BodyState {
    bool expect_continue = false;
    bool continue_sent = false;
    bool failed = false;
    uint64_t read = 0;
};

class Connection final : public ConnectionControl, public std::enable_shared_from_this<Connection> {
public:
    Connection(ConnectionHost& host, Socket socket);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void start() override { on_strand(&Connection::read_header); }
    void close_if_idle() override { on_strand(&Connection::close_when_idle); }
    void force_close() override { on_strand(&Connection::close_now); }

    // Worker side: synchronous socket I/O with the io timeout (see SyncStream).
    template <class Buffers>
    size_t read_some(const Buffers& buffers, error_code& ec);
    bool write_all(std::span<const std::string_view> pieces);
    Result<size_t> read_body(char* buf, size_t size, BodyState& body);
    bool may_keep_alive(const BodyState& body) const;

private:
    enum class State { reading, working, writing_error, lingering, closed };

    void on_strand(void (Connection::*action)()) {
        asio::post(strand_, [self = shared_from_this(), action] { (self.get()->*action)(); });
    }
    void close_when_idle();
    void close_now();
    void read_header();
    void parse_or_read();
    void on_read(error_code ec, size_t n);
    void arm_timer(std::chrono::steady_clock::duration after);
    void hand_to_worker();
    void reject(error_code ec);
    void linger_close();
    void linger_read();
    void close();

    void serve();
    void build_request(Request& request, BodyState& body);
    bool drain_body(BodyState& body);
    bool wait_ready(short events, error_code& ec);
    void access_log(std::string_view user, std::string_view method, std::string_view target,
                    int status, uint64_t bytes, Clock::time_point start,
                    std::string_view request_id) const;

    ConnectionHost& host_;
    Strand strand_;
    Socket socket_;
    asio::steady_timer timer_;
    uint64_t timer_generation_ = 0;
    beast::flat_buffer buffer_;
    std::optional<Parser> parser_;
    State state_ = State::reading;
    bool first_request_ = true;
    bool header_started_ = false;
    size_t linger_bytes_ = 0;
    std::string remote_addr_;
    std::string error_out_;
};

// Adapts the connection to Beast's SyncReadStream for body parsing on the worker.
struct SyncStream {
    Connection* connection;
    template <class Buffers>
    size_t read_some(const Buffers& buffers, error_code& ec) {
        return connection->read_some(buffers, ec);
    }
    template <class Buffers>
    size_t read_some(const Buffers& buffers) {
        error_code ec;
        const size_t n = connection->read_some(buffers, ec);
        if (ec)
            throw boost::system::system_error(ec);  // unused by Beast's error_code API
        return n;
    }
};

// The connection as seen by one exchange: its request body and its response sink.
class ExchangeSocket final : public BodyReader, public ExchangeIo {
public:
    explicit ExchangeSocket(Connection& connection) : connection_(connection) {}
    Result<size_t> read(char* buf, size_t size) override {
        return connection_.read_body(buf, size, body_);
    }
    bool write(std::span<const std::string_view> pieces) override {
        return connection_.write_all(pieces);
    }
    bool may_keep_alive() const override { return connection_.may_keep_alive(body_); }
    BodyState& body() { return body_; }

private:
    Connection& connection_;
    BodyState body_;
};

Connection::Connection(ConnectionHost& host, Socket socket)
    : host_(host), strand_(socket.get_executor()), socket_(std::move(socket)), timer_(strand_) {
    error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    socket_.non_blocking(true, ec);  // sync I/O on workers polls with a timeout
    const auto endpoint = socket_.remote_endpoint(ec);
    if (!ec)
        remote_addr_ = endpoint.address().to_string();
    buffer_.reserve(kBufferReserve);
}

Connection::~Connection() {
    host_.forget(this);
}

void Connection::close_when_idle() {
    if (state_ == State::reading && !header_started_ && buffer_.size() == 0)
        close();
}

void Connection::close_now() {
    if (state_ == State::working) {
        // The worker owns the socket object; shutting the descriptor down makes its blocked
        // read or write fail so the handler finishes.
        ::shutdown(socket_.native_handle(), SHUT_RDWR);
        return;
    }
    close();
}

void Connection::read_header() {
    if (state_ == State::closed)
        return;
    if (host_.draining() && !first_request_ && buffer_.size() == 0) {
        close();
        return;
    }
    state_ = State::reading;
    header_started_ = false;
    const auto& options = host_.options();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(options.max_header_bytes, std::numeric_limits<uint32_t>::max())));
    parser_->body_limit(options.max_body_bytes);
    arm_timer(first_request_ ? options.header_timeout : options.idle_timeout);
    parse_or_read();
}

void Connection::parse_or_read() {
    if (buffer_.size() > 0) {
        if (!header_started_) {
            header_started_ = true;
            if (!first_request_)
                arm_timer(host_.options().header_timeout);
        }
        error_code ec;
        const size_t used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        if (!ec && parser_->is_header_done()) {
            hand_to_worker();
            return;
        }
        if (ec && ec != bhttp::error::need_more) {
            reject(ec);
            return;
        }
    }
    socket_.async_read_some(
        buffer_.prepare(kReadSize),
        [self = shared_from_this()](error_code ec, size_t n) { self->on_read(ec, n); });
}

void Connection::on_read(error_code ec, size_t n) {
    if (state_ != State::reading)
        return;
    if (ec) {
        close();  // peer closed, reset, or the timer/drain closed the socket
        return;
    }
    buffer_.commit(n);
    parse_or_read();
}

void Connection::arm_timer(std::chrono::steady_clock::duration after) {
    const uint64_t generation = ++timer_generation_;
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this(), generation](error_code ec) {
        if (ec || generation != self->timer_generation_)
            return;
        if (self->state_ == State::working || self->state_ == State::closed)
            return;
        log::debug("closing connection from {}: timeout", self->remote_addr_);
        self->close();
    });
}

void Connection::hand_to_worker() {
    ++timer_generation_;
    timer_.cancel();
    state_ = State::working;
    host_.pool().post([self = shared_from_this()] { self->serve(); });
}

void Connection::reject(error_code ec) {
    const auto started = Clock::now();
    int status = 400;
    if (ec == bhttp::error::header_limit)
        status = 431;
    else if (ec == bhttp::error::body_limit)
        status = 413;
    // A 413 here comes after a complete head, which deserves an id for the log.
    const std::string request_id = status == 413 ? new_request_id() : std::string();
    Response response = host_.error_page()(status, request_id);
    response.stream = nullptr;
    const ResponsePlan plan = plan_response(response, false, 11, false);
    error_out_ = serialize_response_head(response, plan, 11, request_id);
    error_out_ += response.body;
    std::string method = "-";
    std::string target = "-";
    if (parser_->is_header_done()) {
        method = std::string(parser_->get().method_string());
        target = std::string(parser_->get().target());
    }
    access_log("-", method, target, status, response.body.size(), started,
               request_id.empty() ? "-" : request_id);
    state_ = State::writing_error;
    arm_timer(host_.options().header_timeout);
    asio::async_write(socket_, asio::buffer(error_out_),
                      [self = shared_from_this()](error_code, size_t) {
                          if (self->state_ == State::writing_error)
                              self->linger_close();
                      });
}

void Connection::linger_close() {
    if (state_ == State::closed)
        return;
    state_ = State::lingering;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
        close();
        return;
    }
    linger_bytes_ = 0;
    arm_timer(kLingerTime);
    linger_read();
}

void Connection::linger_read() {
    socket_.async_read_some(buffer_.prepare(kReadSize),
                            [self = shared_from_this()](error_code ec, size_t n) {
                                if (self->state_ != State::lingering)
                                    return;
                                self->linger_bytes_ += n;
                                if (ec || self->linger_bytes_ > kLingerBytes)
                                    self->close();
                                else
                                    self->linger_read();
                            });
}

void Connection::close() {
    state_ = State::closed;
    ++timer_generation_;
    timer_.cancel();
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
}

// ---- Connection: worker side ----

bool Connection::wait_ready(short events, error_code& ec) {
    const auto timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(host_.options().io_timeout);
    pollfd fd{socket_.native_handle(), events, 0};
    for (;;) {
        const int n = ::poll(&fd, 1, static_cast<int>(timeout.count()));
        if (n > 0)
            return true;  // readiness, hang-up or error: the next call reports which
        if (n == 0) {
            ec = asio::error::timed_out;
            return false;
        }
        if (errno != EINTR) {
            ec = error_code(errno, boost::system::system_category());
            return false;
        }
    }
}

template <class Buffers>
size_t Connection::read_some(const Buffers& buffers, error_code& ec) {
    for (;;) {
        const size_t n = socket_.read_some(buffers, ec);
        if (ec != asio::error::would_block && ec != asio::error::try_again)
            return n;
        if (!wait_ready(POLLIN, ec))
            return 0;
    }
}

bool Connection::write_all(std::span<const std::string_view> pieces) {
    std::array<asio::const_buffer, 4> rest{};
    if (pieces.size() > rest.size())
        return false;
    const size_t count = pieces.size();
    for (size_t i = 0; i < count; ++i)
        rest[i] = asio::buffer(pieces[i].data(), pieces[i].size());
    size_t first = 0;
    while (first < count) {
        if (rest[first].size() == 0) {
            ++first;
            continue;
        }
        error_code ec;
        size_t n = socket_.write_some(std::span(rest.data() + first, count - first), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            if (!wait_ready(POLLOUT, ec))
                return false;
            continue;
        }
        if (ec)
            return false;
        while (n > 0) {
            const size_t step = std::min(n, rest[first].size());
            rest[first] += step;
            n -= step;
            if (rest[first].size() == 0)
                ++first;
        }
    }
    return true;
}

Result<size_t> Connection::read_body(char* buf, size_t size, BodyState& state) {
    Parser& parser = *parser_;
    if (size == 0 || parser.is_done())
        return 0;
    if (state.failed)
        return fail(Errc::io, "Request body unavailable", "an earlier body read failed");
    if (state.expect_continue && !state.continue_sent) {
        state.continue_sent = true;
        const std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
        if (!write_all(std::span(&interim, 1))) {
            state.failed = true;
            return fail(Errc::io, "Connection lost", "cannot send 100 Continue");
        }
    }
    auto& body = parser.get().body();
    body.data = buf;
    body.size = size;
    body.more = true;
    SyncStream stream{this};
    for (;;) {
        error_code ec;
        bhttp::read_some(stream, buffer_, parser, ec);
        if (ec == bhttp::error::need_buffer)
            ec = {};
        const size_t n = size - body.size;
        if (ec) {
            body.data = nullptr;
            state.failed = true;
            if (ec == bhttp::error::body_limit)
                return fail(Errc::too_large, "Request body too large",
                            "body exceeds max_body_bytes");
            return fail(Errc::io, "Connection lost", "reading request body: " + ec.message());
        }
        if (n > 0 || parser.is_done()) {
            body.data = nullptr;
            state.read += n;
            return n;
        }
    }
}

void Connection::serve() {
    const auto started = Clock::now();
    ExchangeSocket io(*this);
    Request request;
    build_request(request, io.body());
    request.body = &io;
    const ExchangeResult result = serve_exchange(request, io, host_.handler(), host_.error_page());
    bool reuse = result.reusable;
    if (reuse && !parser_->is_done())
        reuse = drain_body(io.body());
    access_log(request.log_user.empty() ? "-" : request.log_user, request.method_text,
               request.target, result.status, result.bytes_sent, started, request.request_id);
    // With the whole request read there is nothing the client may still be sending, so the
    // connection can close at once; otherwise linger so the client sees the response, not a reset.
    const bool clean = parser_->is_done() && buffer_.size() == 0;
    asio::post(strand_, [self = shared_from_this(), reuse, clean] {
        if (reuse) {
            self->first_request_ = false;
            self->read_header();
        } else if (clean) {
            self->close();
        } else {
            self->linger_close();
        }
    });
}

void Connection::build_request(Request& request, BodyState& body) {
    const auto& message = parser_->get();
    request.method_text = std::string(message.method_string());
    request.method = parse_method(request.method_text);
    request.target = std::string(message.target());
    request.version = message.version() == 10 ? 10 : 11;
    for (const auto& field : message)
        request.headers.add(std::string(field.name_string()), std::string(field.value()));
    request.remote_addr = remote_addr_;
    request.request_id = new_request_id();
    if (!parser_->chunked())
        request.content_length = parser_->content_length().value_or(0);
    const std::string_view expect = request.header("Expect");
    body.expect_continue =
        request.version == 11 && !parser_->is_done() &&
        beast::iequals(beast::string_view(expect.data(), expect.size()), "100-continue");
}

bool Connection::may_keep_alive(const BodyState& body) const {
    const Parser& parser = *parser_;
    if (!parser.keep_alive() || host_.draining() || body.failed)
        return false;
    if (parser.is_done())
        return true;
    if (body.expect_continue && !body.continue_sent)
        return false;  // the client may never send the body it announced
    const auto length = parser.content_length();
    return length && *length - body.read <= kDrainLimit;
}

bool Connection::drain_body(BodyState& body) {
    std::array<char, 16 * 1024> scratch;
    const uint64_t start = body.read;
    for (;;) {
        auto n = read_body(scratch.data(), scratch.size(), body);
        if (!n)
            return false;
        if (*n == 0)
            return true;
        if (body.read - start > kDrainLimit)
            return false;
    }
}

void Connection::access_log(std::string_view user, std::string_view method, std::string_view target,
                            int status, uint64_t bytes, Clock::time_point start,
                            std::string_view request_id) const {
    if (!host_.options().access_log)
        return;
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    log::info("{} {} \"{} {}\" {} {} {:.2f}ms {}", remote_addr_.empty() ? "-" : remote_addr_, user,
              method, target, status, bytes, ms, request_id);
}

}  // namespace

std::shared_ptr<ConnectionControl> make_connection(ConnectionHost& host, asio::io_context& ioc,
                                                   int fd, bool ipv6) {
    error_code ec;
    Socket socket(asio::make_strand(ioc));
    socket.assign(ipv6 ? tcp::v6() : tcp::v4(), fd, ec);
    if (ec) {
        log::warn("cannot adopt accepted socket: {}", ec.message());
        ::close(fd);
        return nullptr;
    }
    return std::make_shared<Connection>(host, std::move(socket));
}

}  // namespace kallithea::http
