// Implementation of core/time.hpp.
#include "core/time.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <string_view>

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

// The text forms are written digit by digit into a small buffer: they are on hot paths (every
// changeset row of a changelog page, the Date header of every response), where fmt::format's
// parsing costs several times as much.

// n (0 <= n < 10^width) as exactly `width` digits at p; returns the end.
char* put_digits(char* p, int n, int width) {
    for (int i = width - 1; i >= 0; --i, n /= 10)
        p[i] = static_cast<char>('0' + n % 10);
    return p + width;
}

char* put_text(char* p, std::string_view s) {
    return std::copy(s.begin(), s.end(), p);
}

// "YYYY-MM-DD<sep>hh:mm" and, with seconds, ":ss" (years clamped to 0000..9999).
char* put_date_time(char* p, const CivilTime& t, char separator, bool seconds) {
    p = put_digits(p, std::clamp(t.year, 0, 9999), 4);
    *p++ = '-';
    p = put_digits(p, t.month, 2);
    *p++ = '-';
    p = put_digits(p, t.day, 2);
    *p++ = separator;
    p = put_digits(p, t.hour, 2);
    *p++ = ':';
    p = put_digits(p, t.minute, 2);
    if (seconds) {
        *p++ = ':';
        p = put_digits(p, t.second, 2);
    }
    return p;
}

// "+hhmm" or, with a colon, "+hh:mm".
char* put_offset(char* p, int minutes, bool colon) {
    const int abs_minutes = std::abs(minutes);
    *p++ = minutes < 0 ? '-' : '+';
    p = put_digits(p, abs_minutes / 60 % 100, 2);
    if (colon)
        *p++ = ':';
    return put_digits(p, abs_minutes % 60, 2);
}

// "Tue, 05 Mar 2024 07:08:09" (RFC 2822 and HTTP dates without their zone).
char* put_mail_date(char* p, const CivilTime& t) {
    p = put_text(p, kDays[t.weekday]);
    p = put_text(p, ", ");
    p = put_digits(p, t.day, 2);
    *p++ = ' ';
    p = put_text(p, kMonths[t.month - 1]);
    *p++ = ' ';
    p = put_digits(p, std::clamp(t.year, 0, 9999), 4);
    *p++ = ' ';
    p = put_digits(p, t.hour, 2);
    *p++ = ':';
    p = put_digits(p, t.minute, 2);
    *p++ = ':';
    return put_digits(p, t.second, 2);
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
    char buf[32];
    return std::string(buf, put_date_time(buf, *this, ' ', true));
}

std::string CivilTime::display_minutes() const {
    char buf[32];
    return std::string(buf, put_date_time(buf, *this, ' ', false));
}

std::string CivilTime::iso8601() const {
    char buf[32];
    return std::string(buf, put_date_time(buf, *this, 'T', true));
}

std::string CivilTime::rfc2822() const {
    char buf[40];
    char* p = put_mail_date(buf, *this);
    *p++ = ' ';
    return std::string(buf, put_offset(p, offset_minutes, false));
}

std::string CivilTime::rfc3339() const {
    char buf[40];
    char* p = put_date_time(buf, *this, 'T', true);
    return std::string(buf, put_offset(p, offset_minutes, true));
}

std::string CivilTime::db_datetime() const {
    char buf[40];
    char* p = put_date_time(buf, *this, ' ', true);
    *p++ = '.';
    return std::string(buf, put_digits(p, microsecond, 6));
}

std::string CivilTime::http_date() const {
    char buf[40];
    return std::string(buf, put_text(put_mail_date(buf, *this), " GMT"));
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
