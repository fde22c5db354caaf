// The `default` user's settings that act as site-wide defaults (admin pages /_admin/permissions
// and /_admin/defaults): anonymous access, default levels for new objects, the global grants
// (registration, external activation, repository / user-group creation, forking), the global
// IP whitelist, and the repository defaults in the settings table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/app.hpp"

namespace kallithea::service {

struct DefaultPermissions {
    bool anonymous_access = false;                                // users.active of `default`
    std::string repository = "repository.read";                   // repository.*
    std::string repo_group = "group.read";                        // group.*
    std::string user_group = "usergroup.read";                    // usergroup.*
    std::string registration = "hg.register.manual_activate";     // hg.register.*
    std::string extern_activate = "hg.extern_activate.auto";      // hg.extern_activate.*
    std::string create_repository = "hg.create.repository";       // hg.create.*
    std::string create_user_group = "hg.usergroup.create.false";  // hg.usergroup.create.*
    std::string fork = "hg.fork.repository";                      // hg.fork.*
};

// The allowed values of each field, in display order.
const std::vector<std::string>& default_permission_choices(std::string_view field);

Result<DefaultPermissions> load_default_permissions(App& app);

struct ApplyToExisting {
    bool repositories = false;  // overwrite `default` on every public repository
    bool repo_groups = false;
    bool user_groups = false;
};

// Validates every value (Errc::invalid_argument naming the field in Error::field: one of
// "repository", "repo_group", "user_group", "registration", "extern_activate",
// "create_repository", "create_user_group", "fork"), then writes everything in one transaction
// and drops the app's caches.
Status save_default_permissions(App& app, const DefaultPermissions& values,
                                const ApplyToExisting& apply);

// The `default` user's effective global permission names (sorted).
Result<std::vector<std::string>> default_user_global_permissions(App& app);

struct GlobalIpEntry {
    int64_t ip_id = 0;
    std::string ip_addr;
    bool active = true;
};

// The global IP whitelist (the `default` user's user_ip_map rows).
Result<std::vector<GlobalIpEntry>> global_ip_whitelist(App& app);
// Adds a network. Errc::invalid_argument for a malformed one; Errc::conflict when it is listed
// already; Errc::forbidden when `client_ip` (with `actor_id`'s own entries) would be locked out.
Status add_global_ip(App& app, std::string_view network, int64_t actor_id,
                     std::string_view client_ip);
// Removes an entry (Errc::not_found for an unknown id); Errc::forbidden on self-lockout.
Status delete_global_ip(App& app, int64_t ip_id, int64_t actor_id, std::string_view client_ip);

struct RepoDefaultSettings {
    std::string type = "git";  // default_repo_type: git | hg
    bool is_private = false;   // default_repo_private
    bool enable_downloads = false;
    bool enable_statistics = false;
};

Result<RepoDefaultSettings> load_repo_default_settings(App& app);
// Errc::invalid_argument for a type other than git / hg.
Status save_repo_default_settings(App& app, const RepoDefaultSettings& defaults);

}  // namespace kallithea::service
