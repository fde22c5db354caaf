// Cryptographically secure random values (tokens, secrets, API keys, salts).
#pragma once

#include <cstddef>
#include <string>

namespace kallithea::random {

// `bytes` random bytes from the kernel; aborts the process if the kernel cannot supply them.
std::string bytes(size_t count);
// 2*count lower-case hex characters from `count` random bytes.
std::string hex(size_t count);
// `length` characters from [A-Za-z0-9].
std::string alnum(size_t length);

}  // namespace kallithea::random
