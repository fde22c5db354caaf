// Tests bcrypt hashing/verification and Kallithea's legacy SHA-256 hashes.
#include "auth/password.hpp"

#include <string_view>

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

using kallithea::auth::hash_password;
using kallithea::auth::verify_password;

TEST(Password, HashAndVerify) {
    auto hash = hash_password("s3cret pass");
    ASSERT_TRUE(hash.has_value());
    EXPECT_TRUE(hash->starts_with("$2b$10$"));
    EXPECT_EQ(hash->size(), 60u);
    EXPECT_TRUE(verify_password("s3cret pass", *hash));
    EXPECT_FALSE(verify_password("s3cret pas", *hash));
    EXPECT_FALSE(verify_password("", *hash));
    ASSERT_OK_AND_ASSIGN(auto again, hash_password("s3cret pass"));
    EXPECT_NE(*hash, again);  // salted
}

TEST(Password, KnownBcryptHashes) {
    // Hashes from Python's bcrypt are checked in the integration suite; here the $2y$ alias.
    auto made = hash_password("test12");
    ASSERT_TRUE(made.has_value());
    std::string as_2y = *made;
    as_2y[2] = 'y';
    EXPECT_TRUE(verify_password("test12", as_2y));
}

TEST(Password, LegacySha256) {
    // sha256("admin")
    EXPECT_TRUE(verify_password(
        "admin", "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918"));
    EXPECT_FALSE(verify_password(
        "admin2", "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918"));
}

TEST(Password, UnknownFormatsNeverVerify) {
    EXPECT_FALSE(verify_password("x", ""));
    EXPECT_FALSE(verify_password("x", "x"));
    EXPECT_FALSE(verify_password("x", "$1$abc$def"));
}

TEST(Password, NulIsRefused) {
    using namespace std::string_view_literals;
    auto made = hash_password("bobpw12345");
    ASSERT_TRUE(made.has_value());
    // crypt_r would stop at the NUL and accept this.
    EXPECT_FALSE(verify_password("bobpw12345\0junk"sv, *made));
    EXPECT_TRUE(verify_password("bobpw12345"sv, *made));
    auto nul = hash_password("\0abcdefgh"sv);
    ASSERT_FALSE(nul.has_value());
    EXPECT_EQ(nul.error().code, kallithea::Errc::invalid_argument);
}
