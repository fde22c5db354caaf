// "My account": what a logged-in user may do with their own account (profile, password, lists
// of their repositories and permissions). Emails and API keys use service/users/user_admin.hpp.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "perm/levels.hpp"
#include "service/account/accounts.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"
#include "service/users/user_admin.hpp"

namespace kallithea::service {

struct MyProfileChange {
    std::string firstname, lastname, email;
};

// Saves names and email (fields the auth plugin manages keep their values). Errors as
// update_user(): invalid_argument / conflict with Error::field, not_found.
Status update_my_profile(App& app, const AuthUser& me, const MyProfileChange& change);

// Checks the current password, then stores the new one and ends the user's other sessions
// (keeping `session`). invalid_argument with Error::field "current_password" (wrong),
// "new_password" (too short, or managed by the auth plugin) or "password_confirmation".
Status change_my_password(App& app, const Session& session, std::string_view current_password,
                          std::string_view new_password, std::string_view confirmation);

// Repositories the user owns / follows, by name.
Result<std::vector<ObjectRef>> my_repositories(App& app, const AuthUser& me);
Result<std::vector<ObjectRef>> watched_repositories(App& app, const AuthUser& me);

struct RepoLevel {
    std::string name;
    perm::Level level = perm::Level::none;
};

struct MyPermissions {
    std::set<std::string> global;
    // Repositories the user owns or holds an explicit or group grant on, with the effective
    // level (all levels "admin" for admins).
    std::vector<RepoLevel> repositories;
};
Result<MyPermissions> my_permissions(App& app, const AuthUser& me);

}  // namespace kallithea::service
