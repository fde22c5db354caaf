// Self-registration and password reset by email (Kallithea's /_admin/register and
// /_admin/password_reset).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "service/app.hpp"
#include "service/users.hpp"

namespace kallithea::service {

// The `default` user's hg.register.* grant: "hg.register.none", ".manual_activate" or
// ".auto_activate".
Result<std::string> registration_mode(App& app);

struct Registered {
    int64_t user_id = 0;
    bool active = false;  // false: an administrator has to activate the account
    // The address belongs to an account already: nothing was created, its owner was told by
    // mail; the visitor is to get the same answer as for a new account (no address probing).
    bool email_in_use = false;
};

// Creates the account (validation as service::create_user, `failed_field` likewise), active
// when registration is auto_activate, and emails the administrators. Errc::forbidden when
// registration is disabled (unless `by_admin`). A taken user name is an error (names are
// public); a taken email is not (see Registered::email_in_use).
Result<Registered> register_user(App& app, NewAccount account, bool by_admin,
                                 std::string* failed_field = nullptr);

// Token validity.
inline constexpr int64_t kResetTokenLifetime = 24 * 3600;

// The reset token: hex HMAC-SHA1 keyed by app_instance_uuid (or session.secret) and the user's
// password hash, over the browser nonce, user id, email and timestamp.
std::string password_reset_token(App& app, int64_t user_id, std::string_view password_hash,
                                 std::string_view email, int64_t timestamp, std::string_view nonce);

// Mails a reset link ("<base_url>/_admin/password_reset_confirmation?...") to the account with
// that address, or, when its password is managed elsewhere, a mail saying so. Unknown or
// inactive addresses send nothing and are not an error (the page must not tell).
Status request_password_reset(App& app, std::string_view email, std::string_view nonce,
                              std::string_view base_url);

// Checks a link's token; Errc::invalid_argument ("invalid or expired") when it does not match,
// is older than 24 hours or names no active account. Returns the user id.
Result<int64_t> check_password_reset(App& app, std::string_view email, std::string_view timestamp,
                                     std::string_view token, std::string_view nonce);

// Checks the token again, validates the password (Errc::invalid_argument, message for the form;
// `bad_password` tells the two apart), sets it and ends all the user's sessions, in one
// transaction.
Status complete_password_reset(App& app, std::string_view email, std::string_view timestamp,
                               std::string_view token, std::string_view nonce,
                               std::string_view new_password, bool* bad_password = nullptr);

}  // namespace kallithea::service
