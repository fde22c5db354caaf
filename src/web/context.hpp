// Per-request state shared by the web handlers: the request, the session, route parameters.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "service/account/accounts.hpp"
#include "service/app.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "web/view.hpp"

namespace kallithea::web {

// The cookie carrying a one-time message to the next page (Ctx::redirect_flash).
inline constexpr std::string_view kFlashCookie = "kallithea_flash";

struct Ctx {
    http::Request& req;
    service::App& app;
    service::Session session;
    std::map<std::string, std::string> params;              // from the route pattern
    std::vector<std::pair<std::string, std::string>> form;  // decoded POST form fields
    std::string client_ip;
    bool https = false;
    // Set by the gate for routes that need a repository permission.
    std::optional<service::RepoInfo> repo;
    // Set by the gate for routes that need a repository-group permission.
    std::optional<service::RepoGroupInfo> repo_group;

    // Absolute path on this server for an application path ("/x" -> "/prefix/x").
    std::string url(std::string_view path) const { return req.script_name + std::string(path); }
    std::optional<std::string> form_value(std::string_view name) const;
    // Full page: renders `template_name` with `view`, then the layout around it.
    http::Response page(int status, std::string_view template_name, std::string_view title,
                        View view) const;
    // A repository page: the repository header (name, tabs; `tab` is highlighted) above the
    // template. Needs `repo` (set by the gate).
    http::Response repo_page(int status, std::string_view template_name, std::string_view title,
                             std::string_view tab, View view) const;
    // A redirect (303 See Other) to `path` (an application path, "/x") that shows a one-time
    // message on the next page: kind "success" or "error". The message travels in a short-lived
    // cookie, not the URL.
    http::Response redirect_flash(std::string_view path, std::string_view kind,
                                  std::string_view message) const;
    // URL of a repository page: repo_url("changelog") -> "/prefix/group/repo/changelog".
    std::string repo_url(std::string_view suffix = {}) const;
};

// The layout's fields (site title, user, CSRF token, base path); used for error pages too.
View layout_view(const Ctx* ctx, service::App& app, std::string_view title,
                 std::string_view page_id);
// Adds the headers every HTML page gets.
void add_html_headers(http::Response& response);

// The page for an unexpected service error: not_found -> 404, forbidden/unauthorized -> 403,
// anything else is logged (with `what` the request was doing) and answered 503 (unavailable)
// or 500.
http::Response service_failure(const Ctx& ctx, const Error& error, std::string_view what);
// Logs an unexpected service error and answers 503 (unavailable) or 500, whatever its code.
http::Response server_failure(const Ctx& ctx, const Error& error, std::string_view what);

}  // namespace kallithea::web
