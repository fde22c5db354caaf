// Page assembly: the layout around a rendered template, and form access.
#include "web/context.hpp"

#include "core/log.hpp"
#include "core/version.hpp"
#include "perm/levels.hpp"
#include "service/mail/mail.hpp"
#include "web/account/prelogin_csrf.hpp"
#include "web/site.hpp"

namespace kallithea::web {
namespace {

std::string flash_cookie(const Ctx& ctx, std::string_view value, int max_age) {
    std::string path = ctx.req.script_name.empty() ? "/" : ctx.req.script_name;
    std::string out = std::string(kFlashCookie) + "=" + std::string(value) + "; Path=" + path +
                      "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax";
    if (ctx.https)
        out += "; Secure";
    return out;
}

// The pending flash message of the request ("kind:message", percent-encoded), if any.
std::optional<std::pair<std::string, std::string>> pending_flash(const Ctx& ctx) {
    const std::string raw = session_cookie_value(ctx.req, std::string(kFlashCookie));
    if (raw.empty())
        return std::nullopt;
    const std::string text = http::percent_decode(raw).value_or("");
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    std::string kind = text.substr(0, colon);
    if (kind != "success" && kind != "error")
        kind = "error";
    return std::make_pair(std::move(kind), text.substr(colon + 1, 1000));
}

// Puts a pending flash message on the page's layout; true when there was one (its cookie is then
// to be expired with the response).
bool take_flash(const Ctx& ctx, View& layout) {
    auto flash = pending_flash(ctx);
    if (!flash)
        return false;
    View f;
    f.set("kind", flash->first).set("message", flash->second);
    layout.set("flash", std::move(f));
    return true;
}

}  // namespace

http::Response Ctx::redirect_flash(std::string_view path, std::string_view kind,
                                   std::string_view message) const {
    http::Response response = http::Response::redirect(url(path), 303);
    response.headers.add(
        "Set-Cookie",
        flash_cookie(
            *this, http::percent_encode(std::string(kind) + ":" + std::string(message), true), 60));
    return response;
}

http::Response server_failure(const Ctx& ctx, const Error& error, std::string_view what) {
    log::error("request {}: {}: {} ({})", ctx.req.request_id, what, error.message, error.detail);
    return http::Response::html(error.code == Errc::unavailable ? 503 : 500, {});
}

http::Response service_failure(const Ctx& ctx, const Error& error, std::string_view what) {
    switch (error.code) {
        case Errc::not_found:
            return http::Response::html(404, {});
        case Errc::forbidden:
        case Errc::unauthorized:
            return http::Response::html(403, {});
        default:
            return server_failure(ctx, error, what);
    }
}

std::optional<std::string> Ctx::form_value(std::string_view name) const {
    for (const auto& [key, value] : form)
        if (key == name)
            return value;
    return std::nullopt;
}

View layout_view(const Ctx* ctx, service::App& app, std::string_view title,
                 std::string_view page_id) {
    View view;
    std::string site_title = "Kallithea";
    if (auto settings = app.settings(); settings && !settings->title.empty())
        site_title = settings->title;
    view.set("site_title", site_title)
        .set("title", std::string(title))
        .set("page", std::string(page_id))
        .set("asset_version", asset_version())
        .set("version", std::string(kVersion));
    if (ctx) {
        view.set("base", ctx->req.script_name);
        if (ctx->session.user.authenticated()) {
            View user;
            user.set("username", ctx->session.user.username)
                .set("csrf_token", ctx->session.csrf_token)
                .set("admin", ctx->session.user.admin);
            view.set("user", std::move(user));
            // Admins learn why reset and registration mails are not sent.
            if (ctx->session.user.admin && !service::mail_link_base(app.config()))
                view.set("mail_links_off", true);
        }
        if (ctx->req.path != "/_admin/login" && ctx->req.method == http::Method::get) {
            std::string target = ctx->req.path;
            if (!ctx->req.raw_query.empty())
                target += "?" + ctx->req.raw_query;
            view.set("login_query", "?came_from=" + http::percent_encode(target, true));
        }
    }
    return view;
}

void add_html_headers(http::Response& response) {
    // Scripts only from our own files (no inline scripts or on* handlers in templates).
    response.headers.set("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self'; "
                         "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
                         "form-action 'self'; frame-ancestors 'self'");
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("X-Frame-Options", "SAMEORIGIN");
    response.headers.set("Referrer-Policy", "same-origin");
    response.headers.set("Cache-Control", "no-cache");
}

http::Response Ctx::page(int status, std::string_view template_name, std::string_view title,
                         View view) const {
    view.set("base", req.script_name);
    View layout = layout_view(this, app, title, template_name);
    const bool flashed = take_flash(*this, layout);
    layout.set("content", render(template_name, view));
    http::Response response = http::Response::html(status, render("layout", layout));
    if (flashed)
        response.headers.add("Set-Cookie", flash_cookie(*this, "", 0));
    // An anonymous visitor's page may hold a form: its token needs the pre-login cookie.
    if (session.id.empty() && !session.csrf_token.empty() &&
        prelogin_value(req, app.config()) != session.csrf_token)
        response.headers.add("Set-Cookie",
                             prelogin_set_cookie(req, app.config(), https, session.csrf_token));
    add_html_headers(response);
    return response;
}

std::string Ctx::repo_url(std::string_view suffix) const {
    std::string out = url("/" + http::percent_encode(repo ? repo->name : params.at("repo"), true));
    if (!suffix.empty())
        out += "/" + std::string(suffix);
    return out;
}

http::Response Ctx::repo_page(int status, std::string_view template_name, std::string_view title,
                              std::string_view tab, View view) const {
    view.set("base", req.script_name);
    View header;
    std::vector<View> crumbs;
    std::string prefix;
    const std::string& name = repo->name;
    size_t start = 0;
    while (true) {
        const auto slash = name.find('/', start);
        if (slash == std::string::npos)
            break;
        prefix = name.substr(0, slash);
        View crumb;
        crumb.set("name", name.substr(start, slash - start))
            .set("url", url("/" + http::percent_encode(prefix, true)));
        crumbs.push_back(std::move(crumb));
        start = slash + 1;
    }
    std::vector<View> tabs;
    auto add_tab = [&](const char* id, const char* label, std::string_view suffix) {
        View t;
        t.set("id", id).set("label", label).set("url", repo_url(suffix)).set("active", tab == id);
        tabs.push_back(std::move(t));
    };
    add_tab("summary", "Summary", "");
    add_tab("changelog", "Changelog", "changelog");
    add_tab("files", "Files", "files/" + http::percent_encode(repo->landing_rev) + "/");
    add_tab("compare", "Compare", "compare");
    if (perm::at_least(repo->level, perm::Level::admin))
        add_tab("settings", "Settings", "settings");
    header.set("repo_name", name)
        .set("short_name", name.substr(start))
        .set("repo_type", repo->type)
        .set("private", repo->is_private)
        .set("crumbs", std::move(crumbs))
        .set("tabs", std::move(tabs))
        .set("home_url", url("/"));
    std::string content = render("repo_header", header) + render(template_name, view);
    View layout = layout_view(this, app, std::string(title) + " · " + name, template_name);
    const bool flashed = take_flash(*this, layout);
    layout.set("content", std::move(content));
    http::Response response = http::Response::html(status, render("layout", layout));
    if (flashed)
        response.headers.add("Set-Cookie", flash_cookie(*this, "", 0));
    add_html_headers(response);
    return response;
}

}  // namespace kallithea::web
