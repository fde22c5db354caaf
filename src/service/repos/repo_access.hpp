// Finding a repository and checking what the requesting user may do with it: the one place
// surfaces go through before touching a repository.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "perm/levels.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {

// What surfaces see about a repository, with the requester's effective level.
struct RepoInfo {
    int64_t repo_id = 0;
    std::string name;  // full path, e.g. "group/repo"
    std::string type;  // "git" or "hg"
    std::string description;
    bool is_private = false;
    bool downloads = false;
    std::string landing_rev;  // revision name from landing_revision ("tip" for "rev:tip")
    int64_t owner_id = 0;
    std::string created_on;
    std::optional<std::string> changeset_cache;
    std::string path;  // absolute directory on disk
    perm::Level level = perm::Level::none;
};

// True when a repository row of that name exists (no permission check; for URL parsing).
// Also true for Kallithea's permanent form "_<repo_id>".
Result<bool> repository_exists(App& app, std::string_view name);

// Which of names are repositories and which repository groups, in one query: for URL parsing,
// where each prefix of a path may name one. Permanent "_<repo_id>" names count as repositories
// when that id exists (one more query each).
struct ExistingNames {
    std::vector<std::string> repos;
    std::vector<std::string> groups;
};
Result<ExistingNames> existing_names(App& app, const std::vector<std::string>& names);

// Loads the repository and the user's effective level on it. Errc::not_found when it does not
// exist or the user may not read it (the two look the same); Errc::forbidden when the user may
// read it but needs more than `need`.
Result<RepoInfo> authorize_repository(App& app, const AuthUser& user, std::string_view name,
                                      perm::Level need);

// Opens the repository on disk; Errc::not_found when the directory is gone.
Result<std::unique_ptr<vcs::Repository>> open_repository(const RepoInfo& repo);

// The repository root (ui paths '/').
Result<std::string> repository_root(App& app);

}  // namespace kallithea::service
