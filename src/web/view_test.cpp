// Template rendering: escaping of small and large strings, raw large strings spliced unchanged.
#include "web/view.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace kallithea;

namespace {

std::string repeat(std::string_view piece, size_t times) {
    std::string out;
    for (size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

}  // namespace

TEST(View, EscapesSmallAndLargeStrings) {
    for (size_t times : {1, 5000}) {
        web::View view;
        view.set("status", "404").set("explanation", repeat("<b a='1'>&\"", times));
        const std::string html = web::render("error", view);
        EXPECT_NE(html.find(repeat("&lt;b a=&apos;1&apos;&gt;&amp;&quot;", times)),
                  std::string::npos);
        EXPECT_EQ(html.find("<b"), std::string::npos);
        EXPECT_EQ(html.find('\x01'), std::string::npos);
    }
}

TEST(View, LargeRawHtmlIsInsertedUnchanged) {
    const std::string rows = repeat("<tr><td>x &amp; y</td></tr>\n", 2000);
    web::View view;
    view.set("has_lines", true).set("code_rows", rows).set("path", "<p>");
    const std::string html = web::render("file_view", view);
    EXPECT_NE(html.find(rows), std::string::npos);
    EXPECT_NE(html.find("data-path=\"&lt;p&gt;\""), std::string::npos);
    EXPECT_EQ(html.find('\x01'), std::string::npos);
}

TEST(View, ForgedMarkersInUserTextStayText) {
    web::View view;
    view.set("status", "404")
        .set("explanation", std::string("\x01") + "0123456789abcdefR0\x01")
        .set("request_id", repeat("r", 20000));
    const std::string html = web::render("error", view);
    EXPECT_NE(html.find(std::string("\x01") + "0123456789abcdefR0\x01"), std::string::npos);
    EXPECT_NE(html.find(repeat("r", 20000)), std::string::npos);
}
