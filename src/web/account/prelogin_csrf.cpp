// Implementation of web/account/prelogin_csrf.hpp.
#include "web/account/prelogin_csrf.hpp"

#include "core/random.hpp"
#include "web/site.hpp"

namespace kallithea::web {
namespace {

// Beside the session cookie, so that two instances on one host keep theirs apart.
std::string cookie_name(const config::AppConfig& config) {
    return config.session_key + "_csrf";
}

}  // namespace

std::string prelogin_value(const http::Request& request, const config::AppConfig& config) {
    std::string value = session_cookie_value(request, cookie_name(config));
    if (value.size() != 32 || value.find_first_not_of("0123456789abcdef") != std::string::npos)
        return {};
    return value;
}

std::string new_prelogin_value() {
    return random::hex(16);
}

std::string prelogin_set_cookie(const http::Request& request, const config::AppConfig& config,
                                bool https, std::string_view value) {
    std::string text = cookie_name(config) + "=" + std::string(value) +
                       "; Path=" + (request.script_name.empty() ? "/" : request.script_name) +
                       "; HttpOnly; SameSite=Lax";
    if (https || config.session_secure)
        text += "; Secure";
    return text;
}

}  // namespace kallithea::web
