// Login and logout pages (/_admin/login, /_admin/logout; logging out only by POST).
#include "core/log.hpp"
#include "service/account/login_throttle.hpp"
#include "web/form_values.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

constexpr int64_t kRememberSeconds = 365 * 24 * 3600;

// `came_from` must be a path on this server: "/x", never "//host", "/\host" or "http:...".
std::string safe_came_from(const Ctx& ctx) {
    std::string target = ctx.req.query_param("came_from").value_or("");
    if (auto posted = ctx.form_value("came_from"))
        target = *posted;
    if (target.empty() || target[0] != '/' || target.starts_with("//") || target.starts_with("/\\"))
        return ctx.url("/");
    for (unsigned char c : target)
        if (c < 0x20 || c == 0x7f || c == '\\')
            return ctx.url("/");
    return ctx.url(target);
}

std::string cookie(const Ctx& ctx, const std::string& value, int64_t max_age) {
    const config::AppConfig& config = ctx.app.config();
    std::string text = config.session_key + "=" + value +
                       "; Path=" + (ctx.req.script_name.empty() ? "/" : ctx.req.script_name) +
                       "; HttpOnly; SameSite=Lax";
    if (ctx.https || config.session_secure)
        text += "; Secure";
    if (max_age >= 0)
        text += "; Max-Age=" + std::to_string(max_age);
    return text;
}

http::Response login_form(const Ctx& ctx, int status, const std::string& error,
                          const std::string& username, bool remember) {
    View view;
    view.set("username", username)
        .set("remember", remember)
        .set("csrf_token", ctx.session.csrf_token);
    if (!error.empty())
        view.set("error", error);
    if (auto came_from = ctx.req.query_param("came_from"))
        view.set("form_query", "?came_from=" + http::percent_encode(*came_from, true));
    return ctx.page(status, "login", "Log in", std::move(view));
}

}  // namespace

http::Response show_login(Ctx& ctx) {
    if (ctx.session.user.authenticated())
        return http::Response::redirect(safe_came_from(ctx));
    return login_form(ctx, 200, {}, {}, false);
}

http::Response submit_login(Ctx& ctx) {
    const std::string username = ctx.form_value("username").value_or("");
    const std::string password = ctx.form_value("password").value_or("");
    const bool remember = truthy(ctx.form_value("remember"));  // Kallithea's StringBoolean
    if (username.empty() || password.empty())
        return login_form(ctx, 200, "Please enter a username and a password.", username, remember);
    // After repeated failures: refused, even with the right password, until the delay is over.
    if (const int64_t wait = service::login_throttle(ctx.app).wait_seconds(username, ctx.client_ip);
        wait > 0) {
        log::warn("request {}: login of '{}' from {} refused: throttled for {} s",
                  ctx.req.request_id, username.substr(0, 100), ctx.client_ip, wait);
        http::Response response =
            login_form(ctx, 429, service::LoginThrottle::refusal(wait).message, username, remember);
        response.headers.set("Retry-After", std::to_string(wait));
        return response;
    }
    auto session = service::login(ctx.app, username, password, remember, ctx.client_ip);
    if (!session) {
        if (session.error().code == Errc::forbidden) {
            log::warn("request {}: login of '{}' refused: address {} not whitelisted",
                      ctx.req.request_id, username, ctx.client_ip);
            return login_form(ctx, 403, session.error().message, username, remember);
        }
        if (session.error().code != Errc::unauthorized) {
            log::error("request {}: login failed: {} ({})", ctx.req.request_id,
                       session.error().message, session.error().detail);
            return login_form(ctx, 503, "Logging in is not possible right now.", username,
                              remember);
        }
        log::info("request {}: failed login for '{}' from {}", ctx.req.request_id, username,
                  ctx.client_ip);
        return login_form(ctx, 200, session.error().message, username, remember);
    }
    ctx.req.log_user = session->user.username;
    http::Response response = http::Response::redirect(safe_came_from(ctx));
    // "Remember me" keeps the cookie a year; otherwise it lasts as long as the browser session
    // (the server still expires it after session.timeout).
    response.headers.add("Set-Cookie", cookie(ctx, session->id, remember ? kRememberSeconds : -1));
    response.headers.set("Cache-Control", "no-store");
    return response;
}

// GET shows a button that POSTs the form (with the CSRF token, which the dispatcher checks): a
// link or image elsewhere must not end the session.
http::Response submit_logout(Ctx& ctx) {
    if (ctx.req.method != http::Method::post) {
        if (!ctx.session.user.authenticated())
            return http::Response::redirect(ctx.url("/"));
        View view;
        view.set("csrf_token", ctx.session.csrf_token);
        return ctx.page(200, "logout", "Log out", std::move(view));
    }
    if (!ctx.session.id.empty()) {
        if (auto done = service::logout(ctx.app, ctx.session.id); !done)
            log::error("request {}: logout: {} ({})", ctx.req.request_id, done.error().message,
                       done.error().detail);
    }
    http::Response response = http::Response::redirect(ctx.url("/"));
    response.headers.add("Set-Cookie", cookie(ctx, "", 0));
    response.headers.set("Cache-Control", "no-store");
    return response;
}

}  // namespace kallithea::web
