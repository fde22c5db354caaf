// Implementation of core/time.hpp.
#include "core/time.hpp"

#include <ctime>

#include <fmt/format.h>

namespace kallithea::timefmt {

std::string db_datetime(Clock::time_point t) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(micros / 1000000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                       micros % 1000000);
}

std::string db_now() {
    return db_datetime(Clock::now());
}

std::optional<Clock::time_point> parse_db_datetime(std::string_view text) {
    std::tm tm{};
    int frac = 0;
    int n = 0;
    const std::string s(text);
    int consumed = 0;
    n = std::sscanf(s.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed);
    if (n != 6)
        return std::nullopt;
    if (static_cast<size_t>(consumed) < s.size() && s[static_cast<size_t>(consumed)] == '.') {
        std::string digits = s.substr(static_cast<size_t>(consumed) + 1, 6);
        while (digits.size() < 6)
            digits.push_back('0');
        for (char c : digits) {
            if (c < '0' || c > '9')
                return std::nullopt;
            frac = frac * 10 + (c - '0');
        }
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::time_t secs = timegm(&tm);
    return Clock::time_point(std::chrono::seconds(secs)) + std::chrono::microseconds(frac);
}

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch())
        .count();
}

std::string http_date(Clock::time_point t) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t secs = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                       kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace kallithea::timefmt
