// The source view's table: line numbers and text stay aligned whatever the line ends.
#include "web/files/file_page_views.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using kallithea::web::file_pages::source_rows;

namespace {

// (number of line anchors, text of the code cell with entities as written)
std::pair<size_t, std::string> parse(const std::string& html) {
    size_t anchors = 0;
    for (size_t at = html.find("<a id=\"L"); at != std::string::npos;
         at = html.find("<a id=\"L", at + 1))
        ++anchors;
    const size_t open = html.find("<code>") + 6;
    return {anchors, html.substr(open, html.find("</code>") - open)};
}

}  // namespace

TEST(SourceRows, LinesAndNumbersAgree) {
    const struct {
        std::string text;
        size_t lines;
        std::string code;
    } cases[] = {
        {"one\ntwo\n", 2, "one\ntwo"},
        {"one\ntwo", 2, "one\ntwo"},
        {"\n", 1, ""},
        {"a\r\nb\r\n", 2, "a\nb"},
        {"a\rb\nc", 2, "a&#13;b\nc"},  // a lone CR is no line
                                       // break
        {"<x>&\n", 1, "&lt;x&gt;&amp;"},
        {"\n\n\n", 3, "\n\n"},
    };
    for (const auto& c : cases) {
        const auto [anchors, code] = parse(source_rows(c.text));
        EXPECT_EQ(anchors, c.lines) << c.text;
        EXPECT_EQ(code, c.code) << c.text;
        EXPECT_EQ(static_cast<size_t>(std::count(code.begin(), code.end(), '\n')) + 1, c.lines);
    }
}
