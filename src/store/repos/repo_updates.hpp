// Changes to an existing `repositories` row made from its settings pages: the editable columns
// (name, group, description, flags, landing revision, owner) and the fork link.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

// The columns the settings tab edits.
struct RepoSettingsRow {
    std::string repo_name;  // full path
    std::optional<int64_t> group_id;
    std::string description;
    bool is_private = false;
    std::string landing_revision;
    int64_t owner_id = 0;
    bool downloads = false;
};

// Errc::database on SQL errors; Errc::conflict when the new name is taken (unique index).
class RepoUpdates {
public:
    explicit RepoUpdates(db::Connection& conn) : conn_(conn) {}
    Status update_settings(int64_t repo_id, const RepoSettingsRow& row);
    // Sets (or clears, nullopt) repositories.fork_id.
    Status set_fork(int64_t repo_id, std::optional<int64_t> fork_id);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
