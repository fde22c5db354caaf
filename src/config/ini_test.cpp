// Tests of the ini parser: ConfigParser syntax, DEFAULT, lazy %(name)s interpolation, errors.
#include "config/ini.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace kallithea::config {
namespace {

Ini parse_ok(std::string_view text) {
    auto ini = Ini::parse(text, "/srv/kallithea", "test.ini");
    EXPECT_TRUE(ini) << (ini ? "" : ini.error().message);
    return ini ? *ini : Ini{};
}

std::string get_ok(const Ini& ini, std::string_view section, std::string_view key) {
    auto value = ini.get(section, key);
    EXPECT_TRUE(value) << (value ? "" : value.error().message);
    EXPECT_TRUE(value && *value) << section << " " << key << " missing";
    return value && *value ? **value : std::string("<none>");
}

std::string parse_error(std::string_view text) {
    auto ini = Ini::parse(text, "/srv", "bad.ini");
    EXPECT_FALSE(ini);
    if (ini)
        return {};
    EXPECT_EQ(ini.error().code, Errc::config);
    return ini.error().message;
}

TEST(Ini, SectionsKeysAndBothDelimiters) {
    const Ini ini =
        parse_ok("[server:main]\nhost = 127.0.0.1\nport: 5000\n\n[app:main]\nuse=egg:kallithea\n");
    EXPECT_EQ(get_ok(ini, "server:main", "host"), "127.0.0.1");
    EXPECT_EQ(get_ok(ini, "server:main", "port"), "5000");
    EXPECT_EQ(get_ok(ini, "app:main", "use"), "egg:kallithea");
    EXPECT_EQ(ini.sections(), (std::vector<std::string>{"server:main", "app:main"}));
    EXPECT_TRUE(ini.has_section("app:main"));
    EXPECT_FALSE(ini.has_section("APP:MAIN"));  // section names are case-sensitive
    EXPECT_FALSE(ini.has_section("nope"));
    auto missing = ini.get("app:main", "nope");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);
    auto no_section = ini.get("nope", "host");
    ASSERT_TRUE(no_section);
    EXPECT_FALSE(*no_section);
}

TEST(Ini, FirstDelimiterSplitsKeyFromValue) {
    const Ini ini = parse_ok(
        "[app:main]\nsqlalchemy.url = sqlite:///x.db\nurl: http://a=b\n"
        "logview.sqlalchemy = #faa\n");
    EXPECT_EQ(get_ok(ini, "app:main", "sqlalchemy.url"), "sqlite:///x.db");
    EXPECT_EQ(get_ok(ini, "app:main", "url"), "http://a=b");
    EXPECT_EQ(get_ok(ini, "app:main", "logview.sqlalchemy"), "#faa");  // no inline comments
}

TEST(Ini, KeysWithSpacesAndCaseInsensitiveLookup) {
    const Ini ini =
        parse_ok("[app:main]\nget trace_errors.smtp_server = smtp_server\nCut_Off_Limit = 5\n");
    EXPECT_EQ(get_ok(ini, "app:main", "get trace_errors.smtp_server"), "smtp_server");
    EXPECT_EQ(get_ok(ini, "app:main", "CUT_OFF_LIMIT"), "5");
    EXPECT_EQ(ini.keys("app:main"),
              (std::vector<std::string>{"get trace_errors.smtp_server", "cut_off_limit"}));
}

TEST(Ini, CommentsAndBlankLines) {
    const Ini ini = parse_ok(
        "# leading comment\n; another\n\n[s]\n  # indented comment\na = 1\n#b = 2\n;c = 3\n");
    EXPECT_EQ(get_ok(ini, "s", "a"), "1");
    EXPECT_EQ(ini.keys("s"), std::vector<std::string>{"a"});
}

TEST(Ini, ContinuationLines) {
    const Ini ini = parse_ok(
        "[s]\nlist =\n    gemfile\n    lock\n# a comment inside\n\n    after blank\n\n"
        "next = x\n  more\nlast = y\n\n\n");
    EXPECT_EQ(get_ok(ini, "s", "list"), "\ngemfile\nlock\n\nafter blank");
    EXPECT_EQ(get_ok(ini, "s", "next"), "x\nmore");
    EXPECT_EQ(get_ok(ini, "s", "last"), "y");
}

TEST(Ini, CrLfAndByteOrderMark) {
    const Ini ini = parse_ok("\xEF\xBB\xBF[s]\r\na = 1\r\nb = two words \r\n");
    EXPECT_EQ(get_ok(ini, "s", "a"), "1");
    EXPECT_EQ(get_ok(ini, "s", "b"), "two words");
}

TEST(Ini, DefaultValuesAreVisibleEverywhere) {
    const Ini ini =
        parse_ok("[DEFAULT]\nsmtp_server = mail.example.com\nport = 1\n[a]\nport = 2\n[b]\n");
    EXPECT_EQ(get_ok(ini, "a", "smtp_server"), "mail.example.com");
    EXPECT_EQ(get_ok(ini, "b", "smtp_server"), "mail.example.com");
    EXPECT_EQ(get_ok(ini, "a", "port"), "2");
    EXPECT_EQ(get_ok(ini, "b", "port"), "1");
    EXPECT_EQ(get_ok(ini, "DEFAULT", "port"), "1");
    EXPECT_FALSE(ini.has_section("DEFAULT"));
    EXPECT_EQ(ini.sections(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(ini.keys("a"), std::vector<std::string>{"port"});
    EXPECT_EQ(ini.keys("DEFAULT"), (std::vector<std::string>{"smtp_server", "port"}));
}

TEST(Ini, HereAndFileBuiltins) {
    const Ini ini = parse_ok("[app:main]\ncache_dir = %(here)s/data\nself = %(__file__)s\n");
    EXPECT_EQ(get_ok(ini, "app:main", "cache_dir"), "/srv/kallithea/data");
    EXPECT_EQ(get_ok(ini, "app:main", "self"), "/srv/kallithea/test.ini");
    EXPECT_EQ(ini.raw("app:main", "cache_dir"), "%(here)s/data");
}

TEST(Ini, HereFromLoadIsAbsoluteDirectoryOfTheFile) {
    const auto dir = std::filesystem::path(testing::TempDir()) / "ini_test_here";
    std::filesystem::create_directories(dir);
    const auto file = dir / "my.ini";
    std::ofstream(file) << "[app:main]\nd = %(here)s\nf = %(__file__)s\n";
    auto ini = Ini::load(file.string());
    ASSERT_TRUE(ini) << ini.error().message;
    const auto canonical = std::filesystem::absolute(dir).lexically_normal();
    EXPECT_EQ(get_ok(*ini, "app:main", "d"), canonical.string());
    EXPECT_EQ(get_ok(*ini, "app:main", "f"), (canonical / "my.ini").string());
    EXPECT_EQ(ini->label(), file.string());
    std::filesystem::remove_all(dir);
}

TEST(Ini, InterpolationWithinSectionAndDefault) {
    const Ini ini = parse_ok(
        "[DEFAULT]\nroot = /r\nsub = %(root)s/%(leaf)s\nleaf = d\n"
        "[s]\nleaf = s\nname = kallithea\nurl = %(ROOT)s/%(name)s.db\npath = %(sub)s\n");
    EXPECT_EQ(get_ok(ini, "s", "url"), "/r/kallithea.db");  // names are case-insensitive too
    // A [DEFAULT] value referring to a key is resolved in the section that was asked for.
    EXPECT_EQ(get_ok(ini, "s", "path"), "/r/s");
    EXPECT_EQ(get_ok(ini, "DEFAULT", "sub"), "/r/d");
}

TEST(Ini, DefaultCanOverrideHere) {
    const Ini ini = parse_ok("[DEFAULT]\nhere = /elsewhere\n[s]\nx = %(here)s/y\n");
    EXPECT_EQ(get_ok(ini, "s", "x"), "/elsewhere/y");
}

TEST(Ini, PercentEscape) {
    const Ini ini = parse_ok("[s]\nrate = 100%%\nfmt = %%(asctime)s\n");
    EXPECT_EQ(get_ok(ini, "s", "rate"), "100%");
    EXPECT_EQ(get_ok(ini, "s", "fmt"), "%(asctime)s");
}

TEST(Ini, InterpolationErrorsAreLazy) {
    const Ini ini = parse_ok(
        "[formatter_generic]\nformat = %(asctime)s %(message)s\ndatefmt = %Y-%m-%d\nok = fine\n");
    EXPECT_EQ(get_ok(ini, "formatter_generic", "ok"), "fine");
    auto unknown = ini.get("formatter_generic", "format");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, Errc::config);
    EXPECT_EQ(unknown.error().message,
              "test.ini: [formatter_generic] format: unknown interpolation %(asctime)s");
    auto syntax = ini.get("formatter_generic", "datefmt");
    ASSERT_FALSE(syntax);
    EXPECT_NE(syntax.error().message.find("test.ini: [formatter_generic] datefmt: '%' must be"),
              std::string::npos)
        << syntax.error().message;
    EXPECT_EQ(ini.raw("formatter_generic", "format"), "%(asctime)s %(message)s");
}

TEST(Ini, BadReferenceSyntax) {
    const Ini ini = parse_ok("[s]\na = %(unclosed\nb = %(x)d\nc = %()s\nd = trailing %\n");
    for (const char* key : {"a", "b", "c", "d"}) {
        auto value = ini.get("s", key);
        EXPECT_FALSE(value) << key;
    }
}

TEST(Ini, RecursionIsDetected) {
    const Ini ini =
        parse_ok("[s]\na = %(b)s\nb = %(a)s\nself = x%(self)s\nok = %(c)s%(c)s\nc = 1\n");
    auto loop = ini.get("s", "a");
    ASSERT_FALSE(loop);
    EXPECT_EQ(loop.error().message, "test.ini: [s] a: recursive interpolation %(a)s");
    EXPECT_FALSE(ini.get("s", "self"));
    EXPECT_EQ(get_ok(ini, "s", "ok"), "11");  // repeated references are not recursion
}

TEST(Ini, ParseErrorsNameFileAndLine) {
    EXPECT_EQ(parse_error("key = value\n"),
              "bad.ini:1: a key outside of any section (the file must start with a [section] "
              "header)");
    EXPECT_EQ(parse_error("[s]\na = 1\nno delimiter here\n"),
              "bad.ini:3: expected 'key = value', got 'no delimiter here'");
    EXPECT_EQ(parse_error("[s]\n= value\n"), "bad.ini:2: missing key name before '='");
    EXPECT_EQ(parse_error("[s]\na = 1\n\n[t]\n[s]\n"), "bad.ini:5: section [s] appears twice");
    EXPECT_EQ(parse_error("[s]\na = 1\nA = 2\n"), "bad.ini:3: key 'a' appears twice in [s]");
    EXPECT_EQ(parse_error("[s]\n[\n"), "bad.ini:2: expected 'key = value', got '['");
}

TEST(Ini, DefaultMayBeReopened) {
    const Ini ini = parse_ok("[DEFAULT]\na = 1\n[s]\n[DEFAULT]\nb = 2\n");
    EXPECT_EQ(get_ok(ini, "s", "b"), "2");
}

TEST(Ini, IndentedLineAfterHeaderIsNotAContinuation) {
    const Ini ini = parse_ok("[s]\n  a = 1\n  b = 2\n");
    EXPECT_EQ(get_ok(ini, "s", "a"), "1");
    EXPECT_EQ(get_ok(ini, "s", "b"), "2");
}

TEST(Ini, MissingFile) {
    auto ini = Ini::load("/nonexistent/dir/kallithea.ini");
    ASSERT_FALSE(ini);
    EXPECT_EQ(ini.error().code, Errc::config);
    EXPECT_EQ(
        ini.error().message.rfind("cannot read config file /nonexistent/dir/kallithea.ini: ", 0),
        0u)
        << ini.error().message;
    auto dir = Ini::load(testing::TempDir());
    ASSERT_FALSE(dir);
    EXPECT_NE(dir.error().message.find("is a directory"), std::string::npos);
}

}  // namespace
}  // namespace kallithea::config
