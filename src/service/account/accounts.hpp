// Login, logout and sessions: who a request belongs to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"

namespace kallithea::store {
struct UserRow;
}

namespace kallithea::service {

// The auth plugin name of Kallithea's own accounts (users.extern_type; NULL counts as this).
inline constexpr std::string_view kInternalPlugin = "internal";

// The login-eligibility rule, the one every auth plugin (internal, container, LDAP, PAM, Crowd)
// asks before it accepts a user: true only for an existing `user` that is active, is not the
// anonymous `default` user (which never logs in), and belongs to the plugin named `plugin`
// (its extern_type; an account without one belongs to "internal"). A plugin that refuses a
// user must answer exactly as for a wrong password.
bool login_eligible(const store::UserRow* user, std::string_view plugin);
// The part of that rule that holds for every way of acting as an account, whichever plugin it
// belongs to (API keys, password-reset links, being made an owner): `user` exists, is active
// and is not `default`.
bool account_usable(const store::UserRow* user);
// The two rules for the answer of a lookup (nullopt: no such user).
bool account_usable(const std::optional<store::UserRow>& user);
bool login_eligible(const std::optional<store::UserRow>& user, std::string_view plugin);

struct Session {
    std::string id;          // empty: no server-side session (anonymous visitor)
    std::string csrf_token;  // empty without a session
    AuthUser user;
    bool remember = false;
    int64_t expires_on = 0;  // unix seconds
};

// Logs in by username or email and password with the enabled auth plugins. Every failure
// (unknown user, wrong password, inactive user) is the same Errc::unauthorized with the same
// message, so the form cannot be used to probe accounts.
Result<Session> login(App& app, std::string_view identity, std::string_view password, bool remember,
                      std::string_view client_ip);

// Ends a session server-side; unknown ids are fine.
Status logout(App& app, std::string_view session_id);

// The session for a cookie value (may be empty or stale): the logged-in user, else the anonymous
// `default` user while it is active, else "nobody".
Result<Session> resolve_session(App& app, std::string_view session_id);

// Checks a username (or email) and password against the internal accounts without creating a
// session (for Basic auth on VCS requests). Same rules and single failure as login().
Result<AuthUser> authenticate_password(App& app, std::string_view identity,
                                       std::string_view password);

}  // namespace kallithea::service
