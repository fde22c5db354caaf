// Outgoing email over SMTP, configured by the ini's smtp_* keys ([app:main]).
//
// Plain SMTP only (optionally AUTH LOGIN): this build links libcrypto but not libssl, so
// smtp_use_tls / smtp_use_ssl make sending fail with a clear error. With an empty smtp_server
// the mail is only written to the log (recipients, subject and body), as Kallithea does.
#pragma once

#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "core/error.hpp"

namespace kallithea::service {

struct Mail {
    std::vector<std::string> to;
    std::string subject;  // email_prefix is put in front
    std::string body;     // plain text
};

// Sends (or logs) the mail. Errc::unavailable when the server cannot be reached or refuses,
// Errc::config for TLS/SSL settings this build cannot honour. Does nothing without recipients.
Status send_mail(const config::AppConfig& config, const Mail& mail);

// Base64 of `data` (for SMTP AUTH LOGIN).
std::string base64(std::string_view data);

}  // namespace kallithea::service
