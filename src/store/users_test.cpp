// Tests of store::Users on SQLite and PostgreSQL.
#include "store/users.hpp"

#include <gtest/gtest.h>

#include "store/testing/store_test.hpp"

namespace kallithea::store {
namespace {

class UsersTest : public testing::StoreTest {
protected:
    NewUser bob() {
        NewUser u;
        u.username = "Bob";
        u.password_hash = "$2b$10$bob";
        u.email = "Bob@Example.COM";
        u.firstname = "Bob";
        u.lastname = "Builder";
        return u;
    }
};

TEST_P(UsersTest, CreatesAndFindsUsers) {
    Users users(conn());
    auto id = users.create(bob());
    ASSERT_TRUE(id) << id.error().detail;
    auto by_id = users.by_id(*id);
    ASSERT_TRUE(by_id && *by_id);
    const UserRow& u = **by_id;
    EXPECT_EQ(u.username, "Bob");
    EXPECT_EQ(u.password, "$2b$10$bob");
    EXPECT_EQ(u.email, std::optional<std::string>("bob@example.com"));
    EXPECT_TRUE(u.active);
    EXPECT_FALSE(u.admin);
    EXPECT_EQ(u.extern_type, std::optional<std::string>("internal"));
    EXPECT_EQ(u.api_key.size(), 40u);
    EXPECT_EQ(u.last_login, std::nullopt);

    for (std::string_view name : {"bob", "BOB", "Bob"}) {
        auto found = users.by_username(name);
        ASSERT_TRUE(found && *found) << name;
        EXPECT_EQ((*found)->user_id, *id);
    }
    auto by_email = users.by_email("BOB@example.com");
    ASSERT_TRUE(by_email && *by_email);
    EXPECT_EQ((*by_email)->user_id, *id);
    auto by_key = users.by_api_key(u.api_key);
    ASSERT_TRUE(by_key && *by_key);
    EXPECT_EQ((*by_key)->user_id, *id);

    EXPECT_FALSE(*users.by_id(*id + 100));
    EXPECT_FALSE(*users.by_username("alice"));
    EXPECT_FALSE(*users.by_email("alice@example.com"));
    EXPECT_FALSE(*users.by_api_key("0000000000000000000000000000000000000000"));
    EXPECT_EQ(*users.count(), 1);
}

TEST_P(UsersTest, DuplicatesAreConflicts) {
    Users users(conn());
    ASSERT_TRUE(users.create(bob()));
    NewUser same_name = bob();
    same_name.username = "BOB";
    same_name.email = "other@example.com";
    auto dup = users.create(same_name);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);
    EXPECT_EQ(dup.error().message, "A user with username BOB already exists");

    NewUser same_email = bob();
    same_email.username = "robert";
    same_email.email = "BOB@EXAMPLE.com";
    auto dup_email = users.create(same_email);
    ASSERT_FALSE(dup_email);
    EXPECT_EQ(dup_email.error().code, Errc::conflict);
    EXPECT_EQ(dup_email.error().message, "A user with email bob@example.com already exists");
    EXPECT_EQ(*users.count(), 1);
}

TEST_P(UsersTest, FindsExtraEmailsAndExtraApiKeys) {
    Users users(conn());
    auto id = users.create(bob());
    ASSERT_TRUE(id);
    ASSERT_TRUE(conn().exec("INSERT INTO user_email_map (user_id, email) VALUES (?, ?)", *id,
                            "builder@example.org"));
    auto extra = users.by_email("Builder@Example.org");
    ASSERT_TRUE(extra && *extra);
    EXPECT_EQ((*extra)->user_id, *id);

    NewUser taken = bob();
    taken.username = "bobby";
    taken.email = "builder@example.org";
    auto dup = users.create(taken);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);

    const std::string forever(40, 'a'), expired(40, 'b');
    ASSERT_TRUE(conn().exec(
        "INSERT INTO user_api_keys (user_id, api_key, description, expires, created_on) "
        "VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
        *id, forever, "ci", -1.0, "2024-01-01 00:00:00.000000", *id, expired, "old", 1000.0,
        "2024-01-01 00:00:00.000000"));
    auto by_extra = users.by_api_key(forever);
    ASSERT_TRUE(by_extra && *by_extra);
    EXPECT_EQ((*by_extra)->user_id, *id);
    auto by_expired = users.by_api_key(expired);
    ASSERT_TRUE(by_expired);
    EXPECT_FALSE(*by_expired);
}

TEST_P(UsersTest, UpdatesPasswordAndLastLogin) {
    Users users(conn());
    auto id = users.create(bob());
    ASSERT_TRUE(id);
    ASSERT_TRUE(users.set_password(*id, "$2b$10$new"));
    ASSERT_TRUE(users.set_last_login(*id));
    auto u = users.by_id(*id);
    ASSERT_TRUE(u && *u);
    EXPECT_EQ((*u)->password, "$2b$10$new");
    ASSERT_TRUE((*u)->last_login);
    EXPECT_EQ((*u)->last_login->size(), 26u);
    auto missing = users.set_password(*id + 1, "x");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_P(UsersTest, ListsInIdOrderAfterSeeding) {
    seed();
    Users users(conn());
    ASSERT_TRUE(users.create(bob()));
    auto all = users.list();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].username, "default");
    EXPECT_EQ((*all)[1].username, "admin");
    EXPECT_EQ((*all)[2].username, "Bob");
    EXPECT_EQ((*all)[2].user_id, 3);
}

KALLITHEA_STORE_DIALECTS(UsersTest);

}  // namespace
}  // namespace kallithea::store
