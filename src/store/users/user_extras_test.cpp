// Tests of store::UserEmails, UserIps and UserApiKeys on SQLite and PostgreSQL.
#include "store/users/user_extras.hpp"

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/testing/store_test.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

class UserExtrasTest : public testing::StoreTest {
protected:
    int64_t user(const std::string& name) {
        NewUser u;
        u.username = name;
        u.password_hash = "$2b$10$x";
        u.email = name + "@example.com";
        auto id = Users(conn()).create(u);
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }
};

TEST_P(UserExtrasTest, ExtraEmailsAreUniqueAcrossUsers) {
    const int64_t bob = user("bob"), alice = user("alice");
    UserEmails emails(conn());
    auto id = emails.add(bob, "Builder@Example.org");
    ASSERT_TRUE(id) << id.error().detail;
    auto list = emails.list(bob);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].email, "builder@example.org");
    ASSERT_OK_AND_ASSIGN(auto got_list, emails.list(alice));
    EXPECT_TRUE(got_list.empty());

    for (std::string_view taken : {"BUILDER@example.org", "alice@EXAMPLE.com", "bob@example.com"}) {
        auto dup = emails.add(alice, taken);
        ASSERT_FALSE(dup) << taken;
        EXPECT_EQ(dup.error().code, Errc::conflict);
    }
    EXPECT_EQ(emails.add(alice, "alice@example.com").error().message,
              "A user with email alice@example.com already exists");

    EXPECT_EQ(emails.remove(alice, *id).error().code, Errc::not_found);  // not hers
    ASSERT_TRUE(emails.remove(bob, *id));
    ASSERT_OK_AND_ASSIGN(got_list, emails.list(bob));
    EXPECT_TRUE(got_list.empty());
    EXPECT_EQ(emails.remove(bob, *id).error().code, Errc::not_found);
}

TEST_P(UserExtrasTest, IpEntriesPerUser) {
    const int64_t bob = user("bob"), alice = user("alice");
    UserIps ips(conn());
    auto a = ips.add(bob, "10.0.0.0/8");
    auto b = ips.add(bob, "192.168.1.5");
    ASSERT_TRUE(a && b);
    ASSERT_TRUE(ips.add(alice, "10.0.0.0/8"));  // same network, other user: fine
    auto dup = ips.add(bob, "10.0.0.0/8");
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);
    auto list = ips.list(bob);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].ip_addr, "10.0.0.0/8");
    EXPECT_TRUE((*list)[0].active);
    EXPECT_EQ(ips.remove(alice, *a).error().code, Errc::not_found);
    ASSERT_TRUE(ips.remove(bob, *a));
    ASSERT_OK_AND_ASSIGN(auto got_list, ips.list(bob));
    EXPECT_EQ(got_list.size(), 1u);
}

TEST_P(UserExtrasTest, ApiKeysExpireAndCanBeDeleted) {
    const int64_t bob = user("bob");
    UserApiKeys keys(conn());
    auto forever = keys.add(bob, "ci", -1);
    auto soon = keys.add(bob, "short", 2000.0);
    ASSERT_TRUE(forever && soon) << (forever ? "" : forever.error().detail);
    EXPECT_EQ(forever->api_key.size(), 40u);
    EXPECT_NE(forever->api_key, soon->api_key);
    ASSERT_OK_AND_ASSIGN(auto got_list, keys.list(bob, false, 1000.0));
    EXPECT_EQ(got_list.size(), 2u);
    auto live = keys.list(bob, false, 3000.0);
    ASSERT_TRUE(live);
    ASSERT_EQ(live->size(), 1u);
    EXPECT_EQ((*live)[0].description, "ci");
    EXPECT_EQ((*live)[0].expires, -1);
    ASSERT_OK_AND_ASSIGN(got_list, keys.list(bob, true, 3000.0));
    EXPECT_EQ(got_list.size(), 2u);
    auto owner = Users(conn()).by_api_key(forever->api_key);
    ASSERT_TRUE(owner && *owner);
    EXPECT_EQ((*owner)->user_id, bob);

    EXPECT_EQ(keys.remove(bob, "nope").error().code, Errc::not_found);
    ASSERT_TRUE(keys.remove(bob, forever->api_key));
    ASSERT_OK_AND_ASSIGN(auto by_api_key, Users(conn()).by_api_key(forever->api_key));
    EXPECT_FALSE(by_api_key);
}

KALLITHEA_STORE_DIALECTS(UserExtrasTest);

}  // namespace
}  // namespace kallithea::store
