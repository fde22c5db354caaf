// Tests of the standalone server over real loopback sockets with a raw HTTP/1.1 client.
#include "http/server.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "core/log.hpp"

#include "http/test_client.hpp"

namespace kallithea::http {
namespace {

using namespace std::chrono_literals;
using test_support::Client;
using test_support::eventually;
using test_support::ParsedResponse;
using test_support::pattern_byte;

class ServerTest : public ::testing::Test {
protected:
    void start(ServerOptions options = {}, ErrorPageRenderer error_page = {}, Admitter admit = {}) {
        options.host = "127.0.0.1";
        options.port = 0;
        options.workers = 4;
        options.handle_signals = false;
        options.access_log = false;
        auto server = Server::bind(
            options, [this](Request& request) { return handle(request); }, std::move(error_page),
            std::move(admit));
        ASSERT_TRUE(server) << server.error().message;
        server_ = std::move(*server);
        port_ = server_->port();
        ASSERT_NE(port_, 0);
        run_result_ = std::async(std::launch::async, [this] { server_->run(); });
    }

    // Stops the server and waits for run() to return; false if it did not within the deadline.
    bool stop_and_wait(std::chrono::seconds deadline = 30s) {
        server_->stop();
        return run_result_.wait_for(deadline) == std::future_status::ready;
    }

    void TearDown() override {
        if (server_ && run_result_.valid()) {
            server_->stop();
            run_result_.wait();
        }
    }

    std::optional<ParsedResponse> get(const std::string& target) {
        Client client(port_);
        if (!client.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n"))
            return std::nullopt;
        return client.read_response();
    }

    void expect_alive() {
        auto r = get("/hello");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
    }

    Response handle(Request& request) {
        calls_++;
        const std::string& path = request.path;
        if (path == "/hello") {
            return Response::text(200, "hello " + request.method_text + " " + request.path +
                                           " q=" + request.query_param("q").value_or(""));
        }
        if (path == "/echo")
            return echo(request);
        if (path == "/ignore-body")
            return Response::text(200, "ignored");
        if (path == "/big")
            return big(std::stoull(request.query_param("n").value_or("0")), request);
        if (path == "/wait") {
            handler_entered_ = true;
            std::unique_lock lock(gate_mutex_);
            gate_cv_.wait(lock, [this] { return gate_open_; });
            return Response::text(200, "waited");
        }
        if (path == "/throw")
            throw std::runtime_error("boom in handler");
        if (path == "/throw-stream") {
            Response response;
            response.stream = [](BodyWriter&) { throw std::logic_error("boom in stream"); };
            return response;
        }
        return Response::text(404, "not found");
    }

    static Response echo(Request& request) {
        uint64_t length = 0;
        uint64_t sum = 0;
        char buf[7000];
        for (;;) {
            auto n = request.body->read(buf, sizeof buf);
            if (!n) {
                const int status = n.error().code == Errc::too_large ? 413 : 400;
                return Response::text(status, n.error().message);
            }
            if (*n == 0)
                break;
            for (size_t i = 0; i < *n; ++i)
                sum += static_cast<unsigned char>(buf[i]) * ((length + i) % 13 + 1);
            length += *n;
        }
        return Response::text(200, "len=" + std::to_string(length) + " sum=" + std::to_string(sum));
    }

    static std::string echo_expectation(const std::string& body) {
        uint64_t sum = 0;
        for (size_t i = 0; i < body.size(); ++i)
            sum += static_cast<unsigned char>(body[i]) * (i % 13 + 1);
        return "len=" + std::to_string(body.size()) + " sum=" + std::to_string(sum);
    }

    Response big(uint64_t size, Request& request) {
        Response response;
        response.headers.add("Content-Type", "application/octet-stream");
        const bool gate = request.query_param("gate").has_value();
        response.stream = [this, size, gate](BodyWriter& out) {
            std::string chunk;
            for (uint64_t offset = 0; offset < size;) {
                const uint64_t n = std::min<uint64_t>(64 * 1024, size - offset);
                chunk.resize(n);
                for (uint64_t i = 0; i < n; ++i)
                    chunk[i] = pattern_byte(offset + i);
                if (!out.write(chunk))
                    return;
                offset += n;
                if (gate && offset >= 256 * 1024) {
                    std::unique_lock lock(gate_mutex_);
                    gate_cv_.wait(lock, [this] { return gate_open_; });
                }
            }
        };
        return response;
    }

    static std::string big_expectation(uint64_t size) {
        std::string out(size, '\0');
        for (uint64_t i = 0; i < size; ++i)
            out[i] = pattern_byte(i);
        return out;
    }

    void open_gate() {
        {
            std::lock_guard lock(gate_mutex_);
            gate_open_ = true;
        }
        gate_cv_.notify_all();
    }

    std::unique_ptr<Server> server_;
    std::future<void> run_result_;
    uint16_t port_ = 0;
    std::atomic<int> calls_{0};
    std::atomic<bool> handler_entered_{false};
    std::mutex gate_mutex_;
    std::condition_variable gate_cv_;
    bool gate_open_ = false;
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
    start();
    Client client(port_);
    ASSERT_TRUE(client.send("GET /hello?q=one HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto first = client.read_response();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(first->body, "hello GET /hello q=one");
    const std::string id = first->header("x-request-id");
    EXPECT_EQ(id.size(), 16u);
    ASSERT_TRUE(client.send("GET /hel%6co?q=a+b HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto second = client.read_response();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->body, "hello GET /hello q=a b");
    EXPECT_NE(second->header("x-request-id"), id);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    Client client(port_);
    ASSERT_TRUE(client.send(
        "GET /hello?q=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello?q=2 HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto first = client.read_response();
    auto second = client.read_response();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->body, "hello GET /hello q=1");
    EXPECT_EQ(second->body, "hello GET /hello q=2");
}

TEST_F(ServerTest, StreamsLargeChunkedResponse) {
    start();
    const uint64_t size = 5 * 1024 * 1024 + 123;
    auto r = get("/big?n=" + std::to_string(size));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->chunked);
    EXPECT_EQ(r->body.size(), size);
    EXPECT_TRUE(r->body == big_expectation(size));
}

TEST_F(ServerTest, Http10ClientGetsBodyUntilClose) {
    start();
    Client client(port_);
    ASSERT_TRUE(client.send("GET /big?n=100000 HTTP/1.0\r\n\r\n"));
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->chunked);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(r->body == big_expectation(100000));
}

TEST_F(ServerTest, ReadsContentLengthBody) {
    start();
    std::string body(1024 * 1024 + 17, '\0');
    for (size_t i = 0; i < body.size(); ++i)
        body[i] = pattern_byte(i * 3);
    Client client(port_);
    ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body));
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, echo_expectation(body));
    // The connection stays usable.
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto again = client.read_response();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
}

TEST_F(ServerTest, ReadsChunkedBody) {
    start();
    std::string body;
    std::string wire;
    for (size_t size : {1u, 100u, 70000u, 5u, 300000u}) {
        std::string chunk(size, '\0');
        for (size_t i = 0; i < size; ++i)
            chunk[i] = pattern_byte(body.size() + i);
        char hex[32];
        std::snprintf(hex, sizeof hex, "%zx", size);
        wire += std::string(hex) + ";ext=1\r\n" + chunk + "\r\n";
        body += chunk;
    }
    wire += "0\r\n\r\n";
    Client client(port_);
    ASSERT_TRUE(
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
    ASSERT_TRUE(client.send(wire));
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, echo_expectation(body));
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(client.read_response());
}

TEST_F(ServerTest, AnswersExpectContinueBeforeReadingBody) {
    start();
    Client client(port_);
    ASSERT_TRUE(client.send(
        "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
    auto interim = client.read_response();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(client.send("abcde"));
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, echo_expectation("abcde"));
}

TEST_F(ServerTest, NoContinueWhenAdmissionRefuses) {
    std::atomic<int> admissions{0};
    start({}, {}, [&](Request& head) -> std::optional<Response> {
        admissions++;
        if (head.path == "/refuse")
            return Response::text(403, "refused " + head.query_param("q").value_or(""));
        return std::nullopt;
    });
    Client client(port_);
    ASSERT_TRUE(
        client.send("POST /refuse?q=x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                    "Content-Length: 100000\r\n\r\n"));
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(r->body, "refused x");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(client.closed_by_peer());
    EXPECT_EQ(calls_.load(), 0);
    EXPECT_EQ(admissions.load(), 1);
    expect_alive();  // a body-less request is not screened
    EXPECT_EQ(admissions.load(), 1);
}

TEST_F(ServerTest, LargeBodiesAreAdmittedThenSpooled) {
    std::atomic<int> admissions{0};
    start({}, {}, [&](Request& head) -> std::optional<Response> {
        admissions++;
        EXPECT_EQ(head.path, "/echo");
        if (head.query_param("limit"))
            head.body_limit = 2 * 1024 * 1024;
        return std::nullopt;
    });
    std::string body(3 * 1024 * 1024 + 5, '\0');
    for (size_t i = 0; i < body.size(); ++i)
        body[i] = pattern_byte(i * 5);
    Client client(port_);
    ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body));
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, echo_expectation(body));
    EXPECT_EQ(admissions.load(), 1);
    // A chunked body is admitted once it grows past the small size, and held to the limit the
    // admitter set.
    ASSERT_TRUE(
        client.send("POST /echo?limit=1 HTTP/1.1\r\nHost: t\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"));
    bool refused = false;
    for (size_t offset = 0; offset < body.size() && !refused; offset += 500000) {
        const std::string piece = body.substr(offset, 500000);
        char hex[32];
        std::snprintf(hex, sizeof hex, "%zx\r\n", piece.size());
        refused = !client.send(hex + piece + "\r\n");
    }
    if (!refused)
        client.send("0\r\n\r\n");
    r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(admissions.load(), 2);
    EXPECT_EQ(calls_.load(), 1);
}

TEST_F(ServerTest, SmallUnreadBodyIsDrainedAndConnectionReused) {
    start();
    Client client(port_);
    ASSERT_TRUE(
        client.send("POST /ignore-body HTTP/1.1\r\nHost: t\r\nContent-Length: 10000\r\n\r\n" +
                    std::string(10000, 'x') + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto first = client.read_response();
    auto second = client.read_response();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->body, "ignored");
    EXPECT_EQ(second->status, 200);
}

TEST_F(ServerTest, HeadSendsHeadersOnly) {
    start();
    Client client(port_);
    ASSERT_TRUE(client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = client.read_response(true);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("content-length"),
              std::to_string(std::string("hello HEAD /hello q=").size()));
    // If a body had been sent, it would be read as the next response's status line.
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto next = client.read_response();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->body, "hello GET /hello q=");
}

TEST_F(ServerTest, OtherMethodsGet405WithoutCallingHandler) {
    start();
    for (const char* method : {"PUT", "DELETE", "FOO", "OPTIONS"}) {
        Client client(port_);
        ASSERT_TRUE(client.send(std::string(method) + " /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
        auto r = client.read_response();
        ASSERT_TRUE(r) << method;
        EXPECT_EQ(r->status, 405) << method;
        EXPECT_EQ(r->header("allow"), "GET, HEAD, POST");
    }
    EXPECT_EQ(calls_.load(), 0);
    expect_alive();
}

TEST_F(ServerTest, MalformedRequestsGet400AndClose) {
    start();
    for (const char* raw :
         {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n",
          "GET / HTTP/1.1\r\nBad Header\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
        Client client(port_);
        ASSERT_TRUE(client.send(raw));
        auto r = client.read_response();
        ASSERT_TRUE(r) << raw;
        EXPECT_EQ(r->status, 400) << raw;
        EXPECT_EQ(r->body, "400 Bad Request\n");
        EXPECT_TRUE(client.closed_by_peer()) << raw;
        expect_alive();
    }
    EXPECT_EQ(calls_.load(), static_cast<int>(5));  // only the expect_alive() requests
}

TEST_F(ServerTest, OversizedHeadersGet431) {
    ServerOptions options;
    options.max_header_bytes = 8 * 1024;
    start(options);
    Client client(port_);
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'a') +
                            "\r\n\r\n"));
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_TRUE(client.closed_by_peer());
    expect_alive();
}

TEST_F(ServerTest, RejectsDangerousPaths) {
    start();
    for (const char* target : {"/../x", "/%2e%2e/x", "/a/%2E/b", "/%ff", "/a%00b", "/a%5cb",
                               "/a%zz", "http://example.com/hello", "*"}) {
        auto r = get(target);
        ASSERT_TRUE(r) << target;
        EXPECT_EQ(r->status, 400) << target;
        expect_alive();
    }
    EXPECT_EQ(calls_.load(), 9);  // only the expect_alive() requests
}

TEST_F(ServerTest, BodyTooLargeGets413) {
    ServerOptions options;
    options.max_body_bytes = 1000;
    start(options);
    {
        Client client(port_);
        ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n"));
        auto r = client.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413);
        EXPECT_EQ(r->header("x-request-id").size(), 16u);
    }
    {
        Client client(port_);
        ASSERT_TRUE(
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "800\r\n" +
                        std::string(0x800, 'y') + "\r\n0\r\n\r\n"));
        auto r = client.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413);
        EXPECT_EQ(r->header("connection"), "close");
    }
    expect_alive();
}

// RFC 9112 §6.1/§6.3: a body length that is not plainly Content-Length or chunked is refused and
// the connection closed, so that the would-be body is never read as a second request.
TEST_F(ServerTest, AmbiguousFramingGets400AndClose) {
    start();
    const std::string smuggled = "GET /hello?q=smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
    const std::string length = std::to_string(smuggled.size());
    for (const std::string& fields :
         {std::string("Transfer-Encoding: gzip\r\n"),
          std::string("Transfer-Encoding: identity\r\n"),
          std::string("Transfer-Encoding: gzip, chunked\r\n"),
          std::string("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
          "Transfer-Encoding: chunked\r\nContent-Length: " + length + "\r\n",
          "Content-Length: " + length + "\r\nTransfer-Encoding: chunked\r\n",
          "Transfer-Encoding: gzip\r\nContent-Length: " + length + "\r\n"}) {
        Client client(port_);
        ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\n" + fields + "\r\n" + smuggled));
        auto r = client.read_response();
        ASSERT_TRUE(r) << fields;
        EXPECT_EQ(r->status, 400) << fields;
        EXPECT_EQ(r->header("connection"), "close") << fields;
        EXPECT_TRUE(client.closed_by_peer()) << fields;
    }
    EXPECT_EQ(calls_.load(), 0);
    expect_alive();
}

TEST_F(ServerTest, Http11RequestNeedsExactlyOneHost) {
    start();
    for (const char* raw :
         {"GET /hello HTTP/1.1\r\n\r\n", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"}) {
        Client client(port_);
        ASSERT_TRUE(client.send(raw));
        auto r = client.read_response();
        ASSERT_TRUE(r) << raw;
        EXPECT_EQ(r->status, 400) << raw;
        EXPECT_TRUE(client.closed_by_peer()) << raw;
    }
    EXPECT_EQ(calls_.load(), 0);
    auto r = get("/hello");  // HTTP/1.0 without Host is fine
    Client old(port_);
    ASSERT_TRUE(old.send("GET /hello HTTP/1.0\r\n\r\n"));
    r = old.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, OversizedChunkTrailerOrExtensionGets431) {
    ServerOptions options;
    options.max_header_bytes = 8 * 1024;
    start(options);
    for (const std::string& wire :
         {"5\r\nhello\r\n0\r\nX-Trailer: " + std::string(100000, 't') + "\r\n\r\n",
          "5;" + std::string(100000, 'e') + "\r\nhello\r\n0\r\n\r\n"}) {
        Client client(port_);
        ASSERT_TRUE(
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
        client.send(wire);  // the server may close before it has all
        auto r = client.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 431);
        EXPECT_EQ(r->header("connection"), "close");
    }
    EXPECT_EQ(calls_.load(), 0);
    expect_alive();
}

// Workers never wait on a client: 32 connections each that stall in a large body, in a small
// body, or while a large response is sent leave the pool free; the minimum transfer rate then
// cuts them off (and says so in the log).
TEST_F(ServerTest, StalledClientsDoNotHoldWorkersAndAreCutOff) {
    const std::string log_path = ::testing::TempDir() + "/stalled_clients.log";
    std::remove(log_path.c_str());
    log::init(log::Level::warn, log_path);
    ServerOptions options;
    options.min_rate_window = std::chrono::seconds(5);
    options.min_rate_bytes = 16 * 1024;
    start(options);
    constexpr int kEach = 32;
    const uint64_t response_size = 16 * 1024 * 1024;
    std::vector<std::unique_ptr<Client>> stalled;
    for (int i = 0; i < kEach; ++i) {
        auto big_body = std::make_unique<Client>(port_);
        ASSERT_TRUE(
            big_body->send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 50000000"
                           "\r\n\r\n" +
                           std::string(1000, 'b')));
        auto small_body = std::make_unique<Client>(port_);
        ASSERT_TRUE(
            small_body->send("GET /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 100000"
                             "\r\n\r\n"));
        auto reader = std::make_unique<Client>(port_, 4096);
        ASSERT_TRUE(reader->send("GET /big?n=" + std::to_string(response_size) +
                                 " HTTP/1.1\r\nHost: t\r\n\r\n"));
        stalled.push_back(std::move(big_body));
        stalled.push_back(std::move(small_body));
        stalled.push_back(std::move(reader));
    }
    ASSERT_TRUE(stalled.back()->read_raw(1));  // the last large response is under way
    const auto begin = std::chrono::steady_clock::now();
    auto r = get("/hello?q=free");
    const auto took = std::chrono::steady_clock::now() - begin;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "hello GET /hello q=free");
    EXPECT_LT(took, 3s);  // generous: a held pool would take the whole rate window

    // Cut off after the window: the request-side ones see the connection close.
    for (size_t i = 0; i < stalled.size(); ++i) {
        if (i % 3 != 2) {
            EXPECT_TRUE(stalled[i]->closed_by_peer()) << i;
        }
    }
    auto cut_offs = [&](std::string_view what) {
        std::ifstream in(log_path);
        std::string line;
        int count = 0;
        while (std::getline(in, line))
            count += line.find(what) != std::string::npos ? 1 : 0;
        return count;
    };
    EXPECT_TRUE(eventually([&] { return cut_offs("while sending the response") == kEach; }, 30s));
    EXPECT_EQ(cut_offs("while receiving the request body"), 2 * kEach);
    // The readers get what was already in the socket buffers, then the close: never it all.
    for (size_t i = 2; i < stalled.size(); i += 3)
        EXPECT_LT(stalled[i]->read_until_close().size(), response_size);
    log::init(log::Level::info);
    expect_alive();
}

TEST_F(ServerTest, HandlerExceptionGives500WithRequestId) {
    start();
    for (const char* target : {"/throw", "/throw-stream"}) {
        auto r = get(target);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 500);
        const std::string id = r->header("x-request-id");
        ASSERT_EQ(id.size(), 16u);
        EXPECT_NE(r->body.find(id), std::string::npos) << r->body;
        expect_alive();
    }
}

TEST_F(ServerTest, ErrorPageRendererIsUsed) {
    start({}, [](int status, const std::string& id) {
        return Response::html(status, "<h1>custom " + std::to_string(status) + " " + id + "</h1>");
    });
    auto r = get("/throw");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_EQ(r->body, "<h1>custom 500 " + r->header("x-request-id") + "</h1>");
    r = get("/%2e%2e/x");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->body.starts_with("<h1>custom 400 "));
}

TEST_F(ServerTest, SlowHeaderTimesOut) {
    ServerOptions options;
    options.header_timeout = std::chrono::seconds(1);
    start(options);
    Client client(port_);
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHo"));
    const auto begin = std::chrono::steady_clock::now();
    EXPECT_TRUE(client.closed_by_peer());
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
    expect_alive();
}

TEST_F(ServerTest, StopLetsStreamingResponseFinishAndRefusesNewConnections) {
    ServerOptions options;
    options.drain_timeout = std::chrono::seconds(30);
    start(options);
    const uint64_t size = 8 * 1024 * 1024;
    Client streaming(port_);
    ASSERT_TRUE(streaming.send("GET /big?gate=1&n=" + std::to_string(size) +
                               " HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(streaming.read_raw(100 * 1024));  // the response is under way

    Client idle(port_);  // an idle keep-alive connection is closed by the drain
    ASSERT_TRUE(idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(idle.read_response());

    server_->stop();
    EXPECT_TRUE(eventually([&] {
        Client probe(port_);
        return !probe.connected() && probe.connect_errno() == ECONNREFUSED;
    }));
    EXPECT_TRUE(idle.closed_by_peer());
    EXPECT_NE(run_result_.wait_for(0ms), std::future_status::ready);

    open_gate();
    auto r = streaming.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->body == big_expectation(size));
    EXPECT_TRUE(streaming.closed_by_peer());
    EXPECT_TRUE(stop_and_wait());
}

TEST_F(ServerTest, ResponseFinishedDuringDrainClosesConnection) {
    start();
    Client client(port_);
    ASSERT_TRUE(client.send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(eventually([&] { return handler_entered_.load(); }));
    server_->stop();
    open_gate();
    auto r = client.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "waited");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(client.closed_by_peer());
    EXPECT_TRUE(stop_and_wait());
}

TEST_F(ServerTest, IdleKeepAliveConnectionTimesOut) {
    ServerOptions options;
    options.idle_timeout = std::chrono::seconds(1);
    start(options);
    Client client(port_);
    ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(client.read_response());
    const auto begin = std::chrono::steady_clock::now();
    EXPECT_TRUE(client.closed_by_peer());
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
}

TEST_F(ServerTest, DrainTimeoutEndsStalledResponses) {
    ServerOptions options;
    options.drain_timeout = std::chrono::seconds(1);
    start(options);
    Client stalled(port_);  // requests a large body and never reads it
    ASSERT_TRUE(stalled.send("GET /big?n=200000000 HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(stalled.read_raw(1));
    const auto begin = std::chrono::steady_clock::now();
    EXPECT_TRUE(stop_and_wait(20s));
    EXPECT_GE(std::chrono::steady_clock::now() - begin, 1s);
}

TEST_F(ServerTest, StopWithoutConnectionsReturnsPromptly) {
    start();
    expect_alive();
    EXPECT_TRUE(stop_and_wait(10s));
}

TEST_F(ServerTest, BindOnUsedPortFails) {
    start();
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = port_;
    options.handle_signals = false;
    auto second = Server::bind(options, [](Request&) { return Response::text(200, "x"); });
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, Errc::io);
    EXPECT_EQ(second.error().message,
              "cannot listen on 127.0.0.1:" + std::to_string(port_) + ": Address already in use");
}

TEST_F(ServerTest, ConcurrentClients) {
    start();
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            Client client(port_);
            for (int i = 0; i < 50; ++i) {
                const std::string q = std::to_string(t * 1000 + i);
                if (!client.send("GET /hello?q=" + q + " HTTP/1.1\r\nHost: t\r\n\r\n"))
                    return;
                auto r = client.read_response();
                if (r && r->body == "hello GET /hello q=" + q)
                    ok++;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(ok.load(), 400);
}

}  // namespace
}  // namespace kallithea::http
