// HMAC-SHA1 (RFC 2104) for Kallithea's password-reset tokens (compare tokens with
// auth::constant_time_equal from auth/password.hpp).
#pragma once

#include <string>
#include <string_view>

namespace kallithea::auth {

// Lower-case hex HMAC-SHA1 of `message` under `key` (40 characters).
std::string hmac_sha1_hex(std::string_view key, std::string_view message);

}  // namespace kallithea::auth
