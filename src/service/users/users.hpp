// Creating accounts and setting passwords, with Kallithea's validation: one place for the admin
// pages, self-registration, the CLI and db-create.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/app.hpp"

namespace kallithea::service {

// Each gives Errc::invalid_argument with a message fit for a form or a CLI line.
// Usernames: 1-255 characters, letters, digits and _ - . @, starting with a letter or digit, and
// not a reserved name (`default`, `new_user`).
Status validate_username(std::string_view username);
// A plausible address: local@domain.tld, no spaces.
Status validate_email(std::string_view email);
// At least 6 and at most 1024 characters, no NUL (Errc::invalid_argument with a message for the
// form otherwise).
Status validate_password(std::string_view password);

struct NewAccount {
    std::string username, password, email, firstname, lastname;
    bool active = true;
    bool admin = false;
    std::string extern_type = "internal";  // the auth plugin owning the account
    std::string extern_name;               // "" -> the username
};

// Validates and creates the account (bcrypt hash) and returns its id. Errors:
// invalid_argument (validation; Error::field is "username", "password", "email",
// "firstname" or "lastname"), conflict ("A user with username X already exists", also for
// email: Error::field tells which), database.
Result<int64_t> create_user(App& app, const NewAccount& account);

// Validates and stores a new password (bcrypt). Errc::not_found for an unknown user id.
Status set_user_password(App& app, int64_t user_id, std::string_view password);

// The same for the account named `username` (exact name; user-set-password). Errc::not_found
// "no user named 'X'" for an unknown name and for `default`, before the password is validated.
Status set_user_password_by_name(App& app, std::string_view username, std::string_view password);

// One line of user-list.
struct AccountSummary {
    int64_t user_id = 0;
    std::string username, email;  // email "" when none
    bool active = false, admin = false;
    std::optional<std::string> last_login;  // "YYYY-MM-DD HH:MM:SS.ffffff"; nullopt: never
};

// Every account, the `default` user included, by id.
Result<std::vector<AccountSummary>> all_accounts(App& app);

}  // namespace kallithea::service
