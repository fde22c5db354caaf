// Client connections of the standalone server on Boost.Beast/Asio. Everything that waits on a
// client happens here, asynchronously on the connection's strand: reading the request head,
// receiving the body (small ones into memory; larger ones after the admission check, spooled to
// an unlinked file), and sending the response from the outbound queue the worker fills. Workers
// get complete requests and never touch the socket. Stalled clients are cut off by deadlines and
// a minimum transfer rate; request framing is checked strictly (RFC 9112).
#include "http/connection.hpp"

#include <utility>  // before Asio (Boost 1.74 needs std::exchange declared)

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <vector>

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

#include "core/log.hpp"
#include "core/text.hpp"
#include "http/exchange.hpp"
#include "http/request_id.hpp"
#include "http/response_head.hpp"
#include "http/spool.hpp"
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
constexpr size_t kBodyReadSize = 64 * 1024;
// The most response bytes one socket write gathers.
constexpr size_t kWriteBatch = 256 * 1024;
// How long a closing connection keeps reading what the client still sends, so that the
// client sees our response rather than a reset.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kLingerBytes = 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Where a connection is: reading a head; receiving a body; waiting for the admission check;
// answering (the worker producing and/or the io side sending); closing.
enum class Phase { head, body, admitting, responding, lingering, closed };

class Connection final : public ConnectionControl, public std::enable_shared_from_this<Connection> {
public:
    Connection(ConnectionHost& host, Socket socket);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void start() override { on_strand(&Connection::read_header); }
    void close_if_idle() override { on_strand(&Connection::close_when_idle); }
    void force_close() override { on_strand(&Connection::close); }

    // Worker side: whether the response may say keep-alive.
    bool may_keep_alive() const { return parser_->keep_alive() && !host_.draining(); }

private:
    void on_strand(void (Connection::*action)()) {
        asio::post(strand_, [self = shared_from_this(), action] { (self.get()->*action)(); });
    }
    void close_when_idle();

    // Request head.
    void read_header();
    void parse_head();
    void on_head_read(error_code ec, size_t n);
    void on_head_complete();
    int framing_error() const;
    void build_request();
    // Request body.
    void admit();
    void run_admission();
    void on_admitted();
    void consume_body();
    void read_body_more();
    void on_body_read(error_code ec, size_t n);
    // Response.
    void hand_to_worker();
    void serve();
    void on_worker_done(bool reuse, bool streamed);
    void pump();
    void on_written(error_code ec, size_t n);
    void response_sent();
    void reject(int status);
    // Timers and closing.
    void arm_deadline(Clock::duration after);
    void on_deadline();
    void start_rate_window();
    void on_rate_tick();
    bool waiting_on_server() const;
    void cut_off(std::string_view what);
    void linger_close();
    void linger_read();
    void close();
    void access_log(std::string_view user, std::string_view method, std::string_view target,
                    int status, uint64_t bytes, Clock::time_point start,
                    std::string_view request_id) const;

    ConnectionHost& host_;
    Strand strand_;
    Socket socket_;
    asio::steady_timer deadline_;
    uint64_t deadline_generation_ = 0;
    asio::steady_timer rate_timer_;
    uint64_t rate_generation_ = 0;
    beast::flat_buffer buffer_;
    std::optional<Parser> parser_;
    Phase phase_ = Phase::head;
    bool first_request_ = true;
    bool header_started_ = false;
    size_t linger_bytes_ = 0;
    std::string remote_addr_;

    // The current request (handed to a worker between the strand's hand-over posts).
    Request request_;
    std::string log_id_;  // request_.request_id, for the strand while a worker has request_
    Clock::time_point request_started_;
    std::unique_ptr<BodySpool> body_;
    uint64_t body_limit_ = 0;
    bool expect_continue_ = false;
    bool admitted_ = false;

    // The response side.
    std::unique_ptr<OutboundQueue> out_;
    std::vector<std::string> batch_;  // being written
    std::vector<asio::const_buffer> batch_buffers_;
    bool writing_ = false;
    bool worker_done_ = false;
    bool reuse_ = false;

    // Minimum-rate accounting for the current window.
    uint64_t window_bytes_ = 0;
    bool window_excused_ = false;
};

// The connection as one exchange on a worker sees it: a sink into the outbound queue.
class ExchangeSocket final : public ExchangeIo {
public:
    ExchangeSocket(const Connection& connection, OutboundQueue& out, bool keep_alive_allowed)
        : connection_(connection), out_(out), keep_alive_allowed_(keep_alive_allowed) {}
    bool write(std::span<const std::string_view> pieces) override { return out_.append(pieces); }
    bool write_owned(std::string head, std::string body) override {
        if (body.size() <= 64 * 1024) {
            head += body;
            return out_.append_owned(std::move(head));
        }
        return out_.append_owned(std::move(head)) && out_.append_owned(std::move(body));
    }
    bool may_keep_alive() const override {
        return keep_alive_allowed_ && connection_.may_keep_alive();
    }

private:
    const Connection& connection_;
    OutboundQueue& out_;
    bool keep_alive_allowed_;
};

class EmptyBody final : public BodyReader {
public:
    Result<size_t> read(char*, size_t) override { return size_t{0}; }
};

Connection::Connection(ConnectionHost& host, Socket socket)
    : host_(host),
      strand_(socket.get_executor()),
      socket_(std::move(socket)),
      deadline_(strand_),
      rate_timer_(strand_) {
    error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    const auto endpoint = socket_.remote_endpoint(ec);
    if (!ec)
        remote_addr_ = endpoint.address().to_string();
    buffer_.reserve(kBufferReserve);
    const auto& options = host_.options();
    OutboundQueue::Limits limits;
    limits.memory = options.response_memory_bytes;
    limits.spool = options.response_spool_bytes;
    limits.dir = options.spool_dir;
    limits.budget = &host_.spool_budget();
    // Called by a producing worker, which holds a reference to the connection.
    out_ = std::make_unique<OutboundQueue>(
        limits, [this] { asio::post(strand_, [self = shared_from_this()] { self->pump(); }); });
}

Connection::~Connection() {
    host_.forget(this);
}

void Connection::close_when_idle() {
    if (phase_ == Phase::head && !header_started_ && buffer_.size() == 0)
        close();
}

// ---- request head ----

void Connection::read_header() {
    if (phase_ == Phase::closed)
        return;
    if (host_.draining() && !first_request_ && buffer_.size() == 0) {
        close();
        return;
    }
    phase_ = Phase::head;
    header_started_ = false;
    request_ = Request{};
    log_id_.clear();
    request_started_ = Clock::time_point{};
    expect_continue_ = false;
    const auto& options = host_.options();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(options.max_header_bytes, std::numeric_limits<uint32_t>::max())));
    parser_->body_limit(options.max_body_bytes);
    arm_deadline(first_request_ ? options.header_timeout : options.idle_timeout);
    parse_head();
}

void Connection::parse_head() {
    if (buffer_.size() > 0) {
        if (!header_started_) {
            header_started_ = true;
            if (!first_request_)
                arm_deadline(host_.options().header_timeout);
        }
        error_code ec;
        const size_t used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        if ((!ec || ec == bhttp::error::need_buffer) && parser_->is_header_done()) {
            on_head_complete();
            return;
        }
        if (ec && ec != bhttp::error::need_more) {
            if (ec == bhttp::error::header_limit)
                reject(431);
            else if (ec == bhttp::error::body_limit)
                reject(413);
            else
                reject(400);
            return;
        }
    }
    socket_.async_read_some(
        buffer_.prepare(kReadSize),
        [self = shared_from_this()](error_code ec, size_t n) { self->on_head_read(ec, n); });
}

void Connection::on_head_read(error_code ec, size_t n) {
    if (phase_ != Phase::head)
        return;
    if (ec) {
        close();  // peer closed, reset, or the timer/drain closed the socket
        return;
    }
    buffer_.commit(n);
    parse_head();
}

// RFC 9112: a request whose body length is ambiguous is refused and the connection closed,
// so that no byte of it can be read as another request (§6.1, §6.3); HTTP/1.1 needs exactly
// one Host (§3.2). Returns 400 or 0.
int Connection::framing_error() const {
    const auto& message = parser_->get();
    int transfer_encodings = 0;
    int content_lengths = 0;
    int hosts = 0;
    bool only_chunked = true;
    for (const auto& field : message) {
        const auto name = field.name();
        if (name == bhttp::field::transfer_encoding) {
            ++transfer_encodings;
            const auto value =
                text::trim_blanks(std::string_view(field.value().data(), field.value().size()));
            only_chunked = only_chunked && text::ascii_iequals(value, "chunked");
        } else if (name == bhttp::field::content_length) {
            ++content_lengths;
        } else if (name == bhttp::field::host) {
            ++hosts;
        }
    }
    if (transfer_encodings > 1 || (transfer_encodings == 1 && !only_chunked))
        return 400;
    if (transfer_encodings > 0 && content_lengths > 0)
        return 400;
    if (hosts > 1 || (message.version() >= 11 && hosts == 0))
        return 400;
    return 0;
}

void Connection::build_request() {
    const auto& message = parser_->get();
    request_ = Request{};
    request_.method_text = std::string(message.method_string());
    request_.method = parse_method(request_.method_text);
    request_.target = std::string(message.target());
    request_.version = message.version() == 10 ? 10 : 11;
    for (const auto& field : message)
        request_.headers.add(std::string(field.name_string()), std::string(field.value()));
    request_.remote_addr = remote_addr_;
    request_.request_id = new_request_id();
    log_id_ = request_.request_id;
    if (!parser_->chunked())
        request_.content_length = parser_->content_length().value_or(0);
    const std::string_view expect = request_.header("Expect");
    expect_continue_ = request_.version == 11 && !parser_->is_done() &&
                       text::ascii_iequals(text::trim_blanks(expect), "100-continue");
}

void Connection::on_head_complete() {
    request_started_ = Clock::now();
    if (const int status = framing_error(); status != 0) {
        reject(status);
        return;
    }
    build_request();
    parser_->eager(true);  // several chunks per put() from now on
    const auto& options = host_.options();
    body_ = std::make_unique<BodySpool>(options.spool_dir, options.small_body_bytes);
    body_limit_ = options.max_body_bytes;
    admitted_ = false;
    start_rate_window();
    if (parser_->is_done()) {
        hand_to_worker();
        return;
    }
    const auto length = parser_->content_length();
    if (expect_continue_ || (length && *length > options.small_body_bytes)) {
        admit();
        return;
    }
    // A small body (or a chunked one, admitted once it grows past the small size).
    phase_ = Phase::body;
    arm_deadline(options.body_timeout);
    consume_body();
}

// ---- request body ----

void Connection::admit() {
    phase_ = Phase::admitting;
    window_excused_ = true;
    ++deadline_generation_;
    deadline_.cancel();
    host_.pool().post([self = shared_from_this()] { self->run_admission(); });
}

void Connection::run_admission() {
    auto refusal = admit_exchange(request_, host_.admitter(), host_.error_page());
    if (!refusal) {
        asio::post(strand_, [self = shared_from_this()] { self->on_admitted(); });
        return;
    }
    ExchangeSocket io(*this, *out_, false);
    const ExchangeResult result = send_refusal(request_, *refusal, io, host_.error_page());
    access_log(request_.log_user.empty() ? "-" : request_.log_user, request_.method_text,
               request_.target, result.status, result.bytes_sent, request_started_,
               request_.request_id);
    asio::post(strand_, [self = shared_from_this(), streamed = result.streamed] {
        self->on_worker_done(false, streamed);
    });
}

void Connection::on_admitted() {
    if (phase_ != Phase::admitting)
        return;  // closed meanwhile
    admitted_ = true;
    if (request_.body_limit)
        body_limit_ = std::min(body_limit_, *request_.body_limit);
    const auto length = parser_->content_length();
    if ((length && *length > body_limit_) || body_->size() > body_limit_) {
        reject(413);
        return;
    }
    phase_ = Phase::body;
    if (expect_continue_) {
        out_->append_owned(std::string(kContinue));
        pump();
    }
    consume_body();
}

void Connection::consume_body() {
    auto& body = parser_->get().body();
    std::array<char, kBodyReadSize> scratch;
    const auto& options = host_.options();
    while (!parser_->is_done() && buffer_.size() > 0) {
        body.data = scratch.data();
        body.size = scratch.size();
        body.more = true;
        error_code ec;
        const size_t used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        const size_t got = scratch.size() - body.size;
        body.data = nullptr;
        if (got > 0) {
            if (body_->size() + got > body_limit_) {
                reject(413);
                return;
            }
            if (auto status = body_->append(std::string_view(scratch.data(), got)); !status) {
                log::warn("request {}: {} ({})", request_.request_id, status.error().message,
                          status.error().detail);
                reject(503);
                return;
            }
        }
        if (ec == bhttp::error::need_more) {
            // An unfinished chunk header or trailer: bounded like the head.
            if (buffer_.size() >= options.max_header_bytes) {
                reject(431);
                return;
            }
            break;
        }
        if (ec == bhttp::error::body_limit) {
            reject(413);
            return;
        }
        if (ec && ec != bhttp::error::need_buffer) {
            reject(400);
            return;
        }
        if (!admitted_ && body_->size() > options.small_body_bytes) {
            admit();  // a chunked body grew past the small size
            return;
        }
        if (used == 0 && got == 0)
            break;
    }
    if (parser_->is_done()) {
        hand_to_worker();
        return;
    }
    read_body_more();
}

void Connection::read_body_more() {
    socket_.async_read_some(
        buffer_.prepare(kBodyReadSize),
        [self = shared_from_this()](error_code ec, size_t n) { self->on_body_read(ec, n); });
}

void Connection::on_body_read(error_code ec, size_t n) {
    if (phase_ != Phase::body)
        return;
    if (ec) {
        log::debug("request {}: connection lost while receiving the body ({} bytes): {}",
                   request_.request_id, body_->size(), ec.message());
        close();
        return;
    }
    buffer_.commit(n);
    window_bytes_ += n;
    consume_body();
}

// ---- response ----

void Connection::hand_to_worker() {
    phase_ = Phase::responding;
    worker_done_ = false;
    ++deadline_generation_;
    deadline_.cancel();
    window_excused_ = true;  // the handler may take its time before the first byte
    pump();                  // sends what is queued (100 Continue), then waits for the worker
    host_.pool().post([self = shared_from_this()] { self->serve(); });
}

void Connection::serve() {
    ExchangeSocket io(*this, *out_, true);
    std::unique_ptr<BodyReader> reader;
    if (body_ && body_->size() > 0)
        reader = body_->reader();
    else
        reader = std::make_unique<EmptyBody>();
    request_.body = reader.get();
    const ExchangeResult result = serve_exchange(request_, io, host_.handler(), host_.error_page());
    request_.body = nullptr;
    access_log(request_.log_user.empty() ? "-" : request_.log_user, request_.method_text,
               request_.target, result.status, result.bytes_sent, request_started_,
               request_.request_id);
    asio::post(strand_, [self = shared_from_this(), reuse = result.reusable,
                         streamed = result.streamed] { self->on_worker_done(reuse, streamed); });
}

void Connection::on_worker_done(bool reuse, bool streamed) {
    if (phase_ == Phase::closed)
        return;
    phase_ = Phase::responding;
    worker_done_ = true;
    reuse_ = reuse;
    if (!streamed)
        arm_deadline(host_.options().response_timeout);
    pump();
}

void Connection::pump() {
    if (writing_ || phase_ == Phase::closed || phase_ == Phase::lingering)
        return;
    batch_.clear();
    if (out_->next(batch_, kWriteBatch) == 0) {
        if (out_->failed()) {
            close();  // the spool failed (logged)
        } else if (phase_ == Phase::responding && worker_done_) {
            response_sent();
        } else if (phase_ == Phase::responding) {
            window_excused_ = true;  // waiting for the handler, not for the client
        }
        return;
    }
    batch_buffers_.clear();
    for (const auto& piece : batch_)
        batch_buffers_.emplace_back(piece.data(), piece.size());
    writing_ = true;
    asio::async_write(
        socket_, batch_buffers_,
        [self = shared_from_this()](error_code ec, size_t n) { self->on_written(ec, n); });
}

void Connection::on_written(error_code ec, size_t n) {
    writing_ = false;
    out_->sent(n);
    window_bytes_ += n;
    if (phase_ == Phase::closed)
        return;
    if (ec) {
        log::debug("request {}: connection lost while sending: {}", log_id_, ec.message());
        close();
        return;
    }
    pump();
}

void Connection::response_sent() {
    ++deadline_generation_;
    deadline_.cancel();
    ++rate_generation_;
    rate_timer_.cancel();
    body_.reset();
    // With the whole request read there is nothing the client may still be sending, so the
    // connection can close at once; otherwise linger so the client sees the response, not a reset.
    const bool clean = parser_->is_done() && buffer_.size() == 0;
    if (reuse_) {
        first_request_ = false;
        read_header();
    } else if (clean) {
        close();
    } else {
        linger_close();
    }
}

// Answers a request the io side refuses (bad framing, limits) and closes the connection.
void Connection::reject(int status) {
    if (!request_started_.time_since_epoch().count())
        request_started_ = Clock::now();
    const bool head_done = parser_->is_header_done();
    // A refusal after a complete head deserves an id for the log.
    std::string request_id = request_.request_id;
    if (request_id.empty() && (head_done || status == 413))
        request_id = new_request_id();
    log_id_ = request_id;
    Response response = host_.error_page()(status, request_id);
    response.stream = nullptr;
    const ResponsePlan plan = plan_response(response, false, 11, false);
    std::string out = serialize_response_head(response, plan, 11, request_id);
    out += response.body;
    std::string method = "-";
    std::string target = "-";
    if (head_done) {
        method = std::string(parser_->get().method_string());
        target = std::string(parser_->get().target());
    }
    access_log("-", method, target, status, response.body.size(), request_started_,
               request_id.empty() ? "-" : request_id);
    out_->append_owned(std::move(out));
    phase_ = Phase::responding;
    worker_done_ = true;
    reuse_ = false;
    arm_deadline(host_.options().header_timeout);
    pump();
}

// ---- timers and closing ----

void Connection::arm_deadline(Clock::duration after) {
    const uint64_t generation = ++deadline_generation_;
    deadline_.expires_after(after);
    deadline_.async_wait([self = shared_from_this(), generation](error_code ec) {
        if (!ec && generation == self->deadline_generation_)
            self->on_deadline();
    });
}

void Connection::on_deadline() {
    const auto& options = host_.options();
    switch (phase_) {
        case Phase::head:
            log::debug("closing connection from {}: timeout", remote_addr_);
            close();
            return;
        case Phase::body:
            log::warn("{} request {}: body not received within {} s ({} bytes); cut off",
                      remote_addr_, log_id_, options.body_timeout.count(), body_->size());
            close();
            return;
        case Phase::responding:
            if (worker_done_) {
                log::warn("{} request {}: response not written within its deadline; cut off",
                          remote_addr_, log_id_.empty() ? "-" : log_id_);
                close();
            }
            return;
        case Phase::lingering:
            close();
            return;
        case Phase::admitting:
        case Phase::closed:
            return;
    }
}

void Connection::start_rate_window() {
    window_bytes_ = 0;
    window_excused_ = false;
    const auto& options = host_.options();
    if (options.min_rate_bytes == 0 || options.min_rate_window.count() <= 0)
        return;
    const uint64_t generation = ++rate_generation_;
    rate_timer_.expires_after(options.min_rate_window);
    rate_timer_.async_wait([self = shared_from_this(), generation](error_code ec) {
        if (!ec && generation == self->rate_generation_)
            self->on_rate_tick();
    });
}

// True while the client waits for us (admission, or the handler producing nothing yet).
bool Connection::waiting_on_server() const {
    return phase_ == Phase::admitting || (phase_ == Phase::responding && !writing_);
}

void Connection::on_rate_tick() {
    if (phase_ != Phase::body && phase_ != Phase::responding && phase_ != Phase::admitting)
        return;  // between requests or closing: other deadlines apply
    if (phase_ != Phase::admitting && !window_excused_ && !waiting_on_server() &&
        window_bytes_ < host_.options().min_rate_bytes) {
        cut_off(phase_ == Phase::body ? "receiving the request body" : "sending the response");
        return;
    }
    const bool excused = waiting_on_server();
    start_rate_window();
    window_excused_ = excused;
}

void Connection::cut_off(std::string_view what) {
    const auto& options = host_.options();
    log::warn("{} request {}: too slow while {}: {} bytes in {} s (minimum {}); cut off",
              remote_addr_.empty() ? "-" : remote_addr_, log_id_.empty() ? "-" : log_id_, what,
              window_bytes_, options.min_rate_window.count(), options.min_rate_bytes);
    close();
}

void Connection::linger_close() {
    if (phase_ == Phase::closed)
        return;
    phase_ = Phase::lingering;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
        close();
        return;
    }
    linger_bytes_ = 0;
    arm_deadline(kLingerTime);
    linger_read();
}

void Connection::linger_read() {
    buffer_.clear();
    socket_.async_read_some(buffer_.prepare(kReadSize),
                            [self = shared_from_this()](error_code ec, size_t n) {
                                if (self->phase_ != Phase::lingering)
                                    return;
                                self->linger_bytes_ += n;
                                if (ec || self->linger_bytes_ > kLingerBytes)
                                    self->close();
                                else
                                    self->linger_read();
                            });
}

void Connection::close() {
    if (phase_ == Phase::closed)
        return;
    phase_ = Phase::closed;
    ++deadline_generation_;
    deadline_.cancel();
    ++rate_generation_;
    rate_timer_.cancel();
    out_->fail();  // a producing handler's next write returns false
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
}

void Connection::access_log(std::string_view user, std::string_view method, std::string_view target,
                            int status, uint64_t bytes, Clock::time_point start,
                            std::string_view request_id) const {
    if (!host_.options().access_log)
        return;
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    log::info("{} {} \"{} {}\" {} {} {:.2f}ms {}", remote_addr_.empty() ? "-" : remote_addr_,
              text::clip_for_log(user), text::clip_for_log(method), text::clip_for_log(target),
              status, bytes, ms, request_id);
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
