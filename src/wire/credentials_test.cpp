// HTTP Basic parsing, challenge formatting and client address selection.
#include "wire/credentials.hpp"

#include <gtest/gtest.h>

using namespace kallithea;
using namespace kallithea::wire;

TEST(WireCredentials, Base64) {
    EXPECT_EQ(base64_decode("YWRtaW46c2VjcmV0"), "admin:secret");
    EXPECT_EQ(base64_decode("YQ=="), "a");
    EXPECT_EQ(base64_decode("YQ"), "a");
    EXPECT_EQ(base64_decode(""), "");
    EXPECT_FALSE(base64_decode("Y"));
    EXPECT_FALSE(base64_decode("YW*k"));
}

TEST(WireCredentials, BasicHeader) {
    auto c = parse_basic_authorization("Basic YWRtaW46c2VjOnJldA==");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->username, "admin");
    EXPECT_EQ(c->password, "sec:ret");  // split at the first colon only
    c = parse_basic_authorization("basic   dTo=");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->username, "u");
    EXPECT_EQ(c->password, "");
    EXPECT_FALSE(parse_basic_authorization("Bearer abc"));
    EXPECT_FALSE(parse_basic_authorization("Basic bm9jb2xvbg=="));  // "nocolon"
    EXPECT_FALSE(parse_basic_authorization(""));
}

TEST(WireCredentials, Challenge) {
    EXPECT_EQ(basic_challenge("Kallithea"), "Basic realm=\"Kallithea\"");
    EXPECT_EQ(basic_challenge("a\"b\\c\r\nd"), "Basic realm=\"abcd\"");
}
