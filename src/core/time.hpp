// The one clock and civil-time type: database, HTTP, mail, feed and page date forms.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kallithea::timefmt {

using Clock = std::chrono::system_clock;

// A calendar date and wall-clock time (proleptic Gregorian) at a fixed offset east of UTC, UTC
// unless one is given. Never reads the server's time zone. Any instant from year -32767 to 32767
// converts (before 1970 and after 2038 alike); the text forms print the year as four digits,
// clamped to 0000..9999.
struct CivilTime {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    int hour = 0;
    int minute = 0;
    int second = 0;
    int microsecond = 0;
    int weekday = 4;         // 0 = Sunday
    int offset_minutes = 0;  // the wall clock's offset from UTC (east positive)

    // `seconds` since the epoch, shown at `offset_minutes` (a commit's own offset, say).
    static CivilTime from_unix(int64_t seconds, int offset_minutes = 0);
    // UTC, keeping microseconds.
    static CivilTime from(Clock::time_point t);

    // What pages show: "2024-03-05 07:08:09".
    std::string display() const;
    // The short page form, to the minute: "2024-03-05 07:08".
    std::string display_minutes() const;
    // ISO 8601 wall-clock time without a zone: "2024-03-05T07:08:09".
    std::string iso8601() const;
    // RFC 2822 (mail Date, RSS pubDate): "Tue, 05 Mar 2024 07:08:09 +0000".
    std::string rfc2822() const;
    // RFC 3339 (Atom): "2024-03-05T07:08:09+00:00".
    std::string rfc3339() const;
    // Kallithea's DATETIME text: "2024-03-05 07:08:09.012345".
    std::string db_datetime() const;
    // RFC 7231 HTTP date: "Tue, 05 Mar 2024 07:08:09 GMT" (meant for UTC values).
    std::string http_date() const;
};

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
