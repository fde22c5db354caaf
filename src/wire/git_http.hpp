// The Git smart-HTTP surface (clone, fetch, push over HTTP): route table, the declared-permission
// gate (anonymous `default` first, then HTTP Basic), and the streaming handlers.
#pragma once

#include <memory>
#include <optional>

#include "http/message.hpp"
#include "service/app.hpp"

namespace kallithea::wire {

class GitHttp {
public:
    explicit GitHttp(std::shared_ptr<service::App> app);
    // True for requests this surface answers (see routes.hpp: claims()); the rest go to the web
    // pages.
    static bool claims(const http::Request& request);
    // Thread-safe. 400 unknown service, 404 unknown or unreadable repository (401 instead while
    // nobody authenticated), 401 + WWW-Authenticate (or 403 with `auth_ret_code = 403`) without
    // valid credentials, 403 authenticated but not allowed, 415 wrong Content-Type/-Encoding.
    http::Response handle(http::Request& request);
    // The server's admission check before a large request body is received: the refusal
    // handle() would answer without reading the body (unknown service, wrong Content-Type,
    // credentials, permission), or nullopt.
    std::optional<http::Response> admit(http::Request& request);

private:
    std::shared_ptr<service::App> app_;
};

}  // namespace kallithea::wire
