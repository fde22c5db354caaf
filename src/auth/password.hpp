// Password hashing and verification compatible with Kallithea's stored hashes.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace kallithea::auth {

// bcrypt `$2b$10$...` hash of password (Kallithea's format). Errc::invalid_argument when the
// password contains NUL, Errc::internal if libxcrypt fails.
Result<std::string> hash_password(std::string_view password);

// True when password matches hash: bcrypt ($2a$/$2b$/$2y$) or Kallithea's legacy unsalted
// SHA-256 hex. False for empty or unknown hash formats and for passwords containing NUL.
// Constant-time comparison.
bool verify_password(std::string_view password, std::string_view hash);

// Compares two strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace kallithea::auth
