// Kallithea's `repositories` and `groups` tables: listings for pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct RepoSummaryRow {
    int64_t repo_id = 0;
    std::string repo_name;
    std::string repo_type;
    std::string description;
    bool is_private = false;
    int64_t owner_id = 0;
    std::optional<std::string> updated_on;
    std::optional<std::string> changeset_cache;  // JSON of the newest changeset
};

struct GroupSummaryRow {
    int64_t group_id = 0;
    std::string group_name;
    std::string description;
};

// Errc::database on SQL errors.
class Repositories {
public:
    explicit Repositories(db::Connection& conn) : conn_(conn) {}
    // Repositories directly inside `group_id` (nullopt: top level), by name.
    Result<std::vector<RepoSummaryRow>> in_group(std::optional<int64_t> group_id);
    // Repository groups directly inside `parent_id` (nullopt: top level), by name.
    Result<std::vector<GroupSummaryRow>> groups_in(std::optional<int64_t> parent_id);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
