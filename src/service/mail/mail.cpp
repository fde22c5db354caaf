// Implementation of service/mail/mail.hpp: queueing, and delivery through the remote layer's SMTP
// client or the log.
#include "service/mail/mail.hpp"

#include <charconv>

#include "core/log.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/pool.hpp"
#include "remote/smtp.hpp"
#include "service/app.hpp"
#include "service/mail/mail_sender.hpp"
#include "store/mail/mail_queue.hpp"

namespace kallithea::service {
namespace {

std::string app_value(const config::AppConfig& config, const std::string& key,
                      const std::string& fallback = {}) {
    auto it = config.app.find(key);
    return it == config.app.end() ? fallback : it->second;
}

std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\r' || c == '\n')
            c = ' ';
    return text;
}

Result<remote::SmtpSettings> smtp_settings(const config::AppConfig& config) {
    remote::SmtpSettings s;
    s.server = app_value(config, "smtp_server");
    s.implicit_tls = text::str2bool(app_value(config, "smtp_use_ssl"));
    s.starttls = !s.implicit_tls && text::str2bool(app_value(config, "smtp_use_tls"));
    s.username = app_value(config, "smtp_username");
    s.password = app_value(config, "smtp_password");
    const std::string port = app_value(config, "smtp_port");
    if (!port.empty()) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
            return fail(Errc::config, "smtp_port must be a number 1..65535, not '" + port + "'");
        s.port = static_cast<uint16_t>(value);
    }
    return s;
}

Status queue_row(App& app, std::string_view kind, const std::vector<std::string>& to,
                 std::string_view subject, std::string_view body) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    std::vector<std::string> recipients;
    for (const auto& address : to)
        recipients.push_back(one_line(address));
    auto id = store::MailQueue(*conn).add(kind, recipients, subject, body, timefmt::unix_now());
    RETURN_IF_ERROR(id);
    wake_mail_sender();
    return ok();
}

}  // namespace

std::optional<std::string> mail_link_base(const config::AppConfig& config) {
    std::string base = config.canonical_url;
    while (!base.empty() && (base.back() == '/' || base.back() == ' '))
        base.pop_back();
    if (base.empty())
        return std::nullopt;
    return base;
}

void log_missing_canonical_url(std::string_view what) {
    log::warn(
        "{} not sent: canonical_url is not set in [app:main] of the ini file, and links in mail "
        "are never built from the request's Host header; set canonical_url to the address users "
        "reach this site at (e.g. https://kallithea.example.com)",
        what);
}

Status enqueue_mail(App& app, const Mail& mail) {
    if (mail.to.empty())
        return ok();
    return queue_row(app, "mail", mail.to, mail.subject, mail.body);
}

Status enqueue_password_reset(App& app, std::string_view email) {
    return queue_row(app, "password_reset", {std::string(email)}, "", "");
}

Status deliver_mail(const config::AppConfig& config, const Mail& mail,
                    const std::atomic<bool>* cancel) {
    if (mail.to.empty())
        return ok();
    const std::string prefix = app_value(config, "email_prefix");
    const std::string subject =
        one_line(prefix.empty() ? mail.subject : prefix + " " + mail.subject);
    std::string recipients;
    for (const auto& to : mail.to)
        recipients += (recipients.empty() ? "" : ", ") + one_line(to);
    auto settings = smtp_settings(config);
    RETURN_IF_ERROR(settings);
    if (settings->server.empty()) {
        log::info("mail (smtp_server is not set, not sent): to: {} subject: {}\n{}", recipients,
                  subject, mail.body);
        return ok();
    }
    settings->limits.cancel = cancel;
    remote::Mail out;
    out.from = app_value(config, "app_email_from", "Kallithea <kallithea@localhost>");
    out.to = mail.to;
    out.subject = subject;
    out.body = mail.body;
    if (auto st = remote::send_mail(*settings, out); !st)
        return st;
    log::info("mail sent to {}: {}", recipients, subject);
    return ok();
}

}  // namespace kallithea::service
