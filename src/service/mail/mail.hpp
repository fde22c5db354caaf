// Outgoing email: mails are queued in the database (enqueue_mail) and sent by one sender thread
// per server process (service/mail/mail_sender.hpp) through remote::send_mail, configured by the
// ini's smtp_* keys. With an empty smtp_server a mail is written to the log instead, as Kallithea
// does. Links in mail are built only from canonical_url, never from a request's Host.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "core/error.hpp"

namespace kallithea::service {

class App;

struct Mail {
    std::vector<std::string> to;
    std::string subject;  // email_prefix is put in front
    std::string body;     // plain text
};

// The base of links in mail: canonical_url without a trailing '/'; nullopt when it is not set
// (then no mail with a link may be sent: the request's Host header is the attacker's choice).
std::optional<std::string> mail_link_base(const config::AppConfig& config);

// The one log line telling the admin why a mail with a link was dropped (`what`, e.g.
// "password reset mail").
void log_missing_canonical_url(std::string_view what);

// Queues the mail for the sender thread. Does nothing without recipients. Errc::database.
Status enqueue_mail(App& app, const Mail& mail);

// Queues a password-reset request for `email`: the sender looks the address up and composes the
// mail, so the request does the same work whether or not an account uses it. Errc::database.
Status enqueue_password_reset(App& app, std::string_view email);

// Sends the mail now (or logs it without smtp_server). Errc::unavailable with a one-line reason
// when the server cannot be reached, is not trusted or refuses; Errc::config for settings that
// cannot work. `cancel` aborts a transfer in progress (server shutdown).
Status deliver_mail(const config::AppConfig& config, const Mail& mail,
                    const std::atomic<bool>* cancel = nullptr);

}  // namespace kallithea::service
