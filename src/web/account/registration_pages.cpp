// Self-registration (/_admin/register) and password reset by email (/_admin/password_reset,
// /_admin/password_reset_confirmation).
#include <variant>

#include "core/log.hpp"
#include "service/account/registration.hpp"
#include "web/form_values.hpp"
#include "web/routes.hpp"
#include "web/site.hpp"

namespace kallithea::web {
namespace {

// ---- registration

struct RegisterState {
    std::string username, email, firstname, lastname;
    Error error;  // of the failed attempt
};

http::Response register_form(const Ctx& ctx, int status, const std::string& mode,
                             const RegisterState& state) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("manual", mode != "hg.register.auto_activate")
        .set("username", state.username)
        .set("email", state.email)
        .set("firstname", state.firstname)
        .set("lastname", state.lastname);
    set_form_error(
        view, state.error,
        {"username", "password", "password_confirmation", "email", "firstname", "lastname"});
    return ctx.page(status, "register", "Sign up", std::move(view));
}

// The registration mode, or a response refusing the visitor.
std::variant<std::string, http::Response> allowed_mode(const Ctx& ctx) {
    auto mode = service::registration_mode(ctx.app);
    if (!mode)
        return server_failure(ctx, mode.error(), "registration mode");
    if (*mode == "hg.register.none" && !ctx.session.user.admin)
        return ctx.page(404, "register_disabled", "Sign up", View());
    return *mode;
}

http::Response show_register(Ctx& ctx) {
    auto mode = allowed_mode(ctx);
    if (auto* refused = std::get_if<http::Response>(&mode))
        return std::move(*refused);
    return register_form(ctx, 200, std::get<std::string>(mode), {});
}

http::Response submit_register(Ctx& ctx) {
    auto mode_or = allowed_mode(ctx);
    if (auto* refused = std::get_if<http::Response>(&mode_or))
        return std::move(*refused);
    const std::string mode = std::get<std::string>(mode_or);
    RegisterState state;
    state.username = trimmed(ctx.form_value("username").value_or(""));
    state.email = trimmed(ctx.form_value("email").value_or(""));
    state.firstname = trimmed(ctx.form_value("firstname").value_or(""));
    state.lastname = trimmed(ctx.form_value("lastname").value_or(""));
    const std::string password = ctx.form_value("password").value_or("");
    const std::string confirmation = ctx.form_value("password_confirmation").value_or("");
    if (password != confirmation) {
        state.error = {
            Errc::invalid_argument, "Passwords do not match", {}, "password_confirmation"};
        return register_form(ctx, 200, mode, state);
    }
    service::NewAccount account;
    account.username = state.username;
    account.password = password;
    account.email = state.email;
    account.firstname = state.firstname;
    account.lastname = state.lastname;
    auto registered = service::register_user(ctx.app, account, ctx.session.user.admin);
    if (!registered) {
        if (is_user_error(registered.error())) {
            state.error = std::move(registered.error());
            return register_form(ctx, 200, mode, state);
        }
        if (registered.error().code == Errc::forbidden)
            return ctx.page(404, "register_disabled", "Sign up", View());
        return server_failure(ctx, registered.error(), "registration");
    }
    if (!registered->email_in_use)
        log::info("request {}: new user {} registered from {}", ctx.req.request_id,
                  account.username, ctx.client_ip);
    if (registered->active)
        return ctx.redirect_flash("/_admin/login", "success",
                                  "You have successfully registered with Kallithea. You can "
                                  "log in now.");
    return ctx.redirect_flash("/_admin/login", "success",
                              "You have successfully registered. Your account awaits "
                              "activation by an administrator.");
}

// ---- password reset

http::Response reset_form(const Ctx& ctx, int status, bool sent, const std::string& email,
                          const std::string& error) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token).set("sent", sent).set("email", email);
    if (!error.empty())
        view.set("error_email", error);
    http::Response response = ctx.page(status, "password_reset", "Password reset", std::move(view));
    response.headers.set("Cache-Control", "no-store");
    return response;
}

http::Response show_password_reset(Ctx& ctx) {
    return reset_form(ctx, 200, ctx.req.query_param("sent").has_value(), {}, {});
}

http::Response submit_password_reset(Ctx& ctx) {
    const std::string email = trimmed(ctx.form_value("email").value_or(""));
    if (auto st = service::validate_email(email); !st)
        return reset_form(ctx, 200, false, email, st.error().message);
    // Links in the mail come from canonical_url only; the mail is composed off the request path.
    if (auto st = service::request_password_reset(ctx.app, email); !st)
        log::error("request {}: password reset mail: {} ({})", ctx.req.request_id,
                   st.error().message, st.error().detail);
    // The same answer whether or not the address belongs to an account.
    return ctx.redirect_flash(
        "/_admin/password_reset?sent=1", "success",
        "Your password reset link was sent (if an account uses that address)");
}

struct LinkParams {
    std::string email, timestamp, token;
};

http::Response confirmation_page(const Ctx& ctx, int status, const LinkParams& link,
                                 const std::string& invalid, const Error& error) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("email", link.email)
        .set("timestamp", link.timestamp)
        .set("token", link.token);
    if (!invalid.empty())
        view.set("invalid", invalid);
    set_form_error(view, error, {"password", "password_confirm"});
    http::Response response =
        ctx.page(status, "password_reset_confirmation", "Choose a new password", std::move(view));
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Referrer-Policy", "no-referrer");
    return response;
}

http::Response show_confirmation(Ctx& ctx) {
    LinkParams link{ctx.req.query_param("email").value_or(""),
                    ctx.req.query_param("timestamp").value_or(""),
                    ctx.req.query_param("token").value_or("")};
    auto user = service::check_password_reset(ctx.app, link.email, link.timestamp, link.token);
    if (!user) {
        if (user.error().code != Errc::invalid_argument)
            return server_failure(ctx, user.error(), "password reset link");
        return confirmation_page(ctx, 400, {}, user.error().message, {});
    }
    return confirmation_page(ctx, 200, link, {}, {});
}

http::Response submit_confirmation(Ctx& ctx) {
    LinkParams link{ctx.form_value("email").value_or(""), ctx.form_value("timestamp").value_or(""),
                    ctx.form_value("token").value_or("")};
    const std::string password = ctx.form_value("password").value_or("");
    const std::string confirm = ctx.form_value("password_confirm").value_or("");
    if (password != confirm) {
        auto user = service::check_password_reset(ctx.app, link.email, link.timestamp, link.token);
        if (!user)
            return confirmation_page(ctx, 400, {}, user.error().message, {});
        return confirmation_page(
            ctx, 200, link, {},
            {Errc::invalid_argument, "Passwords do not match", {}, "password_confirm"});
    }
    auto st =
        service::complete_password_reset(ctx.app, link.email, link.timestamp, link.token, password);
    if (!st) {
        if (st.error().field == "password")
            return confirmation_page(ctx, 200, link, {}, st.error());
        if (st.error().code == Errc::invalid_argument)
            return confirmation_page(ctx, 400, {}, st.error().message, {});
        return server_failure(ctx, st.error(), "password reset");
    }
    return ctx.redirect_flash("/_admin/login", "success",
                              "Your password has been changed. Please log in.");
}

}  // namespace

std::vector<RouteDef> registration_routes() {
    using M = http::Method;
    return {
        {{M::get, M::head}, "/_admin/register", Need::nothing, show_register},
        {{M::post}, "/_admin/register", Need::nothing, submit_register},
        {{M::get, M::head}, "/_admin/password_reset", Need::nothing, show_password_reset},
        {{M::post}, "/_admin/password_reset", Need::nothing, submit_password_reset},
        {{M::get, M::head},
         "/_admin/password_reset_confirmation",
         Need::nothing,
         show_confirmation},
        {{M::post}, "/_admin/password_reset_confirmation", Need::nothing, submit_confirmation},
    };
}

}  // namespace kallithea::web
