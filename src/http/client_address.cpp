// Client address and scheme behind proxies.
#include "http/client_address.hpp"

#include "core/text.hpp"

namespace kallithea::http {
namespace {

// "HTTP_X_FORWARDED_FOR" -> "X-FORWARDED-FOR" (header names compare case-insensitively).
std::string header_of(std::string_view cgi_variable) {
    std::string header(cgi_variable.substr(5));
    for (char& c : header)
        c = c == '_' ? '-' : c;
    return header;
}

}  // namespace

std::string client_address(const Request& request, std::string_view remote_addr_variable) {
    if (remote_addr_variable.starts_with("HTTP_")) {
        const std::string_view value = request.header(header_of(remote_addr_variable));
        const auto comma = value.rfind(',');
        const std::string_view last =
            text::trim_blanks(comma == std::string_view::npos ? value : value.substr(comma + 1));
        if (!last.empty())
            return std::string(last);
    } else if (auto it = request.server_vars.find(std::string(remote_addr_variable));
               it != request.server_vars.end()) {
        return it->second;
    }
    return request.remote_addr;
}

bool client_used_https(const Request& request, std::string_view url_scheme_variable) {
    if (request.scheme == "https")
        return true;
    if (url_scheme_variable.starts_with("HTTP_"))
        return text::trim_blanks(request.header(header_of(url_scheme_variable))) == "https";
    if (auto it = request.server_vars.find(std::string(url_scheme_variable));
        !url_scheme_variable.empty() && it != request.server_vars.end())
        return it->second == "https";
    return false;
}

}  // namespace kallithea::http
