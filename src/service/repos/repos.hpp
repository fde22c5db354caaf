// Creating, deleting and scanning repositories (and the repository groups they live in).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"

namespace kallithea::service {

struct NewRepo {
    std::string name;                        // full path ("team/tool"); relative to group_id if set
    std::optional<int64_t> group_id;         // parent group (the web form's repo_group)
    std::optional<std::string> type;         // "git" | "hg"; default: the default_repo_type setting
    std::string description;                 // empty: the repository's short name (as Kallithea)
    std::optional<bool> is_private;          // default: default_repo_private
    std::optional<std::string> landing_rev;  // "rev:tip" unless given ("type:name")
    std::optional<bool> enable_downloads;    // default: default_repo_enable_downloads
    bool copy_group_permissions = false;     // copy the parent group's grants instead of default
    std::optional<std::string> owner;        // username; only admins may name someone else
};

struct CreatedRepo {
    int64_t repo_id = 0;
    std::string name;  // full path
    std::string path;  // directory on disk
};

// Checks a landing revision "kind:name" (kind rev, branch, tag or book; a name of printable
// characters, 255 at most in all). Errc::invalid_argument with a message for the form otherwise.
Status check_landing_rev(std::string_view rev);

// Creates a repository: checks the name (service/repos/repo_names.hpp) and that neither a
// repository nor a group of that path exists (case-insensitively; also "x" vs "x.git"), checks the
// actor may create there (admins anywhere; others top-level only, with hg.create.repository),
// creates missing parent groups, runs `git init --bare`, and writes the rows (repository, the
// `default` user's grant, the owner following it, journal `started_following_repo` +
// `user_created_repo`) in one transaction. On any failure nothing is left behind, on disk or in the
// database. Errors: invalid_argument (bad name, type, landing revision, unknown group/owner),
// conflict (name taken, directory exists), forbidden, unavailable (Mercurial), io, database.
// Error::field names the form field at fault ("repo_name", "repo_group", "repo_type",
// "repo_landing_rev", "owner").
Result<CreatedRepo> create_repository(App& app, const AuthUser& actor, const NewRepo& repo,
                                      std::string_view client_ip);

// The first administrator: the account command-line repository commands act for.
// Errc::not_found when there is none.
Result<AuthUser> command_line_actor(App& app);

enum class ForkHandling { refuse, detach };

struct DeletedRepo {
    std::string name;
    std::optional<std::string> group_name;  // the group it was in
    std::string backup_path;                // empty when its directory was already gone
    int64_t detached_forks = 0;
};

// Deletes a repository the actor administers: renames its directory to
// rm__YYYYmmdd_HHMMSS_ffffff__<name> beside it, deletes its rows and journals
// `admin_deleted_repo`. Errc::conflict "Cannot delete repository X which still has forks" when
// forks point at it and `forks` is refuse; not_found / forbidden as authorize_repository.
Result<DeletedRepo> delete_repository(App& app, const AuthUser& actor, std::string_view name,
                                      ForkHandling forks, std::string_view client_ip);

struct GroupChoice {
    int64_t group_id = 0;
    std::string name;  // full path
};

// What the new-repository form offers the actor.
struct NewRepoForm {
    bool top_level_allowed = false;
    std::vector<GroupChoice> groups;  // groups the actor may create repositories in
    std::vector<std::string> types;   // repository types this build can create
    std::string default_type;
    bool default_private = false;
    bool default_downloads = false;
    std::optional<int64_t> parent_group;  // preselected group
};

// Errc::forbidden when the actor may create repositories nowhere, or not in `parent_group`;
// Errc::not_found for an unknown parent group.
Result<NewRepoForm> new_repository_form(App& app, const AuthUser& actor,
                                        std::optional<int64_t> parent_group);

struct AdminRepoItem {
    std::string name;
    std::string type;
    std::string description;
    std::string owner;
    bool is_private = false;
    std::string state;
    std::string last_change;  // "YYYY-MM-DD HH:MM" or empty
};

// The repository administration grid: every repository for admins; for others the ones they
// administer (repository.admin: owned, or granted to them or to an active user group they are
// in). Empty for visitors who are not logged in.
Result<std::vector<AdminRepoItem>> administered_repositories(App& app, const AuthUser& actor);

struct ScanSummary {
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::string> missing;        // rows without a repository on disk (not removed)
    std::vector<std::string> skipped;        // "path: reason" for directories that were not added
    std::vector<std::string> hooks_retired;  // "repo: hook" for Kallithea's Git hooks retired
};

// repo-scan: adds repositories found under the repository root that have no row (owned by the
// first admin, with the repository defaults and the `default` user's grant; missing parent
// groups are created), then refreshes their metadata. With remove_missing, deletes the rows of
// repositories whose directory is gone (their forks are detached). Skips hidden directories,
// rm__* backups and non-bare Git working copies.
Result<ScanSummary> scan_repositories(App& app, bool remove_missing);

// Every repository name, sorted (for repo-update-metadata without arguments).
Result<std::vector<std::string>> all_repository_names(App& app);

struct RemovedBackup {
    std::string path;                               // absolute
    std::chrono::system_clock::time_point deleted;  // from the name; epoch when unknown
};

// rm__* directories under the repository root (not inside repositories) deleted at least
// `older_than` ago (0: all).
Result<std::vector<RemovedBackup>> find_removed_backups(App& app, std::chrono::seconds older_than);
// Removes one backup directory for good; Errc::invalid_argument for a path that is not an
// rm__* directory under the repository root.
Status purge_removed_backup(App& app, const std::string& path);

}  // namespace kallithea::service
