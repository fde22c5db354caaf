// Self-registration and password reset by email (Kallithea's /_admin/register and
// /_admin/password_reset).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "service/app.hpp"
#include "service/mail/mail.hpp"
#include "service/users/users.hpp"

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

// Creates the account (validation as service::create_user, Error::field likewise), active
// when registration is auto_activate, and queues a mail to the administrators (with a link to the
// account's page; not sent, and logged, while canonical_url is not set). Errc::forbidden when
// registration is disabled (unless `by_admin`). A taken user name is an error (names are
// public); a taken email is not (see Registered::email_in_use).
Result<Registered> register_user(App& app, NewAccount account, bool by_admin);

// Token validity (Kallithea's password_reset_token_lifetime).
inline constexpr int64_t kResetTokenLifetime = 24 * 3600;

// The reset token: hex HMAC-SHA1 keyed by app_instance_uuid (or session.secret) and the user's
// current password hash, over the user id, email and timestamp. It depends on server secrets and
// the account only, so a link works in any browser and dies when the password changes.
std::string password_reset_token(App& app, int64_t user_id, std::string_view password_hash,
                                 std::string_view email, int64_t timestamp);

// Queues a reset mail for the account with that address (looked up later by the mail sender, so
// this costs the same for any address). When canonical_url is not set nothing is queued and the
// admin is told in the log. Never says whether the address is known.
Status request_password_reset(App& app, std::string_view email);

// The reset mail for `email` as the mail sender sends it: a link
// "<canonical_url>/_admin/password_reset_confirmation?email=&timestamp=&token=", or for an account
// whose password is managed elsewhere a mail saying so. nullopt for an unknown or inactive
// address, or when canonical_url is not set (logged).
Result<std::optional<Mail>> compose_password_reset(App& app, std::string_view email);

// Checks a link's token; Errc::invalid_argument ("invalid or expired") when it does not match,
// is older than 24 hours or names no active account. Returns the user id.
Result<int64_t> check_password_reset(App& app, std::string_view email, std::string_view timestamp,
                                     std::string_view token);

// Checks the token again, validates the password (Errc::invalid_argument, message for the form;
// Error::field is "password" for a bad password, empty for a bad link), sets it and ends all the
// user's sessions, in one transaction.
Status complete_password_reset(App& app, std::string_view email, std::string_view timestamp,
                               std::string_view token, std::string_view new_password);

}  // namespace kallithea::service
