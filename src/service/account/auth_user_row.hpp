// Service-internal: the AuthUser a `users` row stands for (shared by web login and VCS auth).
#pragma once

#include "service/account/auth_user.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {

inline AuthUser auth_user_from_row(const store::UserRow& row) {
    AuthUser user;
    user.user_id = row.user_id;
    user.username = row.username;
    user.firstname = row.firstname;
    user.lastname = row.lastname;
    user.email = row.email.value_or("");
    user.admin = row.admin;
    user.is_default = row.username == "default";
    return user;
}

}  // namespace kallithea::service
