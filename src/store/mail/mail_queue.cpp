// Implementation of store/mail/mail_queue.hpp.
#include "store/mail/mail_queue.hpp"

namespace kallithea::store {
namespace {

std::string join_lines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : "\n") + item;
    return out;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        if (end > start)
            out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

Result<int64_t> MailQueue::add(std::string_view kind, const std::vector<std::string>& recipients,
                               std::string_view subject, std::string_view body, int64_t now) {
    return conn_.insert(
        "INSERT INTO mail_queue (kind, recipients, subject, body, created_on, next_attempt, "
        "claimed_until, attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "mail_id", kind, join_lines(recipients), subject, body, now, now, int64_t{0}, int64_t{0},
        std::string_view());
}

Result<std::vector<QueuedMail>> MailQueue::due(int64_t now, int64_t limit) {
    auto rows = conn_.query(
        "SELECT mail_id, kind, recipients, subject, body, created_on, next_attempt, attempts, "
        "last_error, claimed_until FROM mail_queue WHERE next_attempt <= ? AND claimed_until <= ? "
        "ORDER BY next_attempt, mail_id LIMIT ?",
        now, now, limit);
    RETURN_IF_ERROR(rows);
    std::vector<QueuedMail> out;
    out.reserve(rows->size());
    for (const db::Row& r : *rows) {
        QueuedMail m;
        m.mail_id = r.i64(0);
        m.kind = r.text(1);
        m.recipients = split_lines(r.text(2));
        m.subject = r.text(3);
        m.body = r.text(4);
        m.created_on = r.i64(5);
        m.next_attempt = r.i64(6);
        m.attempts = r.i64(7);
        m.last_error = r.text(8);
        m.claimed_until = r.i64(9);
        out.push_back(std::move(m));
    }
    return out;
}

Result<int64_t> MailQueue::make_due(int64_t now) {
    return conn_.exec_count(
        "UPDATE mail_queue SET next_attempt = ? WHERE next_attempt > ? AND claimed_until <= ?", now,
        now, now);
}

Result<bool> MailQueue::claim(int64_t mail_id, int64_t now, int64_t lease_until) {
    auto affected = conn_.exec_count(
        "UPDATE mail_queue SET claimed_until = ? WHERE mail_id = ? AND claimed_until <= ?",
        lease_until, mail_id, now);
    RETURN_IF_ERROR(affected);
    return *affected == 1;
}

Status MailQueue::rewrite(int64_t mail_id, std::string_view kind,
                          const std::vector<std::string>& recipients, std::string_view subject,
                          std::string_view body) {
    return conn_.exec(
        "UPDATE mail_queue SET kind = ?, recipients = ?, subject = ?, body = ? WHERE mail_id = ?",
        kind, join_lines(recipients), subject, body, mail_id);
}

Status MailQueue::retry_later(int64_t mail_id, int64_t attempts, int64_t next_attempt,
                              std::string_view error) {
    return conn_.exec(
        "UPDATE mail_queue SET attempts = ?, next_attempt = ?, last_error = ?, claimed_until = 0 "
        "WHERE mail_id = ?",
        attempts, next_attempt, error, mail_id);
}

Status MailQueue::remove(int64_t mail_id) {
    return conn_.exec("DELETE FROM mail_queue WHERE mail_id = ?", mail_id);
}

Result<std::optional<int64_t>> MailQueue::next_due() {
    auto row = conn_.query_one(
        "SELECT MIN(CASE WHEN claimed_until > next_attempt THEN claimed_until ELSE next_attempt "
        "END) FROM mail_queue");
    RETURN_IF_ERROR(row);
    if (!*row)
        return std::optional<int64_t>();
    return (*row)->opt_i64(0);
}

Result<int64_t> MailQueue::count() {
    auto n = conn_.scalar<int64_t>("SELECT COUNT(*) FROM mail_queue");
    RETURN_IF_ERROR(n);
    return n->value_or(0);
}

}  // namespace kallithea::store
