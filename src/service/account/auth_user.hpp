// Who is making a request, as the surfaces see it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kallithea::service {

struct AuthUser {
    std::optional<int64_t> user_id;  // empty only for "no user" (anonymous access is off)
    std::string username;            // "default" for anonymous visitors
    std::string firstname, lastname, email;
    bool admin = false;
    bool is_default = false;  // the anonymous `default` user

    // A real, logged-in account (not anonymous).
    bool authenticated() const { return user_id.has_value() && !is_default; }
    // Anonymous access is off and nobody is logged in.
    bool nobody() const { return !user_id.has_value(); }
};

}  // namespace kallithea::service
