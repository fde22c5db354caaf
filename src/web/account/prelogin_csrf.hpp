// The CSRF token of anonymous visitors' forms (login, registration, password reset): a random
// value kept in a pre-login cookie and repeated in the form (compared in constant time).
#pragma once

#include <string>
#include <string_view>

#include "config/app_config.hpp"
#include "http/message.hpp"

namespace kallithea::web {

// The visitor's pre-login value (32 hex characters) from the request's cookie; empty when the
// cookie is absent or malformed.
std::string prelogin_value(const http::Request& request, const config::AppConfig& config);

// A new pre-login value.
std::string new_prelogin_value();

// The Set-Cookie header value that gives the browser `value`: HttpOnly, SameSite=Lax, path the
// script name (or /), Secure over https or with session.secure, for the browser session.
std::string prelogin_set_cookie(const http::Request& request, const config::AppConfig& config,
                                bool https, std::string_view value);

}  // namespace kallithea::web
