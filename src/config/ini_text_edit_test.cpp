// Regression tests for the ini line editor found by fuzz/fuzz_ini.cpp: an edited file must read
// back with the value set and every other value unchanged.
#include "config/ini_text_edit.hpp"

#include <gtest/gtest.h>

#include "config/ini.hpp"

namespace kallithea::config {
namespace {

// The raw value of section/key after parsing text (a parse error fails the test).
std::optional<std::string> raw_after(const std::string& text, const std::string& section,
                                     const std::string& key) {
    auto ini = Ini::parse(text, "/srv", "t.ini");
    EXPECT_TRUE(ini) << text;
    return ini ? ini->raw(section, key) : std::nullopt;
}

TEST(IniTextEdit, ReplacesAnIndentedKeyInsteadOfAddingASecondOne) {
    const std::string out = set_ini_values("[s]\n  foo = 1\n  bar = 2\n", "s", {{"foo", "two"}});
    EXPECT_EQ(out, "[s]\n  foo = two\n  bar = 2\n");
    EXPECT_EQ(raw_after(out, "s", "foo"), "two");
    EXPECT_EQ(raw_after(out, "s", "bar"), "2");
}

TEST(IniTextEdit, ReplacingAValueDropsItsContinuationLines) {
    const std::string out =
        set_ini_values("[s]\nfoo = a\n  b\n\n  c\n# note\nbar = 2\n", "s", {{"foo", "new"}});
    EXPECT_EQ(out, "[s]\nfoo = new\n# note\nbar = 2\n");
    EXPECT_EQ(raw_after(out, "s", "foo"), "new");
}

TEST(IniTextEdit, InsertsWhereTheNextLineKeepsItsMeaning) {
    // After a commented example inside another key's value, the new line would swallow that
    // value's continuation: it goes after the last key instead.
    std::string out = set_ini_values("[s]\nfoo = a\n#bar = x\n  b\n", "s", {{"bar", "1"}});
    EXPECT_EQ(raw_after(out, "s", "foo"), "a\nb");
    EXPECT_EQ(raw_after(out, "s", "bar"), "1");
    // Before an indented section header, the new line takes its indentation.
    out = set_ini_values("[s]\n  foo = a\n  [t]\n  x = 1\n", "s", {{"bar", "1"}});
    EXPECT_EQ(raw_after(out, "s", "bar"), "1");
    EXPECT_EQ(raw_after(out, "t", "x"), "1");
}

TEST(IniTextEdit, KeepsAByteOrderMarkOutOfTheFirstHeader) {
    const std::string out = set_ini_values("\xEF\xBB\xBF[s]\nfoo = 1\n", "s", {{"foo", "2"}});
    EXPECT_EQ(out, "\xEF\xBB\xBF[s]\nfoo = 2\n");
    EXPECT_EQ(raw_after(out, "s", "foo"), "2");
}

TEST(IniTextEdit, ContinuationThatLooksLikeAHeaderIsNotOne) {
    const std::string out = set_ini_values("[s]\nfoo = a\n  [t]\n", "t", {{"x", "1"}});
    EXPECT_EQ(raw_after(out, "s", "foo"), "a\n[t]");
    EXPECT_EQ(raw_after(out, "t", "x"), "1");
}

}  // namespace
}  // namespace kallithea::config
