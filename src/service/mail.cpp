// Implementation of service/mail.hpp: a small blocking SMTP client.
#include "service/mail.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "core/log.hpp"
#include "core/random.hpp"

namespace kallithea::service {
namespace {

std::string app_value(const config::AppConfig& config, const std::string& key,
                      const std::string& fallback = {}) {
    auto it = config.app.find(key);
    return it == config.app.end() ? fallback : it->second;
}

bool truthy(const std::string& value) {
    return value == "true" || value == "True" || value == "TRUE" || value == "1" ||
           value == "yes" || value == "on";
}

// The address inside "Name <addr>", or the text itself.
std::string bare_address(const std::string& text) {
    const auto open = text.find('<');
    const auto close = text.rfind('>');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return text.substr(open + 1, close - open - 1);
    return text;
}

// The last OpenSSL error as text (the queue is cleared).
std::string tls_error_text() {
    std::string out;
    while (const unsigned long code = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        out = buf;
    }
    return out.empty() ? "TLS failure" : out;
}

class SmtpSession {
public:
    ~SmtpSession() {
        if (ssl_)
            SSL_free(ssl_);
        if (ctx_)
            SSL_CTX_free(ctx_);
        if (fd_ >= 0)
            ::close(fd_);
    }

    // TLS on the connection (smtp_use_ssl: right after connecting; smtp_use_tls: after
    // STARTTLS). The server's certificate must chain to a trusted CA (the system store;
    // SSL_CERT_FILE / SSL_CERT_DIR add others) and name host.
    Status start_tls(const std::string& host) {
        ctx_ = SSL_CTX_new(TLS_client_method());
        if (!ctx_)
            return fail(Errc::unavailable, "SMTP TLS: " + tls_error_text());
        SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
        SSL_CTX_set_default_verify_paths(ctx_);
        SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
        ssl_ = SSL_new(ctx_);
        if (!ssl_)
            return fail(Errc::unavailable, "SMTP TLS: " + tls_error_text());
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
        in6_addr ip6{};
        in_addr ip4{};
        const bool is_ip = ::inet_pton(AF_INET, host.c_str(), &ip4) == 1 ||
                           ::inet_pton(AF_INET6, host.c_str(), &ip6) == 1;
        if (is_ip) {
            X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
        } else {
            X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
            SSL_set_tlsext_host_name(ssl_, host.c_str());
        }
        SSL_set_fd(ssl_, fd_);
        if (SSL_connect(ssl_) != 1) {
            const long verify = SSL_get_verify_result(ssl_);
            if (verify != X509_V_OK)
                return fail(Errc::unavailable,
                            fmt::format("SMTP TLS: the certificate of {} is not trusted ({})", host,
                                        X509_verify_cert_error_string(verify)));
            return fail(Errc::unavailable, "SMTP TLS handshake failed: " + tls_error_text());
        }
        buffer_.clear();  // nothing read before the handshake may be trusted
        return ok();
    }

    // Connects and reads the greeting (after the TLS handshake when tls).
    Status connect(const std::string& host, const std::string& port, bool tls) {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
            return fail(Errc::unavailable,
                        fmt::format("SMTP server {}: {}", host, gai_strerror(rc)));
        for (addrinfo* ai = found; ai; ai = ai->ai_next) {
            int fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
            if (fd < 0)
                continue;
            timeval timeout{20, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
            ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
            if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
                fd_ = fd;
                break;
            }
            ::close(fd);
        }
        ::freeaddrinfo(found);
        if (fd_ < 0)
            return fail(Errc::unavailable,
                        fmt::format("cannot connect to SMTP server {}:{}", host, port));
        if (tls) {
            if (auto st = start_tls(host); !st)
                return st;
        }
        return expect(220);
    }

    // Sends one command line (without CRLF) and checks the reply code.
    Status command(const std::string& line, int code) {
        if (auto st = write(line + "\r\n"); !st)
            return st;
        return expect(code);
    }

    Status write(std::string_view data) {
        while (!data.empty()) {
            const ssize_t n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                                   : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return fail(Errc::unavailable, "SMTP connection lost while sending");
            data.remove_prefix(static_cast<size_t>(n));
        }
        return ok();
    }

    // Reads a (possibly multi-line) reply and checks its code.
    Status expect(int code) {
        while (true) {
            auto line = read_line();
            if (!line)
                return fail(std::move(line.error()));
            if (line->size() < 3)
                return fail(Errc::unavailable, "malformed SMTP reply: " + *line);
            if (line->size() > 3 && (*line)[3] == '-')
                continue;
            if (std::atoi(line->substr(0, 3).c_str()) != code)
                return fail(Errc::unavailable, "SMTP server replied: " + *line);
            return ok();
        }
    }

private:
    Result<std::string> read_line() {
        while (true) {
            if (auto end = buffer_.find("\r\n"); end != std::string::npos) {
                std::string line = buffer_.substr(0, end);
                buffer_.erase(0, end + 2);
                return line;
            }
            if (buffer_.size() > 65536)
                return fail(Errc::unavailable, "SMTP reply too long");
            char chunk[1024];
            const ssize_t n = ssl_ ? SSL_read(ssl_, chunk, static_cast<int>(sizeof chunk))
                                   : ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0)
                return fail(Errc::unavailable, "SMTP connection lost while waiting for a reply");
            buffer_.append(chunk, static_cast<size_t>(n));
        }
    }

    int fd_ = -1;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
    std::string buffer_;
};

std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\r' || c == '\n')
            c = ' ';
    return text;
}

std::string rfc2822_date() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

}  // namespace

std::string base64(std::string_view data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                           (static_cast<unsigned char>(data[i + 1]) << 8) |
                           static_cast<unsigned char>(data[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == data.size()) {
        const unsigned v = static_cast<unsigned char>(data[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == data.size()) {
        const unsigned v = (static_cast<unsigned char>(data[i]) << 16) |
                           (static_cast<unsigned char>(data[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

Status send_mail(const config::AppConfig& config, const Mail& mail) {
    if (mail.to.empty())
        return ok();
    const std::string prefix = app_value(config, "email_prefix");
    const std::string subject =
        one_line(prefix.empty() ? mail.subject : prefix + " " + mail.subject);
    std::string recipients;
    for (const auto& to : mail.to)
        recipients += (recipients.empty() ? "" : ", ") + one_line(to);
    const std::string server = app_value(config, "smtp_server");
    if (server.empty()) {
        log::info("mail (smtp_server is not set, not sent): to: {} subject: {}\n{}", recipients,
                  subject, mail.body);
        return ok();
    }
    const bool use_ssl = truthy(app_value(config, "smtp_use_ssl"));
    const bool use_tls = !use_ssl && truthy(app_value(config, "smtp_use_tls"));
    const std::string from =
        one_line(app_value(config, "app_email_from", "Kallithea <kallithea@localhost>"));
    std::string port = app_value(config, "smtp_port");
    if (port.empty())
        port = use_ssl ? "465" : "25";

    SmtpSession smtp;
    Status st = smtp.connect(server, port, use_ssl);
    if (st)
        st = smtp.command("EHLO localhost", 250);
    if (st && use_tls) {
        st = smtp.command("STARTTLS", 220);
        if (st)
            st = smtp.start_tls(server);
        if (st)
            st = smtp.command("EHLO localhost", 250);  // capabilities again, over TLS
    }
    const std::string username = app_value(config, "smtp_username");
    if (st && !username.empty()) {
        st = smtp.command("AUTH LOGIN", 334);
        if (st)
            st = smtp.command(base64(username), 334);
        if (st)
            st = smtp.command(base64(app_value(config, "smtp_password")), 235);
    }
    if (st)
        st = smtp.command("MAIL FROM:<" + bare_address(from) + ">", 250);
    for (const auto& to : mail.to) {
        if (!st)
            break;
        st = smtp.command("RCPT TO:<" + one_line(bare_address(to)) + ">", 250);
    }
    if (st)
        st = smtp.command("DATA", 354);
    if (st) {
        std::string message = "From: " + from + "\r\nTo: " + recipients +
                              "\r\nSubject: " + subject + "\r\nDate: " + rfc2822_date() +
                              "\r\nMessage-ID: <" + random::hex(16) + "@kallithea>" +
                              "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                              "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        // Normalise line ends and dot-stuff lines that start with '.'.
        std::string line;
        for (size_t i = 0; i <= mail.body.size(); ++i) {
            if (i == mail.body.size() || mail.body[i] == '\n') {
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                if (!line.empty() && line.front() == '.')
                    message += '.';
                message += line + "\r\n";
                line.clear();
            } else {
                line += mail.body[i];
            }
        }
        message += ".\r\n";
        st = smtp.write(message);
        if (st)
            st = smtp.expect(250);
    }
    if (!st) {
        log::error("mail to {} ({}) not sent: {}", recipients, subject, st.error().message);
        return st;
    }
    (void)smtp.command("QUIT", 221);
    log::info("mail sent to {}: {}", recipients, subject);
    return ok();
}

}  // namespace kallithea::service
