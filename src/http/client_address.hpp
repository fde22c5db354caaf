// Who the client is and how it reached us, per the ini's `remote_addr_variable` and
// `url_scheme_variable` (CGI-style names: REMOTE_ADDR, HTTP_X_FORWARDED_FOR, ...).
#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace kallithea::http {

// The client address: the peer (REMOTE_ADDR), a FastCGI server variable, or for HTTP_X_... the
// right-most address of that header (the one our proxy added); the peer when the header is absent.
std::string client_address(const Request& request, std::string_view remote_addr_variable);

// True when the client used https: the connection itself, or the header named by
// `url_scheme_variable` (e.g. HTTP_X_FORWARDED_PROTO) says "https".
bool client_used_https(const Request& request, std::string_view url_scheme_variable);

}  // namespace kallithea::http
