// Time formats used in the database and on pages.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kallithea::timefmt {

using Clock = std::chrono::system_clock;

// Kallithea's DATETIME text: "YYYY-MM-DD HH:MM:SS.ffffff" (UTC).
std::string db_datetime(Clock::time_point t);
std::string db_now();
// Parses db_datetime text (fraction optional); nullopt when malformed.
std::optional<Clock::time_point> parse_db_datetime(std::string_view text);
// Seconds since the epoch.
int64_t unix_now();
// RFC 7231 date for HTTP headers ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string http_date(Clock::time_point t);

}  // namespace kallithea::timefmt
