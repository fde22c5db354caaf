// Steps shared by creating a repository (repos.cpp) and adding one found on disk
// (repo_scan.cpp): repository defaults, parent groups, the rows of a new repository, and undoing
// directories made on disk when the database work fails. Internal to the service layer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"
#include "store/repos/repositories.hpp"

namespace kallithea::service::detail {

// The default_repo_* settings.
struct RepoDefaults {
    std::string type = "git";
    bool is_private = false;
    bool downloads = false;
    bool statistics = false;
};
Result<RepoDefaults> load_repo_defaults(db::Connection& conn);

// Repository types this build can create and serve.
bool repo_type_available(std::string_view type);

// The `default` user and its default grants for new repositories and groups.
struct DefaultGrants {
    int64_t user_id = 0;
    std::string repo_perm = "repository.read";
    std::string group_perm = "group.read";
};
Result<DefaultGrants> load_default_grants(db::Connection& conn);

// The first admin by id (owner of repositories found by repo-scan). Errc::not_found if none.
struct UserRef {
    int64_t user_id = 0;
    std::string username;
};
Result<UserRef> first_admin(db::Connection& conn);

// Finds or creates the groups that hold repository `name` (rows with the `default` user's grant;
// directories are made by the caller). Returns the innermost group id (nullopt: top level) and
// appends the paths of groups it created to `created`. Errc::conflict when a parent path is a
// repository, or a group of that path exists with different letter case.
Result<std::optional<int64_t>> ensure_parent_groups(db::Connection& conn, std::string_view name,
                                                    int64_t owner_id, const DefaultGrants& defaults,
                                                    std::vector<std::string>* created);

// Inserts a repository row with its grants (the `default` user's, or the parent group's copied
// when copy_group_id is set), the owner following it and the journal rows
// (`started_following_repo`, then `user_created_repo` when journal_created).
struct RepoRowsSpec {
    store::NewRepoRow row;
    std::string owner_username;
    std::string client_ip;
    bool journal_created = true;
    std::optional<int64_t> copy_group_id;
};
Result<int64_t> insert_repository_rows(db::Connection& conn, const RepoRowsSpec& spec,
                                       const DefaultGrants& defaults);

// An empty repository of `type` at path (which must not exist yet), made by that type's VCS
// backend (Git: `git init --bare`). Errc::io with the VCS's stderr in detail; Errc::unavailable
// for a type this build cannot create.
Status init_repository(std::string_view type, const std::filesystem::path& path);

// Directories made for a repository that is being created; removed again on destruction unless
// keep() was called (the repository directory with its content, group directories if empty).
class DiskUndo {
public:
    DiskUndo() = default;
    DiskUndo(const DiskUndo&) = delete;
    DiskUndo& operator=(const DiskUndo&) = delete;
    ~DiskUndo();
    // Creates each missing directory of `dirs` (outermost first), remembering the new ones.
    // Errc::io when one cannot be made or a non-directory is in the way.
    Status make_dirs(const std::vector<std::filesystem::path>& dirs);
    void add_repository(std::filesystem::path path) { repo_ = std::move(path); }
    void keep() { kept_ = true; }

private:
    std::vector<std::filesystem::path> dirs_;
    std::optional<std::filesystem::path> repo_;
    bool kept_ = false;
};

}  // namespace kallithea::service::detail
