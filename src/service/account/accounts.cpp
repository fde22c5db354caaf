// Login (internal auth plugin), logout and session resolution, with sessions in the database.
#include "service/account/accounts.hpp"

#include "service/account/auth_user_row.hpp"
#include "service/account/login_throttle.hpp"
#include "service/permissions/permissions.hpp"

#include "auth/password.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "db/pool.hpp"
#include "store/account/sessions.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

constexpr int64_t kRememberSeconds = 365 * 24 * 3600;
constexpr std::string_view kLoginFailed = "Invalid username or password";
// A bcrypt hash of a random password: checked when the user does not exist, so that unknown
// and known usernames take the same time.
const std::string& dummy_hash() {
    static const std::string hash = auth::hash_password(random::hex(16)).value_or("");
    return hash;
}

Result<std::optional<store::UserRow>> find_login_user(store::Users& users,
                                                      std::string_view identity) {
    auto by_name = users.by_username(identity);
    if (!by_name || *by_name || identity.find('@') == std::string_view::npos)
        return by_name;
    return users.by_email(identity);
}

// The internal plugin: an eligible account whose stored bcrypt hash matches `password`. The hash
// is checked even for an ineligible or unknown user (against a dummy), to take the same time.
bool internal_password_ok(const store::UserRow* user, std::string_view password) {
    const bool eligible = login_eligible(user, kInternalPlugin);
    const bool verified =
        auth::verify_password(password, eligible ? std::string_view(user->password) : dummy_hash());
    return eligible && verified;
}

Result<Session> anonymous_session(App& app) {
    auto user = app.anonymous_user();
    RETURN_IF_ERROR(user);
    Session session;
    session.user = std::move(*user);
    return session;
}

}  // namespace

bool account_usable(const store::UserRow* user) {
    return user && user->active && user->username != "default";
}

bool account_usable(const std::optional<store::UserRow>& user) {
    return account_usable(user ? &*user : nullptr);
}

bool login_eligible(const std::optional<store::UserRow>& user, std::string_view plugin) {
    return login_eligible(user ? &*user : nullptr, plugin);
}

bool login_eligible(const store::UserRow* user, std::string_view plugin) {
    return account_usable(user) &&
           user->extern_type.value_or(std::string(kInternalPlugin)) == plugin;
}

Result<Session> login(App& app, std::string_view identity, std::string_view password, bool remember,
                      std::string_view client_ip) {
    // Refused during a delay after repeated failures, even with the right password.
    LoginThrottle& throttle = login_throttle(app);
    if (const int64_t wait = throttle.wait_seconds(identity, client_ip); wait > 0)
        return fail(LoginThrottle::refusal(wait));
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    auto found = find_login_user(users, identity);
    RETURN_IF_ERROR(found);
    const store::UserRow* user = found->has_value() ? &**found : nullptr;
    if (!internal_password_ok(user, password)) {
        throttle.record_failure(identity, client_ip);
        return fail(Errc::unauthorized, std::string(kLoginFailed));
    }
    throttle.record_success(identity, client_ip);
    auto ip_ok = ip_allowed(app, user->user_id, client_ip);
    RETURN_IF_ERROR(ip_ok);
    if (!*ip_ok)
        return fail(Errc::forbidden, "Logging in from this IP address is not allowed");

    const int64_t now = timefmt::unix_now();
    store::SessionRow row;
    row.session_id = random::hex(32);
    row.user_id = user->user_id;
    row.csrf_token = random::hex(20);
    row.created_on = now;
    row.remember = remember;
    row.expires_on = now + (remember ? kRememberSeconds : app.config().session_timeout);
    store::Sessions sessions(*conn);
    RETURN_IF_ERROR(sessions.create(row));
    RETURN_IF_ERROR(users.set_last_login(user->user_id));
    (void)sessions.purge_expired(now);  // housekeeping; a failure here changes nothing

    Session session;
    session.id = row.session_id;
    session.csrf_token = row.csrf_token;
    session.user = auth_user_from_row(*user);
    session.remember = remember;
    session.expires_on = row.expires_on;
    return session;
}

Status logout(App& app, std::string_view session_id) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::Sessions(*conn).remove(session_id);
}

Result<Session> resolve_session(App& app, std::string_view session_id) {
    // Session ids are 64 hex characters; anything else cannot be ours.
    if (session_id.size() != 64)
        return anonymous_session(app);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Sessions sessions(*conn);
    const int64_t now = timefmt::unix_now();
    auto row = sessions.get(session_id, now);
    RETURN_IF_ERROR(row);
    if (!*row || !(*row)->user_id)
        return anonymous_session(app);
    auto user = store::Users(*conn).by_id(*(*row)->user_id);
    RETURN_IF_ERROR(user);
    if (!*user || !(*user)->active) {
        // The account was deactivated or deleted since: its sessions end.
        RETURN_IF_ERROR(sessions.remove(session_id));
        return anonymous_session(app);
    }
    // Sliding expiry for browser sessions, written at most every tenth of the lifetime.
    const int64_t lifetime = (*row)->remember ? kRememberSeconds : app.config().session_timeout;
    if ((*row)->expires_on - now < lifetime - lifetime / 10) {
        RETURN_IF_ERROR(sessions.touch(session_id, now + lifetime));
        (*row)->expires_on = now + lifetime;
    }
    Session session;
    session.id = (*row)->session_id;
    session.csrf_token = (*row)->csrf_token;
    session.user = auth_user_from_row(**user);
    session.remember = (*row)->remember;
    session.expires_on = (*row)->expires_on;
    return session;
}

Result<AuthUser> authenticate_password(App& app, std::string_view identity,
                                       std::string_view password) {
    Result<std::optional<store::UserRow>> found = std::optional<store::UserRow>();
    {
        // The session goes back to the pool before the (slow) bcrypt check.
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        store::Users users(*conn);
        found = find_login_user(users, identity);
    }
    RETURN_IF_ERROR(found);
    const store::UserRow* user = found->has_value() ? &**found : nullptr;
    if (!internal_password_ok(user, password))
        return fail(Errc::unauthorized, std::string(kLoginFailed));
    return auth_user_from_row(*user);
}

}  // namespace kallithea::service
