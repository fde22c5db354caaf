// Implementation of service/mail.hpp: a small blocking SMTP client.
#include "service/mail.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include <fmt/format.h>

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

class SmtpSession {
public:
    ~SmtpSession() {
        if (fd_ >= 0)
            ::close(fd_);
    }

    Status connect(const std::string& host, const std::string& port) {
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
            const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
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
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0)
                return fail(Errc::unavailable, "SMTP connection lost while waiting for a reply");
            buffer_.append(chunk, static_cast<size_t>(n));
        }
    }

    int fd_ = -1;
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
    if (truthy(app_value(config, "smtp_use_ssl")) || truthy(app_value(config, "smtp_use_tls")))
        return fail(
            Errc::config,
            "smtp_use_ssl / smtp_use_tls are not supported by this build (plain SMTP only)");
    const std::string from =
        one_line(app_value(config, "app_email_from", "Kallithea <kallithea@localhost>"));
    std::string port = app_value(config, "smtp_port");
    if (port.empty())
        port = "25";

    SmtpSession smtp;
    Status st = smtp.connect(server, port);
    if (st)
        st = smtp.command("EHLO localhost", 250);
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
