// The README renderer: GFM extensions on, raw HTML and script links off, plain text escaped.
#include <gtest/gtest.h>

#include "web/markup/markup.hpp"

using namespace kallithea::web::markup;

TEST(Markdown, HeadingsAndGfmExtensions) {
    const std::string html = markdown_to_html(
        "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ see https://example.com\n");
    EXPECT_NE(html.find("<h1>Title</h1>"), std::string::npos) << html;
    EXPECT_NE(html.find("<table>"), std::string::npos) << html;
    EXPECT_NE(html.find("<del>gone</del>"), std::string::npos) << html;
    EXPECT_NE(html.find("<a href=\"https://example.com\">"), std::string::npos) << html;
}

TEST(Markdown, RawHtmlAndScriptLinksAreNotPassedThrough) {
    const std::string html = markdown_to_html(
        "<script>alert(1)</script>\n\nx <img src=x onerror=alert(2)> [a](javascript:alert(3))\n");
    EXPECT_EQ(html.find("<script"), std::string::npos) << html;
    EXPECT_EQ(html.find("<img"), std::string::npos) << html;
    EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
}

TEST(Markdown, InvalidUtf8DoesNotBreakRendering) {
    const std::string html = markdown_to_html(std::string("a\xff\xfe b\n", 6));
    EXPECT_FALSE(html.empty());
}

TEST(Plain, IsEscapedInPre) {
    EXPECT_EQ(plain_to_html("<b>&\""), "<pre class=\"plain\">&lt;b&gt;&amp;&quot;</pre>");
}

TEST(ReadmeCache, SameBlobGivesTheCachedRendering) {
    kallithea::service::Readme readme;
    readme.kind = kallithea::service::MarkupKind::markdown;
    readme.text = "# One\n";
    readme.blob_id = "0123456789abcdef0123456789abcdef01234567";
    auto first = render_readme(readme);
    readme.text = "# Two\n";  // same blob id: the cached HTML is returned
    auto second = render_readme(readme);
    EXPECT_EQ(first.get(), second.get());
    readme.kind = kallithea::service::MarkupKind::plain;
    EXPECT_NE(render_readme(readme)->find("<pre"), std::string::npos);
}
