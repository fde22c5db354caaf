// Request ids: short random tokens that tie an access-log line, an error log and a 500 page.
#pragma once

#include <string>

namespace kallithea::http {

// 16 lower-case hex characters, unique with overwhelming probability; never fails.
std::string new_request_id();

}  // namespace kallithea::http
