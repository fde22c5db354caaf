// The outgoing mail queue (our table mail_queue): rows written by requests, sent by the sender
// thread of any app process sharing the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct QueuedMail {
    int64_t mail_id = 0;
    std::string kind;  // "mail" or "password_reset" (see migration 4)
    std::vector<std::string> recipients;
    std::string subject;
    std::string body;
    int64_t created_on = 0;     // Unix seconds
    int64_t next_attempt = 0;   // Unix seconds
    int64_t claimed_until = 0;  // Unix seconds: a process is sending it until then
    int64_t attempts = 0;
    std::string last_error;
};

// Errc::database on SQL errors.
class MailQueue {
public:
    explicit MailQueue(db::Connection& conn) : conn_(conn) {}

    // Queues a mail due at `now`; returns its id. Recipients must not contain line breaks.
    Result<int64_t> add(std::string_view kind, const std::vector<std::string>& recipients,
                        std::string_view subject, std::string_view body, int64_t now);
    // Up to `limit` unclaimed rows with next_attempt <= now, oldest due first.
    Result<std::vector<QueuedMail>> due(int64_t now, int64_t limit);
    // Makes every unclaimed row due at `now` (a restart tries waiting mails at once); returns how
    // many were waiting.
    Result<int64_t> make_due(int64_t now);
    // Takes an unclaimed row until `lease_until`. False when another process holds it (or it is
    // gone).
    Result<bool> claim(int64_t mail_id, int64_t now, int64_t lease_until);
    // Replaces the content (a composed password-reset request becomes a plain mail).
    Status rewrite(int64_t mail_id, std::string_view kind,
                   const std::vector<std::string>& recipients, std::string_view subject,
                   std::string_view body);
    // Records a failed attempt and when to try again, and releases the claim.
    Status retry_later(int64_t mail_id, int64_t attempts, int64_t next_attempt,
                       std::string_view error);
    // Removes a sent or abandoned row; an absent row is not an error.
    Status remove(int64_t mail_id);
    // When the earliest row can next be sent (its next_attempt or the end of its claim);
    // nullopt when the queue is empty.
    Result<std::optional<int64_t>> next_due();
    Result<int64_t> count();

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
