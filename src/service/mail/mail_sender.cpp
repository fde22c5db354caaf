// Implementation of service/mail/mail_sender.hpp.
#include "service/mail/mail_sender.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/log.hpp"
#include "core/time.hpp"
#include "db/pool.hpp"
#include "service/account/registration.hpp"
#include "service/app.hpp"
#include "service/mail/mail.hpp"
#include "store/mail/mail_queue.hpp"

namespace kallithea::service {
namespace {

// How long a claimed row stays hidden from other senders: longer than one transfer may take.
constexpr int64_t kLeaseSeconds = 600;

// Logs a failed write to the queue. None of them is fatal: the row's lease expires and the mail
// is looked at again (a row that could not be removed after sending may go out twice).
void log_queue_write(const Status& st, std::string_view what, int64_t mail_id) {
    if (!st)
        log::error("mail queue: cannot {} mail {}: {} {}", what, mail_id, st.error().message,
                   st.error().detail);
}
// Rows fetched per round.
constexpr int64_t kBatch = 20;
// The longest sleep between looks at the queue (rows of other processes, due retries).
constexpr auto kMaxIdle = std::chrono::seconds(5);
constexpr auto kMinIdle = std::chrono::milliseconds(250);

// Process-wide wake-up signal, so that enqueue_mail needs no handle on the sender.
std::mutex g_mutex;
std::condition_variable g_wake;
uint64_t g_generation = 0;

int64_t first_retry_delay(const App& app) {
    const auto& values = app.config().app;
    auto it = values.find("mail_retry_delay");
    int64_t seconds = 60;
    if (it != values.end() && !it->second.empty()) {
        const std::string& text = it->second;
        int64_t parsed = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (ec == std::errc() && end == text.data() + text.size() && parsed > 0)
            seconds = parsed;
    }
    return seconds;
}

std::string recipients_text(const std::vector<std::string>& to) {
    std::string out;
    for (const auto& address : to)
        out += (out.empty() ? "" : ", ") + address;
    return out;
}

}  // namespace

int64_t mail_retry_delay(int64_t first_delay, int64_t attempts) {
    int64_t delay = std::max<int64_t>(1, first_delay);
    for (int64_t i = 1; i < attempts && delay < kMailMaxRetryDelay; ++i)
        delay *= 2;
    return std::min(delay, kMailMaxRetryDelay);
}

void wake_mail_sender() {
    {
        std::lock_guard lock(g_mutex);
        ++g_generation;
    }
    g_wake.notify_all();
}

MailSender::MailSender(std::shared_ptr<App> app) : app_(std::move(app)) {}

std::unique_ptr<MailSender> MailSender::start(std::shared_ptr<App> app) {
    std::unique_ptr<MailSender> sender(new MailSender(std::move(app)));
    sender->thread_ = std::thread([s = sender.get()] { s->run(); });
    return sender;
}

MailSender::~MailSender() {
    stop();
}

void MailSender::stop() {
    {
        std::lock_guard lock(g_mutex);
        stopping_ = true;
    }
    g_wake.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void MailSender::run() {
    // Mails left waiting by an earlier run are tried at once, not at their next retry time.
    if (auto conn = app_->pool().acquire()) {
        auto waiting = store::MailQueue(*conn).make_due(timefmt::unix_now());
        if (waiting && *waiting > 0)
            log::info("mail queue: {} mail(s) waiting from an earlier run", *waiting);
    }
    while (!stopping_) {
        uint64_t seen;
        {
            std::lock_guard lock(g_mutex);
            seen = g_generation;
        }
        const bool healthy = send_due();
        auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(kMaxIdle);
        if (healthy) {
            if (auto conn = app_->pool().acquire()) {
                auto next = store::MailQueue(*conn).next_due();
                if (next && *next) {
                    const auto wait = std::chrono::seconds(**next - timefmt::unix_now());
                    idle = std::clamp<std::chrono::milliseconds>(wait, kMinIdle, idle);
                }
            }
        }
        std::unique_lock lock(g_mutex);
        g_wake.wait_for(lock, idle, [&] { return stopping_ || g_generation != seen; });
    }
}

bool MailSender::send_due() {
    while (!stopping_) {
        std::vector<store::QueuedMail> rows;
        {
            auto conn = app_->pool().acquire();
            if (!conn) {
                log::error("mail queue: {}", conn.error().message);
                return false;
            }
            auto due = store::MailQueue(*conn).due(timefmt::unix_now(), kBatch);
            if (!due) {
                log::error("mail queue: {} ({})", due.error().message, due.error().detail);
                return false;
            }
            rows = std::move(*due);
        }
        if (rows.empty())
            return true;
        for (const auto& row : rows) {
            if (stopping_)
                break;
            send_one(row);
        }
    }
    return true;
}

Result<std::optional<Mail>> MailSender::mail_of(const store::QueuedMail& row) {
    if (row.kind == "mail")
        return std::optional<Mail>(Mail{row.recipients, row.subject, row.body});
    if (row.kind != "password_reset")
        return fail(Errc::internal, "unknown kind of queued mail '" + row.kind + "'");
    auto composed =
        compose_password_reset(*app_, row.recipients.empty() ? std::string() : row.recipients[0]);
    if (composed && *composed) {
        // Retries send the same link.
        if (auto conn = app_->pool().acquire())
            log_queue_write(
                store::MailQueue(*conn).rewrite(row.mail_id, "mail", (*composed)->to,
                                                (*composed)->subject, (*composed)->body),
                "rewrite", row.mail_id);
    }
    return composed;
}

void MailSender::send_one(const store::QueuedMail& row) {
    const int64_t now = timefmt::unix_now();
    {
        auto conn = app_->pool().acquire();
        if (!conn)
            return;
        auto claimed = store::MailQueue(*conn).claim(row.mail_id, now, now + kLeaseSeconds);
        if (!claimed || !*claimed)
            return;  // another process sends it (or the database failed: the lease expires)
    }
    auto composed = mail_of(row);
    if (composed && !*composed) {  // a reset for an unknown address: nothing to send
        if (auto conn = app_->pool().acquire())
            log_queue_write(store::MailQueue(*conn).remove(row.mail_id), "remove", row.mail_id);
        return;
    }
    Mail mail{row.recipients, row.subject, row.body};
    Status st = ok();
    if (composed)
        mail = std::move(**composed);
    else
        st = fail(std::move(composed.error()));
    if (st)
        st = deliver_mail(app_->config(), mail, &stopping_);
    auto conn = app_->pool().acquire();
    if (!conn) {
        log::error("mail queue: {}", conn.error().message);
        return;  // the lease expires and the mail is tried again (perhaps twice)
    }
    store::MailQueue queue(*conn);
    if (st) {
        log_queue_write(queue.remove(row.mail_id), "remove the sent", row.mail_id);
        return;
    }
    const std::string to = recipients_text(mail.to);
    const std::string& reason = st.error().message;
    if (stopping_) {  // cancelled by shutdown: due again at the next start, not counted
        log_queue_write(queue.retry_later(row.mail_id, row.attempts, now, reason), "requeue",
                        row.mail_id);
        log::info("mail to {} ({}) not sent before shutdown; it stays queued", to, mail.subject);
        return;
    }
    const int64_t attempts = row.attempts + 1;
    if (timefmt::unix_now() - row.created_on >= kMailGiveUpAfter) {
        log::error("mail to {} ({}) given up after {} attempts in {} hours: {}", to, mail.subject,
                   attempts, kMailGiveUpAfter / 3600, reason);
        log_queue_write(queue.remove(row.mail_id), "remove the given-up", row.mail_id);
        return;
    }
    const int64_t delay = mail_retry_delay(first_retry_delay(*app_), attempts);
    log::warn("mail to {} ({}) not sent (attempt {}), trying again in {} s: {}", to, mail.subject,
              attempts, delay, reason);
    if (auto saved = queue.retry_later(row.mail_id, attempts, timefmt::unix_now() + delay, reason);
        !saved)
        log::error("mail queue: {} ({})", saved.error().message, saved.error().detail);
}

}  // namespace kallithea::service
