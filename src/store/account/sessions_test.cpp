// Tests of store::Sessions (web_sessions) on SQLite and PostgreSQL.
#include "store/account/sessions.hpp"

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/testing/store_test.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

class SessionsTest : public testing::StoreTest {
protected:
    static SessionRow row(std::string id, int64_t expires) {
        SessionRow s;
        s.session_id = std::move(id);
        s.csrf_token = "csrf-" + s.session_id;
        s.created_on = 1000;
        s.expires_on = expires;
        return s;
    }
};

TEST_P(SessionsTest, CreatesReadsUpdatesAndRemoves) {
    seed();
    Sessions sessions(conn());
    SessionRow s = row("abc", 5000);
    ASSERT_TRUE(sessions.create(s));
    auto got = sessions.get("abc", 2000);
    ASSERT_TRUE(got && *got) << (got ? "" : got.error().detail);
    EXPECT_EQ((*got)->user_id, std::nullopt);
    EXPECT_EQ((*got)->csrf_token, "csrf-abc");
    EXPECT_EQ((*got)->created_on, 1000);
    EXPECT_EQ((*got)->expires_on, 5000);
    EXPECT_FALSE((*got)->remember);
    EXPECT_EQ((*got)->data, "{}");

    s.user_id = 2;
    s.remember = true;
    s.data = R"({"flash":["hi"]})";
    s.csrf_token = "rotated";
    ASSERT_TRUE(sessions.update(s));
    got = sessions.get("abc", 2000);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->user_id, std::optional<int64_t>(2));
    EXPECT_TRUE((*got)->remember);
    EXPECT_EQ((*got)->data, R"({"flash":["hi"]})");
    EXPECT_EQ((*got)->csrf_token, "rotated");

    auto dup = sessions.create(row("abc", 9000));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);

    ASSERT_TRUE(sessions.remove("abc"));
    ASSERT_OK_AND_ASSIGN(auto get, sessions.get("abc", 2000));
    EXPECT_FALSE(get);
    EXPECT_TRUE(sessions.remove("abc"));
    auto gone = sessions.update(s);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, Errc::not_found);
}

TEST_P(SessionsTest, ExpiredSessionsAreAbsentAndPurged) {
    Sessions sessions(conn());
    ASSERT_TRUE(sessions.create(row("old", 1500)));
    ASSERT_TRUE(sessions.create(row("new", 9000)));
    ASSERT_OK_AND_ASSIGN(auto get, sessions.get("old", 1500));
    EXPECT_FALSE(get);
    ASSERT_OK_AND_ASSIGN(get, sessions.get("old", 1499));
    EXPECT_TRUE(get);
    ASSERT_TRUE(sessions.touch("old", 1600));
    ASSERT_OK_AND_ASSIGN(get, sessions.get("old", 1500));
    EXPECT_TRUE(get);
    EXPECT_EQ(sessions.touch("missing", 1).error().code, Errc::not_found);

    auto purged = sessions.purge_expired(2000);
    ASSERT_TRUE(purged);
    EXPECT_EQ(*purged, 1);
    EXPECT_EQ(*conn().scalar<int64_t>("SELECT COUNT(*) FROM web_sessions"),
              std::optional<int64_t>(1));
    ASSERT_OK_AND_ASSIGN(get, sessions.get("new", 2000));
    EXPECT_TRUE(get);
}

TEST_P(SessionsTest, UserSessionsEndWithTheUser) {
    seed();
    Sessions sessions(conn());
    SessionRow a = row("a", 9000), b = row("b", 9000), c = row("c", 9000);
    a.user_id = 2;
    b.user_id = 2;
    c.user_id = 1;
    for (const SessionRow& s : {a, b, c})
        ASSERT_TRUE(sessions.create(s));
    auto removed = sessions.remove_for_user(2);
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 2);
    ASSERT_OK_AND_ASSIGN(auto get, sessions.get("c", 1000));
    EXPECT_TRUE(get);

    SessionRow orphan = row("d", 9000);
    orphan.user_id = 999;  // no such user: the foreign key refuses it
    EXPECT_FALSE(sessions.create(orphan));

    // Deleting a user (Kallithea does it in SQL) takes its sessions along.
    ASSERT_TRUE(conn().exec("DELETE FROM user_to_perm WHERE user_id = ?", 1));
    ASSERT_TRUE(conn().exec("DELETE FROM users WHERE user_id = ?", 1));
    ASSERT_OK_AND_ASSIGN(get, sessions.get("c", 1000));
    EXPECT_FALSE(get);
}

KALLITHEA_STORE_DIALECTS(SessionsTest);

}  // namespace
}  // namespace kallithea::store
