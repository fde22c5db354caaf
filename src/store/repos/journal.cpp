// SQL for store/repos/journal.hpp.
#include "store/repos/journal.hpp"

#include "core/time.hpp"

namespace kallithea::store {

Status Journal::add(const JournalEntry& e) {
    return conn_.exec(
        "INSERT INTO user_logs (user_id, username, repository_id, repository_name, user_ip, "
        "action, action_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
        e.user_id, e.username, e.repository_id, e.repository_name, e.user_ip, e.action,
        timefmt::db_now());
}

Result<std::vector<JournalRow>> Journal::for_repository(int64_t repository_id, size_t limit) {
    auto rows = conn_.query(
        "SELECT user_log_id, user_id, username, repository_id, repository_name, user_ip, action, "
        "action_date FROM user_logs WHERE repository_id = ? ORDER BY user_log_id DESC LIMIT ?",
        repository_id, static_cast<int64_t>(limit));
    RETURN_IF_ERROR(rows);
    std::vector<JournalRow> out;
    for (const auto& row : *rows) {
        JournalRow j;
        j.user_log_id = row.i64(0);
        j.user_id = row.opt_i64(1);
        j.username = row.text(2);
        j.repository_id = row.opt_i64(3);
        j.repository_name = row.text(4);
        j.user_ip = row.text(5);
        j.action = row.text(6);
        j.action_date = row.datetime(7);
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace kallithea::store
