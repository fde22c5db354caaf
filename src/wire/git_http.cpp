// Dispatch and the gate of the Git smart-HTTP surface (Kallithea's BaseVCSController._authorize:
// the anonymous `default` user first, then HTTP Basic credentials).
#include "wire/git_http.hpp"

#include "core/text.hpp"
#include "http/client_address.hpp"

#include <cctype>
#include <optional>

#include "core/log.hpp"
#include "service/account/login_throttle.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "wire/context.hpp"
#include "wire/credentials.hpp"
#include "wire/routes.hpp"

namespace kallithea::wire {
namespace {

http::Response plain(int status, std::string_view message) {
    return http::Response::text(status, std::string(message) + "\n");
}

perm::Level level_of(Need need) {
    return need == Need::repo_write ? perm::Level::write : perm::Level::read;
}

// 401 with the Basic challenge (realm from the settings), or 403 when the ini says
// `auth_ret_code = 403` (for clients behind proxies that mishandle 401).
http::Response challenge(service::App& app) {
    const auto& ini = app.config().app;
    if (auto it = ini.find("auth_ret_code"); it != ini.end() && it->second == "403")
        return plain(403, "Forbidden");
    auto settings = app.settings();
    http::Response response = plain(401, "Authentication required");
    response.headers.set("WWW-Authenticate",
                         basic_challenge(settings ? settings->realm : std::string("Kallithea")));
    return response;
}

http::Response unavailable(const http::Request& request, const Error& error) {
    log::error("request {}: git access check failed: {} ({})", request.request_id, error.message,
               error.detail);
    return plain(503, "Service unavailable");
}

bool denied(const Result<service::RepoInfo>& repo) {
    return !repo && (repo.error().code == Errc::not_found || repo.error().code == Errc::forbidden);
}

// The IP whitelist's answer for one user (nullopt: the `default` user's global entries), or
// nullopt when the address may go on.
std::optional<http::Response> ip_refusal(WireCtx& ctx, std::optional<int64_t> user_id) {
    auto allowed = service::ip_allowed(*ctx.app, user_id, ctx.session.client_ip);
    if (!allowed)
        return unavailable(ctx.req, allowed.error());
    if (!*allowed)
        return plain(403, "Access from this IP address is not allowed");
    return std::nullopt;
}

// During a login delay: 429 with the wait (git shows the text), even with the right password.
std::optional<http::Response> throttle_refusal(WireCtx& ctx, const std::string& username) {
    auto& throttle = service::login_throttle(*ctx.app);
    const int64_t wait = throttle.wait_seconds(username, ctx.session.client_ip);
    if (wait <= 0)
        return std::nullopt;
    log::warn("request {}: Basic auth for '{}' from {} refused: login throttled",
              ctx.req.request_id, username.substr(0, 100), ctx.session.client_ip);
    http::Response response = plain(429, service::LoginThrottle::refusal(wait).message);
    response.headers.set("Retry-After", std::to_string(wait));
    return response;
}

// Lets the request through as `user` on `repo`.
std::optional<http::Response> admit_as(WireCtx& ctx, service::AuthUser&& user,
                                       service::RepoInfo&& repo) {
    ctx.session.user = std::move(user);
    ctx.session.repo = std::move(repo);
    return std::nullopt;
}

// The gate's second half, after anonymous access was refused: HTTP Basic credentials.
std::optional<http::Response> gate_with_credentials(WireCtx& ctx, const std::string& repo_name,
                                                    perm::Level need) {
    service::App& app = *ctx.app;
    // Missing and private repositories look the same to anonymous clients: both ask for
    // credentials.
    auto credentials = parse_basic_authorization(ctx.req.header("Authorization"));
    if (!credentials)
        return challenge(app);
    if (auto refusal = throttle_refusal(ctx, credentials->username))
        return refusal;
    auto user = service::authenticate_basic(app, credentials->username, credentials->password,
                                            ctx.session.client_ip);
    if (!user) {
        if (user.error().code == Errc::unauthorized)
            return challenge(app);
        return unavailable(ctx.req, user.error());
    }
    ctx.req.log_user = user->username;
    if (auto refusal = ip_refusal(ctx, user->user_id))
        return refusal;
    auto repo = service::authorize_git(app, *user, repo_name, need);
    if (repo)
        return admit_as(ctx, std::move(*user), std::move(*repo));
    if (!denied(repo))
        return unavailable(ctx.req, repo.error());
    if (repo.error().code == Errc::forbidden)
        return plain(403, "Permission denied");
    return plain(404, "Repository not found");
}

// Fills ctx.session.user and .repo, or answers the request.
std::optional<http::Response> gate(WireCtx& ctx, const WireRoute& route,
                                   const std::string& repo_name) {
    service::App& app = *ctx.app;
    const perm::Level need = level_of(route.need);
    // The global IP whitelist (the `default` user's entries) applies to everyone.
    if (auto refusal = ip_refusal(ctx, std::nullopt))
        return refusal;
    // Anonymous first: a public pull runs (and is logged) as `default`, credentials or not.
    auto anonymous = app.anonymous_user();
    if (!anonymous)
        return unavailable(ctx.req, anonymous.error());
    if (!anonymous->nobody()) {
        auto repo = service::authorize_git(app, *anonymous, repo_name, need);
        if (repo)
            return admit_as(ctx, std::move(*anonymous), std::move(*repo));
        if (!denied(repo))
            return unavailable(ctx.req, repo.error());
    }
    return gate_with_credentials(ctx, repo_name, need);
}

bool content_type_is(std::string_view header, std::string_view expected) {
    header = header.substr(0, header.find(';'));
    while (!header.empty() && header.back() == ' ')
        header.remove_suffix(1);
    return text::ascii_iequals(header, expected);  // `expected` is lower case
}

}  // namespace

GitHttp::GitHttp(std::shared_ptr<service::App> app) : app_(std::move(app)) {}

bool GitHttp::claims(const http::Request& request) {
    return wire::claims(request);
}

namespace {

// Routing, Content-Type and the gate: fills ctx.session or answers the request.
std::optional<http::Response> check(WireCtx& ctx, WireMatch& match) {
    service::App& app = *ctx.app;
    http::Request& request = ctx.req;
    match = match_route(request);
    if (!match.route)
        return plain(400, "Unknown service");
    if (match.repo_name.empty())
        return plain(404, "Repository not found");
    const WireRoute& route = *match.route;
    ctx.session.service = route.git_service;
    ctx.session.client_ip = http::client_address(request, app.config().remote_addr_variable);
    ctx.session.git_protocol = service::git_protocol_value(request.header("Git-Protocol"));
    if (request.method == http::Method::post) {
        const std::string expected = "application/x-" +
                                     std::string(service::git_service_name(route.git_service)) +
                                     "-request";
        if (!content_type_is(request.header("Content-Type"), expected))
            return plain(415, "Unsupported Media Type");
    }
    if (auto refused = gate(ctx, route, match.repo_name))
        return refused;
    request.log_user = ctx.session.user.username;
    return std::nullopt;
}

}  // namespace

http::Response GitHttp::handle(http::Request& request) {
    WireCtx ctx{request, app_, {}};
    WireMatch match;
    if (auto refused = check(ctx, match))
        return std::move(*refused);
    return match.route->handler(ctx);
}

std::optional<http::Response> GitHttp::admit(http::Request& request) {
    WireCtx ctx{request, app_, {}};
    WireMatch match;
    return check(ctx, match);
}

}  // namespace kallithea::wire
