// Implementation of core/time.hpp.
#include "core/time.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace kallithea::timefmt {
namespace {

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

CivilTime civil(std::chrono::sys_time<std::chrono::microseconds> wall, int offset_minutes) {
    using namespace std::chrono;
    const sys_days day = floor<days>(wall);
    const year_month_day ymd{day};
    const hh_mm_ss hms{wall - day};
    CivilTime t;
    t.year = static_cast<int>(ymd.year());
    t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    t.hour = static_cast<int>(hms.hours().count());
    t.minute = static_cast<int>(hms.minutes().count());
    t.second = static_cast<int>(hms.seconds().count());
    t.microsecond = static_cast<int>(hms.subseconds().count());
    t.weekday = static_cast<int>(weekday{day}.c_encoding());
    t.offset_minutes = offset_minutes;
    return t;
}

int year4(const CivilTime& t) {
    return std::clamp(t.year, 0, 9999);
}

// "+hhmm" or, with a colon, "+hh:mm".
std::string offset_text(int minutes, bool colon) {
    const int abs_minutes = std::abs(minutes);
    return fmt::format("{}{:02}{}{:02}", minutes < 0 ? '-' : '+', abs_minutes / 60 % 100,
                       colon ? ":" : "", abs_minutes % 60);
}

}  // namespace

CivilTime CivilTime::from_unix(int64_t seconds, int offset_minutes) {
    using namespace std::chrono;
    const sys_seconds wall{std::chrono::seconds{seconds + int64_t{offset_minutes} * 60}};
    return civil(wall, offset_minutes);
}

CivilTime CivilTime::from(Clock::time_point t) {
    return civil(std::chrono::floor<std::chrono::microseconds>(t), 0);
}

std::string CivilTime::display() const {
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", year4(*this), month, day, hour,
                       minute, second);
}

std::string CivilTime::display_minutes() const {
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", year4(*this), month, day, hour, minute);
}

std::string CivilTime::iso8601() const {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", year4(*this), month, day, hour,
                       minute, second);
}

std::string CivilTime::rfc2822() const {
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} {}", kDays[weekday], day,
                       kMonths[month - 1], year4(*this), hour, minute, second,
                       offset_text(offset_minutes, false));
}

std::string CivilTime::rfc3339() const {
    return iso8601() + offset_text(offset_minutes, true);
}

std::string CivilTime::db_datetime() const {
    return fmt::format("{}.{:06}", display(), microsecond);
}

std::string CivilTime::http_date() const {
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[weekday], day,
                       kMonths[month - 1], year4(*this), hour, minute, second);
}

std::string db_datetime(Clock::time_point t) {
    return CivilTime::from(t).db_datetime();
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
    return CivilTime::from(t).http_date();
}

}  // namespace kallithea::timefmt
