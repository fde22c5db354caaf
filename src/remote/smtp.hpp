// Sending one mail over SMTP with libcurl (plain, STARTTLS or implicit TLS; AUTH; certificate and
// host-name checks). The only SMTP client of the program.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "remote/transfer.hpp"

namespace kallithea::remote {

struct SmtpSettings {
    std::string server;         // host name or IP address (IPv6 without brackets)
    uint16_t port = 0;          // 0: 465 with implicit_tls, else 25
    bool starttls = false;      // upgrade with STARTTLS before AUTH; refuse a server without it
    bool implicit_tls = false;  // TLS from the first byte (smtps)
    std::string username;       // empty: no AUTH
    std::string password;
    TransferLimits limits;
};

struct Mail {
    std::string from;             // "Name <addr>" or "addr"
    std::vector<std::string> to;  // likewise
    std::string subject;          // UTF-8, one line
    std::string body;             // UTF-8 plain text, any line ends
};

// The RFC 5322 message for `mail` (headers with CRLF line ends, a non-ASCII subject
// RFC 2047-encoded, Date and Message-ID), as sent after DATA before dot-stuffing.
std::string mail_message(const Mail& mail);

// The address inside "Name <addr>", or the text itself.
std::string bare_address(const std::string& text);

// Delivers `mail`. Errc::unavailable with a one-line message for the log when the server cannot
// be reached, its certificate is not trusted ("the certificate of HOST is not trusted"), it
// refuses the login, a sender or a recipient, or a timeout strikes; Errc::config for settings
// that cannot work (no server, no recipient).
Status send_mail(const SmtpSettings& settings, const Mail& mail);

}  // namespace kallithea::remote
