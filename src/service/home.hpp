// The start page's data: the repositories and repository groups a user can see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"

namespace kallithea::service {

struct RepoListItem {
    std::string name;  // full path, e.g. "group/sub/repo"
    std::string type;  // "git" or "hg"
    std::string description;
    bool is_private = false;
    std::string last_change;  // "YYYY-MM-DD HH:MM" or empty
};

struct GroupListItem {
    std::string name;  // full path
    std::string description;
};

struct HomeOverview {
    std::vector<GroupListItem> groups;
    std::vector<RepoListItem> repos;
};

// Top-level groups and repositories visible to `user`.
Result<HomeOverview> home_overview(App& app, const AuthUser& user);

// A repository group's page: its subgroups and repositories, like the start page.
struct GroupOverview {
    int64_t group_id = 0;
    std::string name;  // full path
    std::string description;
    std::vector<GroupListItem> parents;  // enclosing groups, outermost first
    bool can_create_repository = false;  // may add repositories to this group
    std::vector<GroupListItem> groups;
    std::vector<RepoListItem> repos;
};

// Errc::not_found when there is no such group.
Result<GroupOverview> group_overview(App& app, const AuthUser& user, std::string_view group_name);

// "YYYY-MM-DD HH:MM" of a repository's last change: the `date` of its changeset_cache JSON,
// else its updated_on; empty when neither is known.
std::string last_change_text(const std::optional<std::string>& changeset_cache,
                             const std::optional<std::string>& updated_on);

}  // namespace kallithea::service
