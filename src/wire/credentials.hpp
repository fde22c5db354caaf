// Reading who a Git client says it is (HTTP Basic) and where it connects from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace kallithea::wire {

struct BasicCredentials {
    std::string username;
    std::string password;
};

// The credentials of an `Authorization: Basic base64(user:password)` header value; nullopt for
// other schemes, bad base64 or a missing ':'.
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header);

// Standard base64 (padding optional, no whitespace); nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);

// `Basic realm="..."` with characters that cannot appear in a quoted string left out.
std::string basic_challenge(std::string_view realm);

}  // namespace kallithea::wire
