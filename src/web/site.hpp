// The web surface: turns an http::Request into a page, through the route table and its gate.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/message.hpp"
#include "http/router.hpp"
#include "service/app.hpp"
#include "web/response_cache.hpp"

namespace kallithea::web {

class Site {
public:
    explicit Site(std::shared_ptr<service::App> app);
    // Thread-safe. Unexpected exceptions propagate to the server's dispatcher (logged, 500).
    http::Response handle(http::Request& request);
    // The page for errors the server answers itself (also used for our own 4xx/5xx).
    http::Response error_page(int status, const std::string& request_id) const;
    // The server's admission check for web requests with a large body: 413 beyond the form limit
    // (also caps what the server receives of a chunked body), else nullopt.
    std::optional<http::Response> admit(http::Request& request) const;

private:
    std::shared_ptr<service::App> app_;
    http::Router router_;
    std::unique_ptr<ResponseCache> cache_;
};

// Name of the session cookie (`session.key`, default "kallithea").
std::string session_cookie_value(const http::Request& request, const std::string& cookie_name);

}  // namespace kallithea::web
