// Template rendering: escaping, large strings, mustache semantics (lookup, sections, standalone
// lines) and rejection of invalid templates.
#include "web/view.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace kallithea;

namespace {

std::string repeat(std::string_view piece, size_t times) {
    std::string out;
    for (size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

web::View item(std::string name) {
    return web::View().set("name", std::move(name));
}

// One view with a value of every kind, shared by the semantics cases.
web::View sample() {
    web::View inner;
    inner.set("id", "abc").set("name", "inner").set("deep", web::View().set("leaf", "L"));
    web::View view;
    view.set("name", "outer")
        .set("html", "<b>&'\"")
        .set("empty", "")
        .set("yes", true)
        .set("no", false)
        .set("obj", inner)
        .set("none", web::View())
        .set("items", std::vector<web::View>{item("a"), item("b"), web::View()})
        .set("nothing", std::vector<web::View>{});
    return view;
}

struct Case {
    const char* tmpl;
    const char* expected;
};

}  // namespace

TEST(View, RendersMustacheSemantics) {
    const std::vector<Case> cases = {
        // Variables: escaped, raw, missing, non-strings print nothing.
        {"{{name}}", "outer"},
        {"{{html}}", "&lt;b&gt;&amp;&apos;&quot;"},
        {"{{{html}}}", "<b>&'\""},
        {"{{&html}}", "<b>&'\""},
        {"{{ name }}|{{{ name }}}|{{# yes }}y{{/ yes }}", "outer|outer|y"},
        {"[{{missing}}]", "[]"},
        {"[{{yes}}{{no}}{{obj}}{{items}}{{nothing}}]", "[]"},
        // Dotted names: first part through the stack, the rest inside objects only.
        {"{{obj.id}}/{{obj.deep.leaf}}", "abc/L"},
        {"[{{obj.missing}}{{name.x}}{{items.name}}{{missing.x}}]", "[]"},
        {"{{#items}}{{obj.id}}{{/items}}", "abcabcabc"},
        {"{{#obj.deep}}{{leaf}}{{name}}{{/obj.deep}}", "Louter"},
        // Sections by kind.
        {"{{#yes}}T{{name}}{{/yes}}", "Touter"},
        {"[{{#no}}F{{/no}}{{#missing}}M{{/missing}}{{#nothing}}N{{/nothing}}]", "[]"},
        {"{{#obj}}{{id}} {{name}} {{html}}{{/obj}}", "abc inner &lt;b&gt;&amp;&apos;&quot;"},
        {"{{#none}}[{{name}}]{{/none}}", "[outer]"},
        {"{{#items}}<{{name}}>{{/items}}", "<a><b><outer>"},
        {"{{#name}}S{{name}}{{/name}}", "Souter"},
        {"[{{#empty}}E{{/empty}}]", "[]"},
        {"{{#obj}}{{#items}}{{id}}{{name}};{{/items}}{{/obj}}", "abca;abcb;abcinner;"},
        // Inverted sections render exactly when sections do not.
        {"{{^no}}a{{/no}}{{^missing}}b{{/missing}}{{^nothing}}c{{/nothing}}{{^empty}}d{{/empty}}",
         "abcd"},
        {"[{{^yes}}a{{/yes}}{{^name}}b{{/name}}{{^obj}}c{{/obj}}{{^items}}d{{/items}}]", "[]"},
        {"[{{^none}}e{{/none}}]", "[]"},
        // Standalone section lines vanish with their newline; other lines keep their blanks.
        {"A\n{{#yes}}\nB\n{{/yes}}\nC\n", "A\nB\nC\n"},
        {"A\n{{#no}}\nB\n{{/no}}\nC\n", "A\nC\n"},
        {"A\n  {{#yes}}  \n  B\n\t{{/yes}}\t\nC", "A\n  B\nC"},
        {"A\r\n{{^no}}\r\nB\r\n{{/no}}\r\nC", "A\r\nB\r\nC"},
        {"{{#yes}}\nB\n{{/yes}}", "B\n"},
        {"A\n{{#items}}\n- {{name}}\n{{/items}}\n", "A\n- a\n- b\n- outer\n"},
        {"A {{#yes}}\nB\n{{/yes}} C\n", "A \nB\n C\n"},
        {"  {{#yes}}x{{/yes}}  \n", "  x  \n"},
        {"  {{#no}}{{/no}}\n", "  \n"},
        {"{{name}}\n{{#yes}}\n{{/yes}}\n", "outer\n"},
        {"  {{name}}  \n", "  outer  \n"},
        {"{{#yes}}\n{{/yes}}", ""},
        {"No tags {here} }}", "No tags {here} }}"},
    };
    const web::View view = sample();
    for (const auto& c : cases) {
        EXPECT_EQ(web::render_template_text(c.tmpl, view), c.expected) << "template: " << c.tmpl;
    }
}

TEST(View, SetReplacesAndFindsFields) {
    web::View view;
    view.set("a", "1").set("b", true).set("a", std::string("2"));
    ASSERT_EQ(view.fields().size(), 2u);
    const auto* a = view.find("a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(std::get<std::string>(a->v), "2");
    EXPECT_EQ(view.find("c"), nullptr);
    EXPECT_EQ(web::render_template_text("{{a}}", view), "2");
}

TEST(View, RejectsInvalidTemplates) {
    const web::View view = sample();
    for (const char* bad : {
             "{{#a}}x",
             "{{/a}}",
             "{{#a}}{{/b}}",
             "{{#a}}{{#b}}{{/a}}{{/b}}",
             "{{^a}}",
             "{{name",
             "{{{name}}",
             "{{}}",
             "{{.}}",
             "{{a..b}}",
             "{{.a}}",
             "{{!comment}}",
             "{{>partial}}",
             "{{=<% %>=}}",
             "{{a b}}",
         }) {
        EXPECT_THROW(web::render_template_text(bad, view), std::logic_error) << bad;
    }
    try {
        web::render_template_text("ok\n{{#a}}\n", view);
        ADD_FAILURE() << "no throw";
    } catch (const std::logic_error& e) {
        EXPECT_NE(std::string(e.what()).find("(inline)"), std::string::npos) << e.what();
    }
    EXPECT_THROW(web::render("no-such-template", view), std::logic_error);
}

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

// Control characters in user text are plain text: escaped like any other, never interpreted.
TEST(View, ControlCharactersInUserTextStayText) {
    const std::string forged = std::string("\x01") + "0123456789abcdefR0\x01<i>";
    web::View view;
    view.set("status", "404").set("explanation", forged).set("request_id", repeat("r", 20000));
    const std::string html = web::render("error", view);
    EXPECT_NE(html.find(std::string("\x01") + "0123456789abcdefR0\x01&lt;i&gt;"),
              std::string::npos);
    EXPECT_NE(html.find(repeat("r", 20000)), std::string::npos);
    EXPECT_EQ(web::render_template_text("{{{x}}}", web::View().set("x", forged)), forged);
}

namespace web_assets {
std::vector<std::string_view> list();
}  // namespace web_assets

// Every embedded template parses (a broken one would otherwise fail on its first request).
TEST(View, EveryTemplateParses) {
    size_t templates = 0;
    for (std::string_view path : web_assets::list()) {
        if (!path.starts_with("templates/") || !path.ends_with(".mustache"))
            continue;
        const std::string name(path.substr(10, path.size() - 10 - 9));
        EXPECT_NO_THROW(web::render(name, web::View{})) << name;
        ++templates;
    }
    EXPECT_GT(templates, 40u);
}
