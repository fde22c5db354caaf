// The mail sender: one thread per server process that sends the queued mails (mail_queue), with
// retries at growing intervals, and gives a mail up after a day.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "service/mail/mail.hpp"

namespace kallithea::store {
struct QueuedMail;
}

namespace kallithea::service {

class App;

// A failed mail is tried again after `first_delay` seconds (the ini's mail_retry_delay, 60 by
// default), then after twice as long each time, at most an hour apart; after this many seconds
// in the queue it is given up (logged as an error and removed).
inline constexpr int64_t kMailGiveUpAfter = 24 * 3600;
inline constexpr int64_t kMailMaxRetryDelay = 3600;

// The delay before attempt `attempts + 1` after `attempts` failed ones (>= 1).
int64_t mail_retry_delay(int64_t first_delay, int64_t attempts);

// Wakes the sender of this process (a mail was queued). Cheap; safe without a sender.
void wake_mail_sender();

class MailSender {
public:
    // Starts the thread; it sends what is due at once (mails left by an earlier run included),
    // then whenever woken, and looks for due rows at least every few seconds (retries, rows
    // queued by other processes sharing the database).
    static std::unique_ptr<MailSender> start(std::shared_ptr<App> app);
    ~MailSender();
    MailSender(const MailSender&) = delete;
    MailSender& operator=(const MailSender&) = delete;

    // Stops the thread, cancelling a transfer in progress (that mail stays queued and is sent by
    // the next run). Idempotent.
    void stop();

private:
    explicit MailSender(std::shared_ptr<App> app);
    void run();
    // Sends what is due now; false when the database failed (the loop then waits and retries).
    bool send_due();
    void send_one(const store::QueuedMail& row);
    // The mail a row stands for: itself, or a composed password-reset mail (nullopt: nothing to
    // send).
    Result<std::optional<Mail>> mail_of(const store::QueuedMail& row);

    std::shared_ptr<App> app_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace kallithea::service
