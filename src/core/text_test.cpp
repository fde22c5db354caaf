// Tests of core/text.hpp: case, trimming, percent-decoding and Kallithea's str2bool.
#include "core/text.hpp"

#include <gtest/gtest.h>

namespace kallithea::text {
namespace {

TEST(Text, AsciiLowerLeavesNonAsciiBytes) {
    EXPECT_EQ(ascii_lower("MiXeD-09_Z"), "mixed-09_z");
    EXPECT_EQ(ascii_lower("\xC3\x84"), "\xC3\x84");  // "Ä" stays
    EXPECT_EQ(ascii_lower(""), "");
}

TEST(Text, AsciiIequals) {
    EXPECT_TRUE(ascii_iequals("Content-Type", "content-type"));
    EXPECT_FALSE(ascii_iequals("gzip", "gzip "));
    EXPECT_FALSE(ascii_iequals("\xC3\x84", "\xC3\xA4"));
}

TEST(Text, TrimStripsAllAsciiWhiteSpaceByDefault) {
    EXPECT_EQ(trim(" \t\r\n\v\fvalue \t\r\n\v\f"), "value");
    EXPECT_EQ(trim("  a b  "), "a b");
    EXPECT_EQ(trim(" \t "), "");
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim("\nx\n", " \t"), "\nx\n");
    EXPECT_EQ(trim("\"x\"", "\""), "x");
}

TEST(Text, TrimBlanksStripsOnlySpaceAndTab) {
    EXPECT_EQ(trim_blanks(" \tv a\t "), "v a");
    EXPECT_EQ(trim_blanks("\r\nv\r\n"), "\r\nv\r\n");
}

TEST(Text, PercentDecodeStrict) {
    EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
    EXPECT_EQ(percent_decode("a+b"), "a+b");
    EXPECT_EQ(percent_decode("a+b", true), "a b");
    EXPECT_EQ(percent_decode("%e2%82%AC"), "\xe2\x82\xac");
    EXPECT_FALSE(percent_decode("%"));
    EXPECT_FALSE(percent_decode("%4"));
    EXPECT_FALSE(percent_decode("x%zz"));
    EXPECT_EQ(percent_decode(""), "");
}

TEST(Text, PercentDecodeLenientKeepsMalformedEscapes) {
    EXPECT_EQ(percent_decode_lenient("a%20b"), "a b");
    EXPECT_EQ(percent_decode_lenient("100%"), "100%");
    EXPECT_EQ(percent_decode_lenient("%4"), "%4");
    EXPECT_EQ(percent_decode_lenient("%zz%41"), "%zzA");
    EXPECT_EQ(percent_decode_lenient("a+b"), "a+b");
    EXPECT_EQ(percent_decode_lenient("a+b", true), "a b");
}

TEST(Text, Str2boolIsKallitheas) {
    for (const char* yes :
         {"t", "true", "y", "yes", "on", "1", "True", "TRUE", "Yes", "ON", " on ", "\ttrue\n"})
        EXPECT_TRUE(str2bool(yes)) << yes;
    for (const char* no : {"", "f", "false", "n", "no", "off", "0", "2", "enabled", "truee", "o n"})
        EXPECT_FALSE(str2bool(no)) << no;
    EXPECT_FALSE(str2bool(std::nullopt));
    EXPECT_TRUE(str2bool(std::optional<std::string>("True")));
    EXPECT_FALSE(str2bool(std::optional<std::string>()));
    EXPECT_TRUE(str2bool(std::string("1")));
}

TEST(Text, ParseBoolIsStrict) {
    EXPECT_EQ(parse_bool("Yes"), true);
    EXPECT_EQ(parse_bool(" t "), true);
    EXPECT_EQ(parse_bool("OFF"), false);
    EXPECT_EQ(parse_bool("n"), false);
    EXPECT_EQ(parse_bool("0"), false);
    EXPECT_EQ(parse_bool(""), std::nullopt);
    EXPECT_EQ(parse_bool("maybe"), std::nullopt);
}

}  // namespace
}  // namespace kallithea::text
