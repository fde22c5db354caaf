// Implementation of service/account/registration.hpp.
#include "service/account/registration.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "auth/hmac.hpp"
#include "auth/password.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/account/accounts.hpp"
#include "service/mail/mail.hpp"
#include "store/account/sessions.hpp"
#include "store/permissions/grants.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

std::vector<std::string> admin_addresses(db::Connection& conn) {
    std::vector<std::string> out;
    auto users = store::Users(conn).list();
    if (!users)
        return out;
    for (const auto& user : *users)
        if (user.admin && user.active && user.email && !user.email->empty())
            out.push_back(*user.email);
    return out;
}

const Error& invalid_link_error() {
    static const Error error{
        Errc::invalid_argument, "This password reset link is invalid or has expired.", {}};
    return error;
}

// The account a valid link belongs to.
Result<store::UserRow> checked_user(App& app, db::Connection& conn, std::string_view email,
                                    std::string_view timestamp, std::string_view token) {
    int64_t when = 0;
    const auto [end, ec] =
        std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), when);
    const int64_t now = timefmt::unix_now();
    if (ec != std::errc() || end != timestamp.data() + timestamp.size() || when > now + 60 ||
        now - when > kResetTokenLifetime || email.empty() || token.size() != 40)
        return fail(invalid_link_error());
    auto user = store::Users(conn).by_email(email);
    RETURN_IF_ERROR(user);
    if (!login_eligible(*user, kInternalPlugin))
        return fail(invalid_link_error());
    const std::string expected =
        password_reset_token(app, (*user)->user_id, (*user)->password, email, when);
    if (!auth::constant_time_equal(expected, token))
        return fail(invalid_link_error());
    return std::move(**user);
}

// Someone registered with an address that has an account: its owner is told, the visitor
// learns nothing.
Result<Registered> email_in_use(App& app, const NewAccount& account) {
    log::info("registration of {} refused: the email address is in use", account.username);
    Mail mail;
    mail.to = {account.email};
    mail.subject = "Registration attempt with your email address";
    mail.body = fmt::format(
        "Someone tried to register a new account named {} with this email address, which "
        "already belongs to an account.\n\nIf this was you, log in to your existing account or "
        "reset its password. Otherwise you can ignore this mail.\n",
        account.username);
    if (auto sent = enqueue_mail(app, mail); !sent)
        log::error("mail to the owner of a registered address: {} ({})", sent.error().message,
                   sent.error().detail);
    Registered out;
    out.active = account.active;
    out.email_in_use = true;
    return out;
}

}  // namespace

Result<std::string> registration_mode(App& app) {
    auto def = app.default_user();
    RETURN_IF_ERROR(def);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto names = store::Grants(*conn).global(store::Grantee::user, def->user_id);
    RETURN_IF_ERROR(names);
    std::string mode = "hg.register.none";
    for (const char* value : {"hg.register.manual_activate", "hg.register.auto_activate"})
        if (std::find(names->begin(), names->end(), value) != names->end())
            mode = value;
    return mode;
}

Result<Registered> register_user(App& app, NewAccount account, bool by_admin) {
    auto mode = registration_mode(app);
    RETURN_IF_ERROR(mode);
    if (*mode == "hg.register.none" && !by_admin)
        return fail(Errc::forbidden, "Registration is disabled");
    account.active = *mode == "hg.register.auto_activate";
    account.admin = false;
    account.extern_type = "internal";
    auto id = create_user(app, account);
    if (!id && id.error().code == Errc::conflict && id.error().field == "email" && !by_admin)
        return email_in_use(app, account);
    RETURN_IF_ERROR(id);
    log::info("registered new user {} (id {}, {})", account.username, *id,
              account.active ? "active" : "awaiting activation");
    const auto base = mail_link_base(app.config());
    if (!base) {
        log_missing_canonical_url("registration notice to the administrators");
    } else if (auto conn = app.pool().acquire()) {
        Mail mail;
        mail.to = admin_addresses(*conn);
        mail.subject = fmt::format("New user registration: {}", account.username);
        mail.body = fmt::format(
            "A new user has registered.\n\nUsername: {}\nFull name: {} {}\nEmail: {}\n"
            "Status: {}\n\nAccount: {}/_admin/users/{}/edit\n",
            account.username, account.firstname, account.lastname, account.email,
            account.active ? "active" : "inactive, awaiting activation by an administrator", *base,
            *id);
        if (auto st = enqueue_mail(app, mail); !st)  // the account exists: not a failure
            log::error("registration notice not queued: {} ({})", st.error().message,
                       st.error().detail);
    }
    return Registered{*id, account.active};
}

std::string password_reset_token(App& app, int64_t user_id, std::string_view password_hash,
                                 std::string_view email, int64_t timestamp) {
    std::string secret = app.config().app_instance_uuid;
    if (secret.empty())
        secret = app.config().session_secret;
    std::string key = secret;
    key += '\0';
    key += password_hash;
    std::string message = std::to_string(user_id);
    message += '\0';
    message += email;
    message += '\0';
    message += std::to_string(timestamp);
    return auth::hmac_sha1_hex(key, message);
}

Status request_password_reset(App& app, std::string_view email) {
    if (!mail_link_base(app.config())) {
        log_missing_canonical_url("password reset mail");
        return ok();
    }
    return enqueue_password_reset(app, email);
}

Result<std::optional<Mail>> compose_password_reset(App& app, std::string_view email) {
    const auto base = mail_link_base(app.config());
    if (!base) {
        log_missing_canonical_url("password reset mail");
        return std::optional<Mail>();
    }
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto user = store::Users(*conn).by_email(email);
    RETURN_IF_ERROR(user);
    if (!account_usable(*user)) {
        log::info("password reset requested for unknown or inactive address {}", email);
        return std::optional<Mail>();
    }
    const store::UserRow& row = **user;
    Mail mail;
    mail.to = {std::string(email)};
    mail.subject = "Password reset link";
    if (row.extern_type.value_or("internal") != "internal") {
        mail.body = fmt::format(
            "Hello {},\n\nSomeone asked to reset the password of your account. Your password is "
            "managed by an external authentication service ({}), so it cannot be reset here; "
            "please contact your administrator.\n",
            row.username, row.extern_type.value_or(""));
        return mail;
    }
    const int64_t timestamp = timefmt::unix_now();
    const std::string token =
        password_reset_token(app, row.user_id, row.password, email, timestamp);
    const std::string link =
        fmt::format("{}/_admin/password_reset_confirmation?email={}&timestamp={}&token={}", *base,
                    url_encode(email), timestamp, token);
    mail.body = fmt::format(
        "Hello {},\n\nWe received a request to create a new password for your account.\n\n"
        "You can generate it by clicking the following URL (valid for 24 hours):\n\n{}\n\n"
        "Please ignore this email if you did not request a new password.\n",
        row.username, link);
    return mail;
}

Result<int64_t> check_password_reset(App& app, std::string_view email, std::string_view timestamp,
                                     std::string_view token) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto user = checked_user(app, *conn, email, timestamp, token);
    RETURN_IF_ERROR(user);
    return user->user_id;
}

Status complete_password_reset(App& app, std::string_view email, std::string_view timestamp,
                               std::string_view token, std::string_view new_password) {
    if (auto st = validate_password(new_password); !st)
        return fail_field("password", std::move(st.error()));
    auto hash = auth::hash_password(new_password);
    RETURN_IF_ERROR(hash);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    auto user = checked_user(app, *conn, email, timestamp, token);
    RETURN_IF_ERROR(user);
    if (auto st = store::Users(*conn).set_password(user->user_id, *hash); !st)
        return st;
    RETURN_IF_ERROR(store::Sessions(*conn).remove_for_user(user->user_id));
    if (auto st = tx->commit(); !st)
        return st;
    log::info("password of {} reset by email link", user->username);
    return ok();
}

}  // namespace kallithea::service
