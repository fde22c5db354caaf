// Unit tests for reading cookies from Cookie headers.
#include "http/cookie.hpp"

#include <gtest/gtest.h>

namespace kallithea::http {
namespace {

TEST(Cookie, FirstPairOfThatNameInHeaderOrder) {
    Request request;
    request.headers.add("Cookie", "a=1; kallithea=abc;other=2");
    request.headers.add("cookie", "kallithea=second");
    EXPECT_EQ(cookie_value(request, "kallithea"), "abc");
    EXPECT_EQ(cookie_value(request, "other"), "2");
    EXPECT_EQ(cookie_value(request, "missing"), "");
}

TEST(Cookie, NamesMatchExactlyAndOnlyCookieHeadersCount) {
    Request request;
    request.headers.add("X-Cookie", "kallithea=forged");
    request.headers.add("Cookie", "Kallithea=upper; kallithea_flash=x; kallithea= spaced");
    EXPECT_EQ(cookie_value(request, "kallithea"), " spaced");
    EXPECT_EQ(cookie_value(request, "kallithea_flash"), "x");
}

}  // namespace
}  // namespace kallithea::http
