// RFC 2202 test vectors for HMAC-SHA1.
#include "auth/hmac.hpp"

#include <string>

#include <gtest/gtest.h>

namespace kallithea::auth {
namespace {

TEST(HmacSha1, Rfc2202Vectors) {
    EXPECT_EQ(hmac_sha1_hex(std::string(20, '\x0b'), "Hi There"),
              "b617318655057264e28bc0b6fb378c8ef146be00");
    EXPECT_EQ(hmac_sha1_hex("Jefe", "what do ya want for nothing?"),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(hmac_sha1_hex(std::string(20, '\xaa'), std::string(50, '\xdd')),
              "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    EXPECT_EQ(hmac_sha1_hex(std::string(80, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First"),
              "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(HmacSha1, KeyWithNulBytes) {
    EXPECT_NE(hmac_sha1_hex(std::string("a\0b", 3), "m"), hmac_sha1_hex("a", "m"));
}

}  // namespace
}  // namespace kallithea::auth
