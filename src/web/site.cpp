// Request dispatch for the web pages: route lookup, session, the declared-permission gate, CSRF.
#include "web/site.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <string_view>
#include <vector>

#include "auth/password.hpp"
#include "core/log.hpp"
#include "core/text.hpp"
#include "http/client_address.hpp"
#include "http/cookie.hpp"
#include "perm/levels.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "service/repos/repo_names.hpp"
#include "service/repos/repo_state.hpp"
#include "web/account/prelogin_csrf.hpp"
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

// The page for a refused object permission: anonymous visitors are sent to log in (as for a
// name that does not exist, see Site::handle); users get 404 when it is missing or unreadable,
// 403 when their level is not enough; 503 on database trouble.
http::Response refusal(const Ctx& ctx, const Site& site, const Error& error,
                       std::string_view what) {
    if (error.code == Errc::not_found || error.code == Errc::forbidden) {
        if (!ctx.session.user.authenticated())
            return redirect_to_login(ctx.req);
        return site.error_page(error.code == Errc::not_found ? 404 : 403, ctx.req.request_id);
    }
    log::error("request {}: {}: {} ({})", ctx.req.request_id, what, error.message, error.detail);
    return site.error_page(503, ctx.req.request_id);
}

// The gate of a repository route: ctx.repo is set when it lets the request through.
std::optional<http::Response> repo_gate(Ctx& ctx, perm::Level level, const Site& site) {
    if (ctx.session.user.nobody())
        return redirect_to_login(ctx.req);
    auto repo = service::authorize_repository(ctx.app, ctx.session.user, ctx.params["repo"], level);
    if (!repo)
        return refusal(ctx, site, repo.error(), "repository access");
    ctx.repo = std::move(*repo);
    return std::nullopt;
}

// The gate of a repository group route: ctx.repo_group is set when it lets the request through.
std::optional<http::Response> group_gate(Ctx& ctx, perm::Level level, const Site& site) {
    if (ctx.session.user.nobody())
        return redirect_to_login(ctx.req);
    auto group =
        service::authorize_repo_group(ctx.app, ctx.session.user, ctx.params["group"], level);
    if (!group)
        return refusal(ctx, site, group.error(), "repository group access");
    ctx.repo_group = std::move(*group);
    return std::nullopt;
}

// The gate of a user group route ({id}, usergroup.admin needed).
std::optional<http::Response> user_group_gate(Ctx& ctx, const Site& site) {
    const service::AuthUser& user = ctx.session.user;
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

// The gate of the needs that depend on who the user is only.
std::optional<http::Response> user_gate(const Ctx& ctx, Need need, const Site& site) {
    const service::AuthUser& user = ctx.session.user;
    switch (need) {
        case Need::group_read:
        case Need::group_admin:
        case Need::usergroup_admin:
        case Need::undeclared:
        case Need::repo_read:
        case Need::repo_write:
        case Need::repo_admin:  // not a user-only need (see gate)
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

// Answers the request when the gate refuses it; nullopt lets it through. Sets ctx.repo for
// repository routes and ctx.repo_group for group routes.
std::optional<http::Response> gate(Ctx& ctx, Need need, const Site& site) {
    if (auto level = repo_need(need))
        return repo_gate(ctx, *level, site);
    if (need == Need::group_read || need == Need::group_admin)
        return group_gate(ctx, need == Need::group_admin ? perm::Level::admin : perm::Level::read,
                          site);
    if (need == Need::usergroup_admin)
        return user_group_gate(ctx, site);
    return user_gate(ctx, need, site);
}

}  // namespace

std::string session_cookie_value(const http::Request& request, const std::string& cookie_name) {
    return http::cookie_value(request, cookie_name);
}

Site::Site(std::shared_ptr<service::App> app) : app_(std::move(app)) {
    router_ = make_router();
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

// Whether {repo:path} and {group:path} candidates name existing repositories and groups. The
// first time a candidate starting at some offset of the path is asked about, every run of
// segments from there that could be a name is looked up in one query (repositories and groups
// together); every route asks about the same start, so a request makes one query.
class NameLookup {
public:
    explicit NameLookup(service::App& app, std::string_view path) : app_(app), path_(path) {}

    // `value` is a substring of the path (Router::Acceptor).
    bool operator()(std::string_view param, std::string_view value) {
        if (param != "repo" && param != "group")
            return true;
        const size_t start = static_cast<size_t>(value.data() - path_.data());
        auto batch = std::find_if(batches_.begin(), batches_.end(),
                                  [&](const Batch& b) { return b.start == start; });
        if (batch == batches_.end())
            batch = batches_.insert(batches_.end(), load(start));
        const auto& names = param == "group" ? batch->found.groups : batch->found.repos;
        return std::find(names.begin(), names.end(), value) != names.end();
    }
    // The error of a failed lookup (the database is unreachable: "no such name" is not known),
    // nullptr when every lookup worked.
    const Error* failure() const { return failure_ ? &*failure_ : nullptr; }

private:
    struct Batch {
        size_t start = 0;
        service::ExistingNames found;
    };

    // Every plausible name that starts at path_[start], at most kMaxUrlNameSegments of them.
    Batch load(size_t start) {
        std::vector<std::string> runs;
        const std::string_view rest = path_.substr(start);
        for (size_t end = rest.find('/'); runs.size() < service::kMaxUrlNameSegments;
             end = rest.find('/', end + 1)) {
            const std::string_view run = rest.substr(0, end);
            if (run.size() > service::kMaxUrlNameBytes)
                break;
            if (service::plausible_url_name(run))
                runs.emplace_back(run);
            if (end == std::string_view::npos)
                break;
        }
        Batch batch{start, {}};
        auto found = service::existing_names(app_, runs);
        if (found)
            batch.found = std::move(*found);
        else if (!failure_)
            failure_ = std::move(found.error());
        return batch;
    }

    service::App& app_;
    std::string_view path_;
    std::vector<Batch> batches_;
    std::optional<Error> failure_;
};

// Judges {repo:path} and {group:path} candidates by shape alone (Router::Acceptor).
bool plausible_name(std::string_view param, std::string_view value) {
    return (param != "repo" && param != "group") || service::plausible_url_name(value);
}

// The answer when no route takes the request: `shape` is the match by shape alone, `existing`
// the name lookups of the match by existing names.
http::Response unrouted(service::App& app, const Site& site, const http::Request& request,
                        const http::Router::Lookup& shape, const NameLookup& existing) {
    // With anonymous access off, strangers learn nothing about what exists: every address
    // but the login page sends them to log in.
    auto session =
        service::resolve_session(app, session_cookie_value(request, app.config().session_key));
    if (session && session->user.nobody())
        return redirect_to_login(request);
    if (!shape.match) {
        http::Response response =
            site.error_page(shape.path_matched ? 405 : 404, request.request_id);
        if (shape.path_matched)
            response.headers.set("Allow", "GET, HEAD, POST");
        return response;
    }
    if (const Error* failed = existing.failure()) {
        log::error("request {}: cannot look up route names: {} ({})", request.request_id,
                   failed->message, failed->detail);
        return site.error_page(503, request.request_id);
    }
    if (!session)
        return site.error_page(503, request.request_id);
    // A repository or group page whose name does not exist: anonymous visitors are sent to
    // log in, as for a private one, so that the answer does not tell which names exist.
    if (!session->user.authenticated())
        return redirect_to_login(request);
    return site.error_page(404, request.request_id);
}

// The IP whitelist (the `default` user's entries plus the user's own): 403 for an address not
// on it, 503 when it cannot be read, nullopt to go on.
std::optional<http::Response> ip_refusal(const Ctx& ctx, const Site& site) {
    const auto& user = ctx.session.user;
    auto allowed = service::ip_allowed(ctx.app, user.authenticated() ? user.user_id : std::nullopt,
                                       ctx.client_ip);
    if (!allowed) {
        log::error("request {}: IP whitelist: {} ({})", ctx.req.request_id, allowed.error().message,
                   allowed.error().detail);
        return site.error_page(503, ctx.req.request_id);
    }
    if (!*allowed) {
        log::warn("request {}: address {} is not in the IP whitelist of {}", ctx.req.request_id,
                  ctx.client_ip, user.username);
        return site.error_page(403, ctx.req.request_id);
    }
    return std::nullopt;
}

// Reads a POST's form into ctx.form and checks that it comes from our own form: cookie-
// authenticated ones with the session's token, anonymous ones (login CSRF) with the pre-login
// cookie's value. 413 / 400 for an unreadable body, 403 without a valid token.
std::optional<http::Response> form_refusal(Ctx& ctx, const Site& site) {
    http::Request& request = ctx.req;
    auto body = request.read_body(kMaxFormBytes);
    if (!body)
        return site.error_page(body.error().code == Errc::too_large ? 413 : 400,
                               request.request_id);
    if (request.header("Content-Type").starts_with("application/x-www-form-urlencoded"))
        ctx.form = http::parse_form(*body);
    const auto token = ctx.form_value(kCsrfField);
    if (!token || ctx.session.csrf_token.empty() ||
        !auth::constant_time_equal(*token, ctx.session.csrf_token)) {
        log::warn("request {}: {} POST {} without a valid CSRF token", request.request_id,
                  ctx.session.user.authenticated() ? "authenticated" : "anonymous", request.path);
        return site.error_page(403, request.request_id);
    }
    return std::nullopt;
}

// The page cache key of a cacheable repository page, "" when the response is not to be cached.
std::string page_cache_key(const Ctx& ctx, const RouteDef& route, const ResponseCache& cache) {
    const http::Request& request = ctx.req;
    if (!route.cached || !ctx.repo || request.method != http::Method::get || !cache.enabled() ||
        !session_cookie_value(request, std::string(kFlashCookie)).empty())
        return {};
    const std::string state = service::repo_state_token(*ctx.repo);
    if (state.empty())
        return {};
    return route.pattern + '\n' + request.script_name + '\n' + request.path + '?' +
           request.raw_query + '\n' + std::string(request.header("Host")) + '\n' +
           std::string(request.header("X-Partial-XHR")) + '\n' + (ctx.https ? "https" : "http") +
           '\n' + ctx.session.id + '\n' + std::to_string(static_cast<int>(ctx.repo->level)) + '\n' +
           state;
}

// Runs the route's handler, through the page cache for cached repository pages (after the gate:
// permissions are never cached); an empty 4xx/5xx answer gets the error page.
http::Response run_handler(Ctx& ctx, const RouteDef& route, ResponseCache& cache,
                           const Site& site) {
    const std::string cache_key = page_cache_key(ctx, route, cache);
    if (!cache_key.empty())
        if (auto hit = cache.get(cache_key))
            return *hit;
    http::Response response = route.handler(ctx);
    if (!cache_key.empty() && response.status == 200 && !response.stream &&
        !response.headers.has("Set-Cookie"))
        cache.put(cache_key, response);
    if (response.status >= 400 && response.body.empty() && !response.stream)
        return site.error_page(response.status, ctx.req.request_id);
    return response;
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
    // Method and shape first, existence second: whether an address answers 405, or names a
    // repository or group page at all, never depends on which names exist. {repo:path} and
    // {group:path} then take the shortest prefix naming an existing one.
    const auto shape = router_.find(request.method, request.path, plausible_name);
    NameLookup existing(*app_, request.path);
    http::Router::Lookup lookup;
    if (shape.match)
        lookup = router_.find(request.method, request.path, std::ref(existing));
    if (!lookup.match)
        return unrouted(*app_, *this, request, shape, existing);
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
    // Anonymous visitors' forms carry their pre-login cookie's value as the CSRF token (a new
    // value when they have none yet: Ctx::page sets the cookie).
    if (ctx.session.id.empty() && route.handler != serve_static) {
        ctx.session.csrf_token = prelogin_value(request, config);
        if (ctx.session.csrf_token.empty())
            ctx.session.csrf_token = new_prelogin_value();
    }
    // Static files stay reachable so that the refusal page has its styles.
    if (route.handler != serve_static)
        if (auto refused = ip_refusal(ctx, *this))
            return std::move(*refused);
    // Permission before the CSRF check, so that a private repository and a missing one look
    // the same to a user without access whatever they send.
    if (auto refused = gate(ctx, route.need, *this))
        return std::move(*refused);
    if (request.method == http::Method::post)
        if (auto refused = form_refusal(ctx, *this))
            return std::move(*refused);
    return run_handler(ctx, route, *cache_, *this);
}

std::optional<http::Response> Site::admit(http::Request& request) const {
    if (request.content_length && *request.content_length > kMaxFormBytes)
        return error_page(413, request.request_id);
    request.body_limit = kMaxFormBytes;
    return std::nullopt;
}

}  // namespace kallithea::web
