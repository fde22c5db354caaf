// Kallithea's journal (`user_logs`): who did what to which repository, and when.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct JournalEntry {
    std::optional<int64_t> user_id;
    std::string username;
    std::optional<int64_t> repository_id;
    std::string repository_name;
    std::string user_ip;
    std::string action;  // "push:<hash,hash>", "pull", "user_created_repo", ...
};

struct JournalRow : JournalEntry {
    int64_t user_log_id = 0;
    std::string action_date;  // "YYYY-MM-DD HH:MM:SS.ffffff"
};

// Errc::database on SQL errors.
class Journal {
public:
    explicit Journal(db::Connection& conn) : conn_(conn) {}
    // Appends an entry dated now.
    Status add(const JournalEntry& entry);
    // Newest first, at most `limit` entries of one repository.
    Result<std::vector<JournalRow>> for_repository(int64_t repository_id, size_t limit);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
