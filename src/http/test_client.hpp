// A raw blocking HTTP/1.1 client over loopback TCP for the server tests (test-only code).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace kallithea::http::test_support {

using namespace std::chrono_literals;

// Fills buffers with a position-dependent pattern so truncation or reordering shows.
inline char pattern_byte(uint64_t i) {
    return static_cast<char>('a' + (i * 7 + i / 251) % 26);
}

struct ParsedResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    bool chunked = false;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// A blocking HTTP client over one TCP connection; every read times out after 20 s.
class Client {
public:
    // receive_buffer > 0 shrinks the socket's receive buffer (a client that reads little).
    explicit Client(uint16_t port, int receive_buffer = 0) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (receive_buffer > 0)
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
        timeval tv{20, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            connect_errno_ = errno;
    }
    ~Client() { ::close(fd_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool connected() const { return connect_errno_ == 0; }
    int connect_errno() const { return connect_errno_; }

    bool send(std::string_view data) {
        while (!data.empty()) {
            const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            data.remove_prefix(static_cast<size_t>(n));
        }
        return true;
    }

    // Reads one response (a 1xx interim response counts as one).
    std::optional<ParsedResponse> read_response(bool head_request = false) {
        size_t end;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill())
                return std::nullopt;
        }
        ParsedResponse r;
        const std::string head = buf_.substr(0, end + 2);
        buf_.erase(0, end + 4);
        if (head.size() < 12 || !head.starts_with("HTTP/1."))
            return std::nullopt;
        r.status = std::stoi(head.substr(9, 3));
        size_t pos = head.find("\r\n") + 2;
        while (pos < head.size()) {
            const size_t eol = head.find("\r\n", pos);
            const std::string line = head.substr(pos, eol - pos);
            pos = eol + 2;
            const size_t colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (char& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        if (r.status < 200 || head_request || r.status == 204 || r.status == 304)
            return r;
        if (r.header("transfer-encoding") == "chunked") {
            r.chunked = true;
            for (;;) {
                const auto line = read_line();
                if (!line)
                    return std::nullopt;
                const size_t size = std::stoul(*line, nullptr, 16);
                if (!read_exact(size + 2, r.body))
                    return std::nullopt;
                r.body.resize(r.body.size() - 2);
                if (size == 0)
                    return r;
            }
        }
        if (r.headers.count("content-length")) {
            if (!read_exact(std::stoull(r.header("content-length")), r.body))
                return std::nullopt;
            return r;
        }
        r.body = read_until_close();
        return r;
    }

    // Everything up to the peer's close (or a read error/timeout).
    std::string read_until_close() {
        while (fill()) {
        }
        return std::exchange(buf_, {});
    }

    // True when the peer closes the connection (and sends nothing more) before the timeout.
    bool closed_by_peer() {
        char c;
        const ssize_t n = ::recv(fd_, &c, 1, 0);
        return n == 0 || (n < 0 && errno == ECONNRESET);
    }

    // Reads at least `count` raw bytes (interim checks on streamed bodies).
    bool read_raw(size_t count) {
        while (buf_.size() < count) {
            if (!fill())
                return false;
        }
        return true;
    }

private:
    bool fill() {
        char chunk[65536];
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        buf_.append(chunk, static_cast<size_t>(n));
        return true;
    }
    std::optional<std::string> read_line() {
        size_t eol;
        while ((eol = buf_.find("\r\n")) == std::string::npos) {
            if (!fill())
                return std::nullopt;
        }
        std::string line = buf_.substr(0, eol);
        buf_.erase(0, eol + 2);
        return line;
    }
    bool read_exact(uint64_t count, std::string& out) {
        while (buf_.size() < count) {
            if (!fill())
                return false;
        }
        out.append(buf_, 0, count);
        buf_.erase(0, count);
        return true;
    }

    int fd_ = -1;
    int connect_errno_ = 0;
    std::string buf_;
};

// Waits for a condition with a deadline instead of sleeping for a fixed time.
template <class Condition>
inline bool eventually(Condition condition, std::chrono::milliseconds deadline = 10s) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (condition())
            return true;
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

}  // namespace kallithea::http::test_support
