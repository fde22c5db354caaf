// Implementation of service/users/users.hpp.
#include "service/users/users.hpp"

#include <fmt/format.h>

#include "auth/password.hpp"
#include "db/pool.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

Status validate_username(std::string_view name) {
    if (name.empty())
        return fail(Errc::invalid_argument, "A username is required");
    if (name.size() > 255)
        return fail(Errc::invalid_argument, "Usernames are at most 255 characters long");
    if (!alnum(name.front()))
        return fail(Errc::invalid_argument,
                    "Usernames must start with a letter or a digit and may contain letters, "
                    "digits and _ - . @");
    for (char c : name)
        if (!alnum(c) && c != '_' && c != '-' && c != '.' && c != '@')
            return fail(
                Errc::invalid_argument,
                fmt::format("Username '{}' may only contain letters, digits and _ - . @", name));
    if (name == "default" || name == "new_user")
        return fail(Errc::invalid_argument, fmt::format("Username '{}' is reserved", name));
    return ok();
}

Status validate_email(std::string_view email) {
    const auto at = email.find('@');
    const bool plausible = at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
                           email.find('@', at + 1) == std::string_view::npos &&
                           email.find('.', at + 2) != std::string_view::npos &&
                           email.back() != '.' && email.size() <= 255 &&
                           email.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos;
    if (!plausible)
        return fail(Errc::invalid_argument,
                    fmt::format("'{}' is not a valid email address", email));
    return ok();
}

Status validate_password(std::string_view password) {
    if (password.size() < 6)
        return fail(Errc::invalid_argument, "Passwords must be at least 6 characters long");
    if (password.size() > 1024)
        return fail(Errc::invalid_argument, "Passwords are at most 1024 characters long");
    // Kallithea refuses them too; crypt would cut the password at the NUL.
    if (password.find('\0') != std::string_view::npos)
        return fail(Errc::invalid_argument, "Passwords must not contain NUL characters");
    return ok();
}

Result<int64_t> create_user(App& app, const NewAccount& account) {
    if (auto st = validate_username(account.username); !st)
        return fail_field("username", std::move(st.error()));
    if (auto st = validate_password(account.password); !st)
        return fail_field("password", std::move(st.error()));
    if (auto st = validate_email(account.email); !st)
        return fail_field("email", std::move(st.error()));
    if (account.firstname.size() > 255 || account.lastname.size() > 255)
        return fail_field(Errc::invalid_argument,
                          account.firstname.size() > 255 ? "firstname" : "lastname",
                          "Names are at most 255 characters long");
    auto hash = auth::hash_password(account.password);
    RETURN_IF_ERROR(hash);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::NewUser row;
    row.username = account.username;
    row.password_hash = *hash;
    row.email = account.email;
    row.firstname = account.firstname;
    row.lastname = account.lastname;
    row.active = account.active;
    row.admin = account.admin;
    row.extern_type = account.extern_type;
    row.extern_name = account.extern_name.empty() ? account.username : account.extern_name;
    auto id = store::Users(*conn).create(row);
    if (!id && id.error().code == Errc::conflict) {
        const std::string& message = id.error().message;
        const bool email_taken = message.find("email") != std::string::npos &&
                                 message.find("username") == std::string::npos;
        return fail_field(email_taken ? "email" : "username", std::move(id.error()));
    }
    return id;
}

Status set_user_password(App& app, int64_t user_id, std::string_view password) {
    if (auto st = validate_password(password); !st)
        return st;
    auto hash = auth::hash_password(password);
    RETURN_IF_ERROR(hash);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::Users(*conn).set_password(user_id, *hash);
}

Status set_user_password_by_name(App& app, std::string_view username, std::string_view password) {
    int64_t user_id = 0;
    {
        // The session goes back to the pool before set_user_password takes one.
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        auto user = store::Users(*conn).by_username(username);
        RETURN_IF_ERROR(user);
        if (!*user || (*user)->username == "default")
            return fail(Errc::not_found, fmt::format("no user named '{}'", username));
        user_id = (*user)->user_id;
    }
    return set_user_password(app, user_id, password);
}

Result<std::vector<AccountSummary>> all_accounts(App& app) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto rows = store::Users(*conn).list();
    RETURN_IF_ERROR(rows);
    std::vector<AccountSummary> out;
    out.reserve(rows->size());
    for (auto& row : *rows)
        out.push_back({row.user_id, std::move(row.username), row.email.value_or(""), row.active,
                       row.admin, std::move(row.last_login)});
    return out;
}

}  // namespace kallithea::service
