// Kallithea's `repositories` and `groups` tables: listings for pages, creating and removing rows.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
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

// A whole `repositories` row.
struct RepoRow {
    int64_t repo_id = 0;
    std::string repo_name;
    std::string repo_state;  // repo_state_created | repo_state_pending | repo_state_error
    std::optional<std::string> clone_uri;
    std::string repo_type;
    int64_t owner_id = 0;
    bool is_private = false;
    bool statistics = false;
    bool downloads = false;
    std::string description;
    std::string created_on;
    std::string updated_on;
    std::string landing_revision;  // "type:name", e.g. "rev:tip" or "branch:master"
    std::optional<std::string> changeset_cache;
    std::optional<int64_t> fork_id;
    std::optional<int64_t> group_id;
};

// A repository row with its owner's username (administration grid).
struct RepoListingRow : RepoSummaryRow {
    std::string owner_username;
    std::string repo_state;
};

// Column values of a new `repositories` row (created_on/updated_on are set to now).
struct NewRepoRow {
    std::string repo_name;  // full path
    std::string repo_state = "repo_state_created";
    std::string repo_type;
    int64_t owner_id = 0;
    bool is_private = false;
    bool statistics = false;
    bool downloads = false;
    std::string description;
    std::string landing_revision = "rev:tip";
    std::optional<int64_t> group_id;
    std::optional<int64_t> fork_id;
    std::optional<std::string> clone_uri;
};

// Permission names that bear on one user's access to one repository (perm layer input).
struct RepoGrantRows {
    std::optional<std::string> default_grant;  // the `default` user's row
    std::optional<std::string> user_grant;     // the user's own row
    std::vector<std::string> group_grants;     // rows of active user groups the user is in
};

// Errc::database on SQL errors.
class Repositories {
public:
    explicit Repositories(db::Connection& conn) : conn_(conn) {}
    Result<std::optional<RepoRow>> by_name(std::string_view repo_name);
    Result<std::optional<RepoRow>> by_id(int64_t repo_id);
    // Case-insensitive (lower() on both sides), as Kallithea's name checks; an exact match wins.
    Result<std::optional<RepoRow>> by_name_ci(std::string_view repo_name);
    // Every repository name, sorted.
    Result<std::vector<std::string>> all_names();
    // Which of names are repositories and which repository groups, in one query (for URL
    // parsing: every prefix of a path that may name one is asked about at once).
    struct ExistingNames {
        std::vector<std::string> repos;
        std::vector<std::string> groups;
    };
    Result<ExistingNames> existing_repo_and_group_names(std::span<const std::string> names);
    // All repositories (or those owned by `owner_id`) with owner names, by lower-cased name.
    Result<std::vector<RepoListingRow>> listing(std::optional<int64_t> owner_id);

    // Inserts a repository row and returns its id; Errc::conflict when the name exists.
    Result<int64_t> create(const NewRepoRow& repo);
    // Adds a repo_to_perm row.
    Status grant_user(int64_t repo_id, int64_t user_id, int64_t permission_id);
    // Adds a users_group_repo_to_perm row.
    Status grant_user_group(int64_t repo_id, int64_t users_group_id, int64_t permission_id);
    // Adds a user_followings row (user follows repository, from now).
    Status add_follower(int64_t repo_id, int64_t user_id);
    // Number of repositories whose fork_id points at repo_id.
    Result<int64_t> count_forks(int64_t repo_id);
    // Sets fork_id NULL on the forks of repo_id.
    Status detach_forks(int64_t repo_id);
    // Deletes the repository row and every row that belongs to it (grants, followers, extra
    // fields, statistics, comments, statuses, pull requests from or to it); journal rows keep
    // their repository_name but lose the id. Forks must be detached first (foreign key).
    // Errc::not_found when there is no such row. Several statements: run it in a transaction.
    Status remove(int64_t repo_id);
    // Grants of the `default` user (default_user_id) and, when user_id is set, of that user and
    // of the active user groups it belongs to.
    Result<RepoGrantRows> grants(int64_t repo_id, int64_t default_user_id,
                                 std::optional<int64_t> user_id);
    // Sets changeset_cache (JSON text of the newest changeset) and updated_on = now.
    Status set_changeset_cache(int64_t repo_id, std::string_view json);
    // Repositories directly inside `group_id` (nullopt: top level), by name.
    Result<std::vector<RepoSummaryRow>> in_group(std::optional<int64_t> group_id);
    // Repository groups directly inside `parent_id` (nullopt: top level), by name.
    Result<std::vector<GroupSummaryRow>> groups_in(std::optional<int64_t> parent_id);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
