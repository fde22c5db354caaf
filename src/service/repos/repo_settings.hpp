// A repository's settings pages: the settings tab (rename / move, description, private, landing
// revision, owner, downloads) and "fork of" on the advanced tab.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"
#include "service/repos/repos.hpp"

namespace kallithea::service {

struct RepoSettingsData {
    int64_t repo_id = 0;
    std::string name;       // full path
    std::string just_name;  // last segment
    std::optional<int64_t> group_id;
    std::string description;
    bool is_private = false;
    std::string landing_rev;  // "type:name"
    std::string owner;        // username
    bool downloads = false;
    bool top_level_allowed = false;            // may move it to the top level
    std::vector<GroupChoice> groups;           // groups it may be moved to (and its own)
    std::vector<std::string> landing_choices;  // "rev:tip", "branch:x", "tag:y"
    std::optional<std::string> fork_of;        // name of the repository it is a fork of
    std::vector<std::string> fork_choices;     // readable repositories of the same type
};

// What the settings pages show; not_found / forbidden as authorize_repository (admin needed).
Result<RepoSettingsData> repo_settings(App& app, const AuthUser& actor, std::string_view name);

struct RepoSettingsChange {
    std::string name;  // new last segment
    std::optional<int64_t> group_id;
    std::string description;
    bool is_private = false;
    std::string landing_rev;
    std::string owner;  // username
    bool downloads = false;
};

// Updates the settings in one transaction; a new name or group moves the directory in the
// repository root (moved back if the database write fails). Moving needs group.write on the
// target group (top level: hg.create.repository), or admin; the target group must exist.
// Turning private sets the `default` user's row to repository.none, turning public to the
// default repository permission. Returns the (new) full name. Errors: invalid_argument /
// conflict with Error::field ("repo_name", "repo_group", "repo_landing_rev", "owner"),
// forbidden, not_found, io, database.
Result<std::string> update_repo_settings(App& app, const AuthUser& actor, std::string_view name,
                                         const RepoSettingsChange& change,
                                         std::string_view client_ip);

// Marks the repository as a fork of `fork_of` (a repository the actor can read, not itself, of
// the same type), or detaches it (nullopt / empty). invalid_argument for a bad target.
Status set_repo_fork_of(App& app, const AuthUser& actor, std::string_view name,
                        const std::optional<std::string>& fork_of);

}  // namespace kallithea::service
