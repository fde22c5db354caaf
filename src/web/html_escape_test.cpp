// The HTML escaper: every special character, runs of plain text, appending to existing output.
#include "web/html_escape.hpp"

#include <gtest/gtest.h>

#include <string>

using kallithea::web::append_html;

TEST(AppendHtml, EscapesTheFiveCharacters) {
    const struct {
        std::string_view in;
        std::string_view out;
    } cases[] = {
        {"", ""},
        {"plain text", "plain text"},
        {"&", "&amp;"},
        {"<script>alert('x')</script>", "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"},
        {"a \"quoted\" & <b>", "a &quot;quoted&quot; &amp; &lt;b&gt;"},
        {"&amp;", "&amp;amp;"},
        {"\xc3\xbc\x01\xff", "\xc3\xbc\x01\xff"},  // other bytes pass through
        {"<<>>", "&lt;&lt;&gt;&gt;"},
    };
    for (const auto& c : cases) {
        std::string out = "prefix|";
        append_html(out, c.in);
        EXPECT_EQ(out, "prefix|" + std::string(c.out)) << c.in;
    }
}

TEST(AppendHtml, LargeInputWithManyEntities) {
    std::string in, want;
    for (int i = 0; i < 10000; ++i) {
        in += "x<y&'\"z>";
        want += "x&lt;y&amp;&apos;&quot;z&gt;";
    }
    std::string out;
    append_html(out, in);
    EXPECT_EQ(out, want);
}
