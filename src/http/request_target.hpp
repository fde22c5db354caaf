// Validation and decoding of HTTP request-targets (shared by the standalone server and FastCGI).
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace kallithea::http {

struct RequestTarget {
    std::string path;       // percent-decoded, starts with '/'
    std::string raw_query;  // text after '?', not decoded
};

// Splits an origin-form target ("/a/b?x=1") into decoded path and raw query. Fails with
// Errc::invalid_argument when the target does not start with '/', has a malformed escape, or
// the decoded path contains NUL, invalid UTF-8, a backslash, or a "." or ".." segment.
Result<RequestTarget> parse_request_target(std::string_view target);

// True when s is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace kallithea::http
