// Unit tests for the router, the message helpers (percent coding, forms, queries, headers) and
// request-target validation.
#include "http/router.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/request_id.hpp"
#include "http/request_target.hpp"
#include "http/response_head.hpp"

namespace kallithea::http {
namespace {

TEST(Router, MatchesLiteralsInOrder) {
    Router router;
    const auto home = router.add({Method::get}, "/");
    const auto about = router.add({Method::get}, "/about/us");
    EXPECT_EQ(router.size(), 2u);
    EXPECT_EQ(router.pattern(about), "/about/us");

    auto r = router.find(Method::get, "/");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->id, home);
    r = router.find(Method::get, "/about/us");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->id, about);
    r = router.find(Method::get, "/about");
    EXPECT_FALSE(r.match);
    EXPECT_FALSE(r.path_matched);
    r = router.find(Method::get, "/about/us/more");
    EXPECT_FALSE(r.match);
}

TEST(Router, FirstMatchingRouteWins) {
    Router router;
    const auto fixed = router.add({Method::get}, "/_admin/users");
    router.add({Method::get}, "/{repo}/users");
    auto r = router.find(Method::get, "/_admin/users");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->id, fixed);
    EXPECT_TRUE(r.match->params.empty());
}

TEST(Router, ParamMatchesExactlyOneNonEmptySegment) {
    Router router;
    router.add({Method::get}, "/users/{id}/edit");
    auto r = router.find(Method::get, "/users/42/edit");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->params.at("id"), "42");
    EXPECT_FALSE(router.find(Method::get, "/users//edit").match);
    EXPECT_FALSE(router.find(Method::get, "/users/a/b/edit").match);
    EXPECT_FALSE(router.find(Method::get, "/users/edit").match);
}

TEST(Router, PathParamTriesShortestAcceptedCandidate) {
    Router router;
    router.add({Method::get}, "/{repo:path}/changeset/{rev}");
    router.add({Method::get}, "/{repo:path}");

    std::vector<std::string> asked;
    auto accept_group_repo = [&](std::string_view param, std::string_view value) {
        EXPECT_EQ(param, "repo");
        asked.emplace_back(value);
        return value == "group/sub/repo";
    };
    auto r = router.find(Method::get, "/group/sub/repo/changeset/abc", accept_group_repo);
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->id, 0u);
    EXPECT_EQ(r.match->params.at("repo"), "group/sub/repo");
    EXPECT_EQ(r.match->params.at("rev"), "abc");
    // Only candidates whose remainder matches are offered.
    EXPECT_EQ(asked, std::vector<std::string>{"group/sub/repo"});

    asked.clear();
    r = router.find(Method::get, "/group/sub/repo", accept_group_repo);
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->id, 1u);
    EXPECT_EQ(asked.size(), 1u);

    // Without an acceptor the shortest candidate whose remainder matches wins.
    r = router.find(Method::get, "/a/b/changeset/c/changeset/d");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->id, 0u);
    EXPECT_EQ(r.match->params.at("repo"), "a/b/changeset/c");
    EXPECT_EQ(r.match->params.at("rev"), "d");
}

TEST(Router, PathParamShortestFirstThenLonger) {
    Router router;
    router.add({Method::get}, "/{repo:path}/files/{rest:rest}");
    std::vector<std::string> asked;
    auto accept = [&](std::string_view, std::string_view value) {
        asked.emplace_back(value);
        return value == "a/files/b";
    };
    auto r = router.find(Method::get, "/a/files/b/files/c/d", accept);
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->params.at("repo"), "a/files/b");
    EXPECT_EQ(r.match->params.at("rest"), "c/d");
    EXPECT_EQ(asked, (std::vector<std::string>{"a", "a/files/b"}));
    EXPECT_FALSE(router.find(Method::get, "/files/x", accept).match);
}

TEST(Router, RestMatchesZeroOrMoreSegments) {
    Router router;
    router.add({Method::get}, "/static/{file:rest}");
    auto r = router.find(Method::get, "/static/css/style.css");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->params.at("file"), "css/style.css");
    r = router.find(Method::get, "/static");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->params.at("file"), "");
    r = router.find(Method::get, "/static/");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->params.at("file"), "");
    EXPECT_FALSE(router.find(Method::get, "/staticx/a").match);
}

TEST(Router, DetectsOtherMethodsFor405) {
    Router router;
    router.add({Method::post}, "/login");
    router.add({Method::get}, "/repos/{name}");
    auto r = router.find(Method::get, "/login");
    EXPECT_FALSE(r.match);
    EXPECT_TRUE(r.path_matched);
    r = router.find(Method::post, "/login");
    ASSERT_TRUE(r.match);
    EXPECT_TRUE(r.path_matched);
    r = router.find(Method::post, "/repos/x");
    EXPECT_FALSE(r.match);
    EXPECT_TRUE(r.path_matched);
    r = router.find(Method::post, "/nowhere");
    EXPECT_FALSE(r.match);
    EXPECT_FALSE(r.path_matched);
}

TEST(Router, HeadUsesGetRoutes) {
    Router router;
    router.add({Method::get}, "/page");
    EXPECT_TRUE(router.find(Method::head, "/page").match);
}

TEST(Router, SameRouteForTwoMethods) {
    Router router;
    const auto id = router.add({Method::get, Method::post}, "/settings");
    EXPECT_EQ(router.find(Method::get, "/settings").match->id, id);
    EXPECT_EQ(router.find(Method::post, "/settings").match->id, id);
}

TEST(Router, StripsOneTrailingSlash) {
    Router router;
    router.add({Method::get}, "/x");
    router.add({Method::get}, "/");
    EXPECT_TRUE(router.find(Method::get, "/x/").match);
    EXPECT_EQ(router.find(Method::get, "/x/").match->id, 0u);
    EXPECT_FALSE(router.find(Method::get, "/x//").match);
    EXPECT_EQ(router.find(Method::get, "/").match->id, 1u);
}

TEST(Router, RejectsMalformedPatterns) {
    Router router;
    EXPECT_THROW(router.add({Method::get}, "x"), std::invalid_argument);
    EXPECT_THROW(router.add({Method::get}, "/{a:rest}/b"), std::invalid_argument);
    EXPECT_THROW(router.add({Method::get}, "/{a:regex}"), std::invalid_argument);
    EXPECT_THROW(router.add({Method::get}, "/{}"), std::invalid_argument);
    EXPECT_THROW(router.add({Method::get}, "/file.{ext}"), std::invalid_argument);
}

TEST(Router, PathParamValuesAreViewsIntoThePath) {
    Router router;
    router.add({Method::get}, "/{repo:path}/files/{rev}/{file:rest}");
    const std::string path = "/g/r/files/tip/a//b/";
    auto r = router.find(Method::get, path, [&](std::string_view, std::string_view value) {
        EXPECT_GE(value.data(), path.data());
        EXPECT_LE(value.data() + value.size(), path.data() + path.size());
        return value == "g/r";
    });
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->params.at("repo"), "g/r");
    EXPECT_EQ(r.match->params.at("rev"), "tip");
    EXPECT_EQ(r.match->params.at("file"), "a//b");
    r = router.find(Method::get, "/g/r/files/tip");
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->params.at("file"), "");
}

TEST(Router, LimitsBoundTheWork) {
    Router router;
    router.add({Method::get}, "/{repo:path}/raw/{rev}/{file:rest}");
    router.add({Method::get}, "/{all:rest}");
    Router::Limits limits;
    limits.max_segments = 20;
    limits.path_param_segments = 4;
    limits.path_param_bytes = 7;
    router.set_limits(limits);
    EXPECT_EQ(router.limits().path_param_segments, 4u);
    std::vector<std::string> asked;
    auto accept = [&](std::string_view, std::string_view value) {
        asked.emplace_back(value);
        return false;
    };
    // Candidates: at most 4 segments and 7 bytes.
    auto r = router.find(Method::get, "/a/raw/b/raw/c/raw/d/raw/e", accept);
    EXPECT_EQ(asked, (std::vector<std::string>{"a", "a/raw/b"}));
    ASSERT_TRUE(r.match);
    EXPECT_EQ(r.match->id, 1u);
    asked.clear();
    router.find(Method::get, "/a/b/c/d/e/raw/x/y", accept);
    EXPECT_TRUE(asked.empty());  // a/b/c/d/e has 5 segments
    // 20 segments match; 21 match no route at all.
    std::string path;
    for (int i = 0; i < 20; ++i)
        path += "/s";
    EXPECT_TRUE(router.find(Method::get, path).match);
    EXPECT_FALSE(router.find(Method::get, path + "/s").path_matched);
    EXPECT_TRUE(router.find(Method::get, path + "/").match);
}

TEST(Router, MoveKeepsRoutes) {
    Router router;
    router.add({Method::get}, "/a");
    Router moved = std::move(router);
    EXPECT_TRUE(moved.find(Method::get, "/a").match);
}

// percent_decode is core/text.hpp's (tested in core/text_test.cpp); http re-exports it.
TEST(Message, PercentDecodeIsCoreTexts) {
    EXPECT_EQ(http::percent_decode("a%20b"), "a b");
}

TEST(Message, PercentEncode) {
    EXPECT_EQ(percent_encode("a b/c~d"), "a%20b%2Fc~d");
    EXPECT_EQ(percent_encode("a b/c", true), "a%20b/c");
    EXPECT_EQ(percent_encode("\xe2\x82\xac"), "%E2%82%AC");
    EXPECT_EQ(percent_decode(percent_encode("x?&=#%+")), "x?&=#%+");
}

TEST(Message, ParseForm) {
    const auto form = parse_form("a=1&b=hello+world&c=%26%3D&&d&e=&a=2&bad=%zz");
    ASSERT_EQ(form.size(), 7u);
    EXPECT_EQ(form[0], (std::pair<std::string, std::string>{"a", "1"}));
    EXPECT_EQ(form[1].second, "hello world");
    EXPECT_EQ(form[2].second, "&=");
    EXPECT_EQ(form[3], (std::pair<std::string, std::string>{"d", ""}));
    EXPECT_EQ(form[4], (std::pair<std::string, std::string>{"e", ""}));
    EXPECT_EQ(form[5].second, "2");
    EXPECT_EQ(form[6].second, "%zz");
    EXPECT_TRUE(parse_form("").empty());
}

TEST(Message, QueryParameters) {
    Request request;
    request.raw_query = "page=2&q=a+b%21&page=3";
    const auto query = request.query();
    ASSERT_EQ(query.size(), 3u);
    EXPECT_EQ(request.query_param("page"), "2");
    EXPECT_EQ(request.query_param("q"), "a b!");
    EXPECT_FALSE(request.query_param("missing"));
}

TEST(Message, HeadersAreCaseInsensitive) {
    Headers headers;
    headers.add("Content-Type", "text/html");
    headers.add("X-A", "1");
    headers.add("x-a", "2");
    EXPECT_EQ(headers.get("content-type"), "text/html");
    EXPECT_EQ(headers.get("X-a"), "1");
    headers.set("X-A", "3");
    EXPECT_EQ(headers.items().size(), 2u);
    EXPECT_EQ(headers.get("x-a"), "3");
    headers.remove("CONTENT-TYPE");
    EXPECT_FALSE(headers.has("Content-Type"));
}

TEST(Message, RequestHostAndHeader) {
    Request request;
    EXPECT_EQ(request.host(), "localhost");
    request.headers.add("Host", "example.com:8080");
    EXPECT_EQ(request.host(), "example.com:8080");
    EXPECT_EQ(request.header("host"), "example.com:8080");
    EXPECT_EQ(request.header("missing"), "");
}

class StringBody final : public BodyReader {
public:
    explicit StringBody(std::string data) : data_(std::move(data)) {}
    Result<size_t> read(char* buf, size_t size) override {
        const size_t n = std::min(size, data_.size() - offset_);
        std::copy_n(data_.data() + offset_, n, buf);
        offset_ += n;
        return n;
    }

private:
    std::string data_;
    size_t offset_ = 0;
};

TEST(Message, ReadBodyHonoursLimit) {
    Request request;
    StringBody body(std::string(100000, 'x'));
    request.body = &body;
    auto all = request.read_body(200000);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 100000u);

    StringBody big(std::string(100000, 'x'));
    request.body = &big;
    auto limited = request.read_body(1000);
    ASSERT_FALSE(limited);
    EXPECT_EQ(limited.error().code, Errc::too_large);
}

TEST(Message, ResponseFactoriesAndReasons) {
    auto r = Response::html(404, "<p>x</p>");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.headers.get("Content-Type"), "text/html; charset=utf-8");
    r = Response::json(200, "{}");
    EXPECT_TRUE(r.headers.get("Content-Type")->starts_with("application/json"));
    r = Response::redirect("/login");
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.headers.get("Location"), "/login");
    EXPECT_EQ(status_reason(404), "Not Found");
    EXPECT_EQ(status_reason(431), "Request Header Fields Too Large");
    EXPECT_EQ(parse_method("GET"), Method::get);
    EXPECT_EQ(parse_method("get"), Method::other);
    EXPECT_EQ(method_name(Method::del), "DELETE");
}

TEST(RequestTarget, SplitsAndDecodes) {
    auto t = parse_request_target("/a%20b/c?x=%20&y");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "/a b/c");
    EXPECT_EQ(t->raw_query, "x=%20&y");
    EXPECT_TRUE(parse_request_target("/"));
    EXPECT_TRUE(parse_request_target("/a/..b/c."));
    EXPECT_TRUE(parse_request_target("/%e2%82%ac"));
}

TEST(RequestTarget, RejectsDangerousPaths) {
    for (const char* bad :
         {"", "*", "http://host/x", "/../x", "/a/..", "/a/./b", "/%2e%2e/x", "/%2E%2e", "/a%00b",
          "/%ff", "/%c0%af", "/a%5cb", "/a\\b", "/%zz", "/%ed%a0%80"}) {
        EXPECT_FALSE(parse_request_target(bad)) << bad;
    }
}

TEST(RequestTarget, Utf8Validation) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("\xc3\xa9\xf0\x9f\x98\x80"));
    EXPECT_FALSE(is_valid_utf8("\xc3"));
    EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));
}

TEST(ResponseHead, FramingAndHeaders) {
    Response r = Response::text(200, "hello");
    r.headers.add("Content-Length", "999");
    r.headers.add("X-Bad", "a\r\nInjected: 1");
    auto plan = plan_response(r, false, 11, true);
    EXPECT_EQ(plan.framing, BodyFraming::content_length);
    EXPECT_EQ(plan.length, 5u);
    const std::string head = serialize_response_head(r, plan, 11, "abc");
    EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n"));
    EXPECT_NE(head.find("Content-Length: 5\r\n"), std::string::npos);
    EXPECT_EQ(head.find("999"), std::string::npos);
    EXPECT_EQ(head.find("Injected"), std::string::npos);
    EXPECT_NE(head.find("X-Request-Id: abc\r\n"), std::string::npos);
    EXPECT_TRUE(head.ends_with("\r\n\r\n"));

    Response streamed;
    streamed.stream = [](BodyWriter&) {};
    EXPECT_EQ(plan_response(streamed, false, 11, true).framing, BodyFraming::chunked);
    const auto old = plan_response(streamed, false, 10, true);
    EXPECT_EQ(old.framing, BodyFraming::until_close);
    EXPECT_FALSE(old.keep_alive);
    streamed.headers.set("Content-Length", "10");
    EXPECT_EQ(plan_response(streamed, false, 11, true).framing, BodyFraming::content_length);
    EXPECT_FALSE(plan_response(streamed, true, 11, true).send_body);
    EXPECT_EQ(plan_response(Response::text(304, ""), false, 11, true).framing, BodyFraming::none);
}

TEST(ResponseHead, PlainErrorPage) {
    EXPECT_EQ(plain_error_response(404, "").body, "404 Not Found\n");
    EXPECT_EQ(plain_error_response(500, "id1").body,
              "500 Internal Server Error\nRequest id: id1\n");
}

TEST(RequestId, SixteenHexCharsAndDistinct) {
    const std::string a = new_request_id();
    const std::string b = new_request_id();
    EXPECT_EQ(a.size(), 16u);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace kallithea::http
