// Tests of core/time.hpp: every CivilTime form, far dates, and independence from TZ.
#include "core/time.hpp"

#include <cstdlib>
#include <ctime>
#include <string>

#include <gtest/gtest.h>

namespace kallithea::timefmt {
namespace {

using namespace std::chrono;

// 2024-03-05 07:08:09 UTC, a Tuesday.
constexpr int64_t kSample = 1709622489;

TEST(CivilTime, FieldsOfAUtcInstant) {
    const CivilTime t = CivilTime::from_unix(kSample);
    EXPECT_EQ(t.year, 2024);
    EXPECT_EQ(t.month, 3);
    EXPECT_EQ(t.day, 5);
    EXPECT_EQ(t.hour, 7);
    EXPECT_EQ(t.minute, 8);
    EXPECT_EQ(t.second, 9);
    EXPECT_EQ(t.weekday, 2);
    EXPECT_EQ(t.offset_minutes, 0);
}

TEST(CivilTime, EveryForm) {
    const CivilTime t = CivilTime::from_unix(kSample);
    EXPECT_EQ(t.display(), "2024-03-05 07:08:09");
    EXPECT_EQ(t.display_minutes(), "2024-03-05 07:08");
    EXPECT_EQ(t.iso8601(), "2024-03-05T07:08:09");
    EXPECT_EQ(t.rfc2822(), "Tue, 05 Mar 2024 07:08:09 +0000");
    EXPECT_EQ(t.rfc3339(), "2024-03-05T07:08:09+00:00");
    EXPECT_EQ(t.db_datetime(), "2024-03-05 07:08:09.000000");
    EXPECT_EQ(t.http_date(), "Tue, 05 Mar 2024 07:08:09 GMT");
}

TEST(CivilTime, AtAnOffset) {
    const CivilTime east = CivilTime::from_unix(kSample, 5 * 60 + 30);
    EXPECT_EQ(east.display(), "2024-03-05 12:38:09");
    EXPECT_EQ(east.rfc2822(), "Tue, 05 Mar 2024 12:38:09 +0530");
    EXPECT_EQ(east.rfc3339(), "2024-03-05T12:38:09+05:30");
    const CivilTime west = CivilTime::from_unix(kSample, -8 * 60);
    EXPECT_EQ(west.rfc2822(), "Mon, 04 Mar 2024 23:08:09 -0800");
    EXPECT_EQ(west.rfc3339(), "2024-03-04T23:08:09-08:00");
}

TEST(CivilTime, FromTimePointKeepsMicroseconds) {
    const Clock::time_point t = Clock::time_point(seconds(kSample)) + microseconds(12345);
    EXPECT_EQ(CivilTime::from(t).db_datetime(), "2024-03-05 07:08:09.012345");
    EXPECT_EQ(db_datetime(t), "2024-03-05 07:08:09.012345");
    EXPECT_EQ(http_date(t), "Tue, 05 Mar 2024 07:08:09 GMT");
    EXPECT_EQ(parse_db_datetime(db_datetime(t)), t);
}

TEST(CivilTime, EpochAndBefore1970) {
    EXPECT_EQ(CivilTime::from_unix(0).rfc2822(), "Thu, 01 Jan 1970 00:00:00 +0000");
    EXPECT_EQ(CivilTime::from_unix(-1).display(), "1969-12-31 23:59:59");
    // 1901-12-13 20:45:52 UTC, a Friday (just below the 32-bit time_t range).
    EXPECT_EQ(CivilTime::from_unix(-2147483648LL).http_date(), "Fri, 13 Dec 1901 20:45:52 GMT");
    EXPECT_EQ(CivilTime::from(Clock::time_point(seconds(-1)) + microseconds(250000)).db_datetime(),
              "1969-12-31 23:59:59.250000");
}

TEST(CivilTime, After2038) {
    // 2038-01-19 03:14:08 UTC, one second past the 32-bit time_t range, a Tuesday.
    EXPECT_EQ(CivilTime::from_unix(2147483648LL).rfc2822(), "Tue, 19 Jan 2038 03:14:08 +0000");
    // 2100-03-01 (2100 is not a leap year), a Monday.
    EXPECT_EQ(CivilTime::from_unix(4107542400LL).http_date(), "Mon, 01 Mar 2100 00:00:00 GMT");
}

TEST(CivilTime, YearClampedToFourDigits) {
    // 10000-01-01 prints as 9999 rather than five digits.
    EXPECT_EQ(CivilTime::from_unix(253402300800LL).year, 10000);
    EXPECT_EQ(CivilTime::from_unix(253402300800LL).iso8601().substr(0, 4), "9999");
}

TEST(CivilTime, DoesNotDependOnTheServerTimeZone) {
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    const CivilTime before = CivilTime::from_unix(kSample);
    const std::string forms = before.display() + before.rfc2822() + before.rfc3339() +
                              before.iso8601() + http_date(Clock::time_point(seconds(kSample)));
    for (const char* zone :
         {"EST5EDT,M3.2.0,M11.1.0", "IST-5:30", "NZST-12NZDT,M9.5.0,M4.1.0/3", "UTC-14"}) {
        ::setenv("TZ", zone, 1);
        ::tzset();
        // The zone took effect (a name without tzdata would silently be UTC).
        const time_t sample = kSample;
        std::tm local{};
        ASSERT_NE(::localtime_r(&sample, &local), nullptr);
        ASSERT_NE(local.tm_hour, 7) << zone;
        const CivilTime t = CivilTime::from_unix(kSample);
        EXPECT_EQ(t.display() + t.rfc2822() + t.rfc3339() + t.iso8601() +
                      http_date(Clock::time_point(seconds(kSample))),
                  forms)
            << zone;
        EXPECT_EQ(db_datetime(Clock::time_point(seconds(kSample))), "2024-03-05 07:08:09.000000");
    }
    if (old)
        ::setenv("TZ", saved.c_str(), 1);
    else
        ::unsetenv("TZ");
    ::tzset();
}

}  // namespace
}  // namespace kallithea::timefmt
