// The start page's data: the repositories and repository groups a user can see.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"
#include "service/app.hpp"
#include "service/auth_user.hpp"

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

}  // namespace kallithea::service
