// Request dispatch for the web pages: route lookup, session, the declared-permission gate, CSRF.
#include "web/site.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

#include "auth/password.hpp"
#include "core/log.hpp"
#include "core/text.hpp"
#include "http/client_address.hpp"
#include "perm/levels.hpp"
#include "service/permissions.hpp"
#include "service/repo_access.hpp"
#include "service/repo_state.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

constexpr size_t kMaxFormBytes = 4 * 1024 * 1024;
constexpr std::string_view kCsrfField = "_session_csrf_secret_token";

std::string explanation_for(int status) {
    switch (status) {
        case 400:
            return "The request could not be understood.";
        case 401:
            return "You need to log in to see this page.";
        case 403:
            return "You are not allowed to do this.";
        case 404:
            return "There is nothing at this address.";
        case 405:
            return "This address does not accept that kind of request.";
        case 413:
            return "The request is larger than this server accepts.";
        case 431:
            return "The request headers are too large.";
        case 500:
            return "Something went wrong on the server. The error has been logged.";
        case 503:
            return "The server is busy or shutting down. Try again shortly.";
        default:
            return "The request could not be completed.";
    }
}

http::Response redirect_to_login(const http::Request& req) {
    std::string target = req.path;
    if (!req.raw_query.empty())
        target += "?" + req.raw_query;
    return http::Response::redirect(
        req.script_name + "/_admin/login?came_from=" + http::percent_encode(target, true));
}

std::optional<perm::Level> repo_need(Need need) {
    switch (need) {
        case Need::repo_read:
            return perm::Level::read;
        case Need::repo_write:
            return perm::Level::write;
        case Need::repo_admin:
            return perm::Level::admin;
        default:
            return std::nullopt;
    }
}

// The page for a refused object permission: 404 when missing or unreadable, 403 (or login for
// anonymous visitors) when not enough, 503 on database trouble.
http::Response refusal(const Ctx& ctx, const Site& site, const Error& error,
                       std::string_view what) {
    if (error.code == Errc::not_found)
        return site.error_page(404, ctx.req.request_id);
    if (error.code == Errc::forbidden) {
        if (!ctx.session.user.authenticated())
            return redirect_to_login(ctx.req);
        return site.error_page(403, ctx.req.request_id);
    }
    log::error("request {}: {}: {} ({})", ctx.req.request_id, what, error.message, error.detail);
    return site.error_page(503, ctx.req.request_id);
}

// Answers the request when the gate refuses it; nullopt lets it through. Sets ctx.repo for
// repository routes.
std::optional<http::Response> gate(Ctx& ctx, Need need, const Site& site) {
    const service::AuthUser& user = ctx.session.user;
    if (auto level = repo_need(need)) {
        if (user.nobody())
            return redirect_to_login(ctx.req);
        auto repo = service::authorize_repository(ctx.app, user, ctx.params["repo"], *level);
        if (!repo)
            return refusal(ctx, site, repo.error(), "repository access");
        ctx.repo = std::move(*repo);
        return std::nullopt;
    }
    if (need == Need::group_read || need == Need::group_admin) {
        if (user.nobody())
            return redirect_to_login(ctx.req);
        auto group = service::authorize_repo_group(
            ctx.app, user, ctx.params["group"],
            need == Need::group_admin ? perm::Level::admin : perm::Level::read);
        if (!group)
            return refusal(ctx, site, group.error(), "repository group access");
        ctx.repo_group = std::move(*group);
        return std::nullopt;
    }
    if (need == Need::usergroup_admin) {
        if (!user.authenticated())
            return redirect_to_login(ctx.req);
        int64_t id = 0;
        const std::string& text = ctx.params["id"];
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || end != text.data() + text.size())
            return site.error_page(404, ctx.req.request_id);
        auto st = service::authorize_user_group(ctx.app, user, id, perm::Level::admin);
        if (!st)
            return refusal(ctx, site, st.error(), "user group access");
        return std::nullopt;
    }
    switch (need) {
        case Need::group_read:
        case Need::group_admin:
        case Need::usergroup_admin:
        case Need::undeclared:
        case Need::repo_read:
        case Need::repo_write:
        case Need::repo_admin:  // handled above
            return site.error_page(500, ctx.req.request_id);
        case Need::nothing:
            return std::nullopt;
        case Need::site_read:
            if (user.nobody())
                return redirect_to_login(ctx.req);
            return std::nullopt;
        case Need::login:
            if (!user.authenticated())
                return redirect_to_login(ctx.req);
            return std::nullopt;
        case Need::admin:
            if (!user.authenticated())
                return redirect_to_login(ctx.req);
            if (!user.admin)
                return site.error_page(403, ctx.req.request_id);
            return std::nullopt;
    }
    return site.error_page(500, ctx.req.request_id);
}

}  // namespace

std::string session_cookie_value(const http::Request& request, const std::string& cookie_name) {
    for (const auto& [name, value] : request.headers.items()) {
        if (name.size() != 6 || strncasecmp(name.c_str(), "cookie", 6) != 0)
            continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            const auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == cookie_name)
                return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

Site::Site(std::shared_ptr<service::App> app) : app_(std::move(app)) {
    for (const auto& route : route_table())
        router_.add(route.methods, route.pattern);
    // `page_cache.size_mb` (our addition; 0 disables): rendered repository pages kept in memory.
    size_t megabytes = 64;
    const auto& ini = app_->config().app;
    if (auto it = ini.find("page_cache.size_mb"); it != ini.end()) {
        size_t value = 0;
        const auto [end, ec] =
            std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
        if (ec == std::errc() && end == it->second.data() + it->second.size())
            megabytes = value;
    }
    cache_ = std::make_unique<ResponseCache>(megabytes << 20, std::chrono::seconds(30));
}

namespace {

// The segments of a request path, for naming repositories and groups in it.
struct PathNames {
    std::vector<std::string_view> parts;

    // Every run of segments that starts where value does (value itself included), shortest
    // first, up to kMaxDepth segments; just value when it is not such a run.
    std::vector<std::string> runs_like(std::string_view value) const {
        constexpr size_t kMaxDepth = 16;
        for (size_t start = 0; start < parts.size(); ++start) {
            std::string run;
            std::vector<std::string> out;
            bool matched = false;
            for (size_t end = start; end < parts.size() && end - start < kMaxDepth; ++end) {
                if (end > start)
                    run += '/';
                run += parts[end];
                out.push_back(run);
                matched = matched || run == value;
            }
            if (matched)
                return out;
        }
        return {std::string(value)};
    }
};

PathNames path_names(std::string_view path) {
    PathNames out;
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    while (!path.empty()) {
        const size_t slash = path.find('/');
        out.parts.push_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    }
    return out;
}

}  // namespace

http::Response Site::error_page(int status, const std::string& request_id) const {
    View body;
    body.set("status", std::to_string(status))
        .set("reason", std::string(http::status_reason(status)))
        .set("explanation", explanation_for(status))
        .set("request_id", request_id)
        .set("base", std::string());
    View layout = layout_view(nullptr, *app_, http::status_reason(status), "error");
    layout.set("base", std::string()).set("content", render("error", body));
    http::Response response = http::Response::html(status, render("layout", layout));
    add_html_headers(response);
    return response;
}

http::Response Site::handle(http::Request& request) {
    // {repo:path} and {group:path} take the shortest prefix naming an existing one.
    // {repo:path} and {group:path} candidates are runs of path segments: the first time one is
    // asked about, every run from the same first segment is looked up in one query.
    service::App& app = *app_;
    const PathNames names = path_names(request.path);
    std::vector<std::pair<std::string, bool>> known[2];  // [repo, group]: name -> exists
    const auto lookup = router_.find(
        request.method, request.path, [&](std::string_view param, std::string_view value) {
            if (param != "repo" && param != "group")
                return true;
            auto& memo = known[param == "group" ? 1 : 0];
            for (const auto& [name, exists] : memo)
                if (name == value)
                    return exists;
            std::vector<std::string> batch = names.runs_like(value);
            auto found = service::existing_names(app, batch, param == "group");
            for (auto& name : batch) {
                const bool exists =
                    found && std::find(found->begin(), found->end(), name) != found->end();
                memo.emplace_back(std::move(name), exists);
            }
            for (const auto& [name, exists] : memo)
                if (name == value)
                    return exists;
            return false;
        });
    if (!lookup.match) {
        // With anonymous access off, strangers learn nothing about what exists: every address
        // but the login page sends them to log in.
        auto session = service::resolve_session(
            *app_, session_cookie_value(request, app_->config().session_key));
        if (session && session->user.nobody())
            return redirect_to_login(request);
        http::Response response = error_page(lookup.path_matched ? 405 : 404, request.request_id);
        if (lookup.path_matched)
            response.headers.set("Allow", "GET, HEAD, POST");
        return response;
    }
    const RouteDef& route = route_table()[lookup.match->id];
    const config::AppConfig& config = app_->config();

    auto session =
        service::resolve_session(*app_, session_cookie_value(request, config.session_key));
    if (!session) {
        log::error("request {}: cannot resolve session: {} ({})", request.request_id,
                   session.error().message, session.error().detail);
        return error_page(503, request.request_id);
    }
    Ctx ctx{request,
            *app_,
            std::move(*session),
            lookup.match->params,
            {},
            http::client_address(request, config.remote_addr_variable),
            http::client_used_https(request, config.url_scheme_variable)};
    request.log_user = ctx.session.user.authenticated() ? ctx.session.user.username : "-";

    // IP whitelist (the `default` user's entries plus the user's own); static files stay
    // reachable so the refusal page has its styles.
    if (route.handler != serve_static) {
        const auto& user = ctx.session.user;
        auto allowed = service::ip_allowed(
            *app_, user.authenticated() ? user.user_id : std::nullopt, ctx.client_ip);
        if (!allowed) {
            log::error("request {}: IP whitelist: {} ({})", request.request_id,
                       allowed.error().message, allowed.error().detail);
            return error_page(503, request.request_id);
        }
        if (!*allowed) {
            log::warn("request {}: address {} is not in the IP whitelist of {}", request.request_id,
                      ctx.client_ip, user.username);
            return error_page(403, request.request_id);
        }
    }

    if (request.method == http::Method::post) {
        auto body = request.read_body(kMaxFormBytes);
        if (!body)
            return error_page(body.error().code == Errc::too_large ? 413 : 400, request.request_id);
        if (request.header("Content-Type").starts_with("application/x-www-form-urlencoded"))
            ctx.form = http::parse_form(*body);
        // Cookie-authenticated POSTs must prove they come from our own form.
        if (ctx.session.user.authenticated()) {
            const auto token = ctx.form_value(kCsrfField);
            if (!token || !auth::constant_time_equal(*token, ctx.session.csrf_token)) {
                log::warn("request {}: POST {} without a valid CSRF token", request.request_id,
                          request.path);
                return error_page(403, request.request_id);
            }
        }
    }
    if (auto refused = gate(ctx, route.need, *this))
        return std::move(*refused);
    // Cached repository pages: the gate above has run (permissions are never cached).
    std::string cache_key;
    if (route.cached && ctx.repo && request.method == http::Method::get && cache_->enabled() &&
        session_cookie_value(request, std::string(kFlashCookie)).empty()) {
        const std::string state = service::repo_state_token(*ctx.repo);
        if (!state.empty()) {
            cache_key = route.pattern + '\n' + request.script_name + '\n' + request.path + '?' +
                        request.raw_query + '\n' + std::string(request.header("Host")) + '\n' +
                        std::string(request.header("X-Partial-XHR")) + '\n' +
                        (ctx.https ? "https" : "http") + '\n' + ctx.session.id + '\n' +
                        std::to_string(static_cast<int>(ctx.repo->level)) + '\n' + state;
            if (auto hit = cache_->get(cache_key))
                return *hit;
        }
    }
    http::Response response = route.handler(ctx);
    if (!cache_key.empty() && response.status == 200 && !response.stream &&
        !response.headers.has("Set-Cookie"))
        cache_->put(cache_key, response);
    if (response.status >= 400 && response.body.empty() && !response.stream)
        return error_page(response.status, request.request_id);
    return response;
}

std::optional<http::Response> Site::admit(http::Request& request) const {
    if (request.content_length && *request.content_length > kMaxFormBytes)
        return error_page(413, request.request_id);
    request.body_limit = kMaxFormBytes;
    return std::nullopt;
}

}  // namespace kallithea::web
