// Diff rendering: line numbers per hunk, row kinds, escaping of file names and content.
#include "web/history/diff_view.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace kallithea;

namespace {

std::string diff_html(const vcs::Diff& diff) {
    web::View v = web::diff_view(diff, "");
    const web::View::Value* field = v.find("diff_html");
    if (field == nullptr)
        throw std::logic_error("diff_view set no diff_html");
    return std::get<std::string>(field->v);
}

}  // namespace

TEST(DiffView, NumbersLinesAndEscapes) {
    vcs::FileDiff file;
    file.old_path = file.new_path = "<script>x.txt";
    file.patch =
        "diff --git a/<script>x.txt b/<script>x.txt\n"
        "--- a/<script>x.txt\n+++ b/<script>x.txt\n"
        "@@ -10,3 +10,3 @@ ctx\n same\n-<old>\n+<new>&\n same2\n\\ No newline at end of file\n";
    vcs::Diff diff;
    diff.files.push_back(file);
    const std::string html = diff_html(diff);
    EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
    EXPECT_NE(html.find("data-path=\"&lt;script&gt;x.txt\""), std::string::npos) << html;
    EXPECT_NE(html.find("<tr class=\"dl-ctx\"><td class=\"ln ln-old\">10</td><td class=\"ln "
                        "ln-new\">10</td><td class=\"code\">same</td></tr>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<tr class=\"dl-del\"><td class=\"ln ln-old\">11</td><td class=\"ln "
                        "ln-new\"></td><td class=\"code\">&lt;old&gt;</td></tr>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<tr class=\"dl-add\"><td class=\"ln ln-old\"></td><td class=\"ln "
                        "ln-new\">11</td><td class=\"code\">&lt;new&gt;&amp;</td></tr>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find(">12</td><td class=\"ln ln-new\">12</td><td class=\"code\">same2<"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("dl-meta"), std::string::npos);
}

TEST(DiffView, BinaryAndCutOffFilesHaveNoRows) {
    vcs::FileDiff binary;
    binary.old_path = binary.new_path = "big.bin";
    binary.binary = true;
    vcs::FileDiff large;
    large.old_path = large.new_path = "big.txt";
    large.too_large = true;
    vcs::Diff diff;
    diff.files = {binary, large};
    diff.truncated = true;
    const std::string html = diff_html(diff);
    EXPECT_NE(html.find("data-binary=\"1\""), std::string::npos);
    EXPECT_NE(html.find("data-too-large=\"1\""), std::string::npos);
    EXPECT_EQ(html.find("<tr"), std::string::npos);
}

TEST(DiffView, AnchorsAreStableAndSafe) {
    EXPECT_EQ(web::file_anchor("abcdef0123456789", "a b"), web::file_anchor("abcdef012345", "a b"));
    EXPECT_NE(web::file_anchor("", "a"), web::file_anchor("", "b"));
    EXPECT_EQ(web::file_anchor("", "<x>").find('<'), std::string::npos);
}
