// Tests of store::Users on SQLite and PostgreSQL.
#include "store/users/users.hpp"

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/account/sessions.hpp"
#include "store/permissions/grants.hpp"
#include "store/repos/repositories.hpp"
#include "store/testing/store_test.hpp"
#include "store/users/user_extras.hpp"

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

    ASSERT_OK_AND_ASSIGN(auto got_by_id, users.by_id(*id + 100));
    EXPECT_FALSE(got_by_id);
    ASSERT_OK_AND_ASSIGN(auto by_username, users.by_username("alice"));
    EXPECT_FALSE(by_username);
    ASSERT_OK_AND_ASSIGN(auto got_by_email, users.by_email("alice@example.com"));
    EXPECT_FALSE(got_by_email);
    ASSERT_OK_AND_ASSIGN(auto by_api_key,
                         users.by_api_key("0000000000000000000000000000000000000000"));
    EXPECT_FALSE(by_api_key);
    ASSERT_OK_AND_ASSIGN(auto count, users.count());
    EXPECT_EQ(count, 1);
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
    ASSERT_OK_AND_ASSIGN(auto count, users.count());
    EXPECT_EQ(count, 1);
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

TEST_P(UsersTest, SearchesAndPagesWithoutTheDefaultUser) {
    seed();
    Users users(conn());
    for (int i = 0; i < 5; ++i) {
        NewUser u = bob();
        u.username = "user" + std::to_string(i);
        u.email = "u" + std::to_string(i) + "@example.com";
        u.firstname = i == 3 ? "Perc%nt" : "Name";
        ASSERT_TRUE(users.create(u));
    }
    auto all = users.search("", 0, 50);
    ASSERT_TRUE(all) << all.error().detail;
    EXPECT_EQ(all->total, 6);  // admin + 5, never `default`
    ASSERT_EQ(all->rows.size(), 6u);
    EXPECT_EQ(all->rows[0].username, "admin");
    auto page = users.search("USER", 2, 2);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 5);
    ASSERT_EQ(page->rows.size(), 2u);
    EXPECT_EQ(page->rows[0].username, "user2");
    auto by_mail = users.search("u4@EXAMPLE", 0, 50);
    ASSERT_TRUE(by_mail);
    ASSERT_EQ(by_mail->rows.size(), 1u);
    EXPECT_EQ(by_mail->rows[0].username, "user4");
    auto literal = users.search("%", 0, 50);  // LIKE wildcards are literal
    ASSERT_TRUE(literal);
    ASSERT_EQ(literal->rows.size(), 1u);
    EXPECT_EQ(literal->rows[0].username, "user3");
    ASSERT_OK_AND_ASSIGN(auto search, users.search("default", 0, 50));
    EXPECT_EQ(search.total, 0);
}

TEST_P(UsersTest, UpdatesProfileAndRefusesTakenNamesAndEmails) {
    Users users(conn());
    auto id = users.create(bob());
    NewUser other = bob();
    other.username = "alice";
    other.email = "alice@example.com";
    auto alice = users.create(other);
    ASSERT_TRUE(id && alice);
    ASSERT_TRUE(UserEmails(conn()).add(*alice, "ali@example.org"));

    UserProfile p;
    p.username = "Robert";
    p.firstname = "Rob";
    p.lastname = "B";
    p.email = "ROB@example.com";
    p.active = false;
    p.admin = true;
    ASSERT_TRUE(users.update_profile(*id, p));
    auto u = *users.by_id(*id);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->username, "Robert");
    EXPECT_EQ(u->email, std::optional<std::string>("rob@example.com"));
    EXPECT_FALSE(u->active);
    EXPECT_TRUE(u->admin);
    // Keeping one's own name and address is fine.
    EXPECT_TRUE(users.update_profile(*id, p));

    UserProfile taken = p;
    taken.username = "ALICE";
    auto dup = users.update_profile(*id, taken);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);
    EXPECT_EQ(dup.error().message, "A user with username ALICE already exists");
    taken = p;
    taken.email = "Alice@Example.com";
    EXPECT_EQ(users.update_profile(*id, taken).error().code, Errc::conflict);
    taken.email = "ali@example.org";
    EXPECT_EQ(users.update_profile(*id, taken).error().code, Errc::conflict);
    UserProfile unknown;
    unknown.username = "nobody";
    EXPECT_EQ(users.update_profile(*alice + 100, unknown).error().code, Errc::not_found);

    ASSERT_TRUE(users.set_api_key(*id, std::string(40, 'c')));
    ASSERT_OK_AND_ASSIGN(auto got_by_id, users.by_id(*id));
    EXPECT_EQ(got_by_id->api_key, std::string(40, 'c'));
}

TEST_P(UsersTest, ListsOwnedObjectsAndDeletesDependentRows) {
    seed();
    Users users(conn());
    auto id = users.create(bob());
    ASSERT_TRUE(id);
    NewRepoRow repo;
    repo.repo_name = "bobs";
    repo.repo_type = "git";
    repo.owner_id = *id;
    auto repo_id = Repositories(conn()).create(repo);
    ASSERT_TRUE(repo_id) << repo_id.error().detail;
    auto group = conn().insert(
        "INSERT INTO users_groups (users_group_name, user_group_description, users_group_active, "
        "user_id, created_on) VALUES (?, ?, ?, ?, ?)",
        "users_group_id", "devs", "", true, int64_t{2}, "2024-01-01 00:00:00.000000");
    ASSERT_TRUE(group);
    ASSERT_TRUE(conn().exec(
        "INSERT INTO users_groups_members (users_group_id, user_id) VALUES (?, ?)", *group, *id));
    ASSERT_TRUE(
        conn().exec("INSERT INTO user_followings (user_id, follows_repository_id, "
                    "follows_from) VALUES (?, ?, ?)",
                    *id, *repo_id, "2024-01-01 00:00:00.000000"));

    auto owned = users.owned_repositories(*id);
    ASSERT_TRUE(owned);
    ASSERT_EQ(owned->size(), 1u);
    EXPECT_EQ((*owned)[0].name, "bobs");
    ASSERT_OK_AND_ASSIGN(auto owned_repo_groups, users.owned_repo_groups(*id));
    EXPECT_TRUE(owned_repo_groups.empty());
    ASSERT_OK_AND_ASSIGN(auto owned_user_groups, users.owned_user_groups(2));
    EXPECT_EQ(owned_user_groups.size(), 1u);
    ASSERT_OK_AND_ASSIGN(auto member_of, users.member_of(*id));
    ASSERT_EQ(member_of.size(), 1u);
    ASSERT_OK_AND_ASSIGN(member_of, users.member_of(*id));
    EXPECT_EQ(member_of[0].name, "devs");
    ASSERT_OK_AND_ASSIGN(auto followed_repositories, users.followed_repositories(*id));
    ASSERT_EQ(followed_repositories.size(), 1u);
    ASSERT_OK_AND_ASSIGN(auto related_repositories, users.related_repositories(*id));
    EXPECT_EQ(related_repositories.size(), 1u);

    // A group grant makes admin's repository related to bob.
    NewRepoRow other = repo;
    other.repo_name = "shared";
    other.owner_id = 2;
    auto shared = Repositories(conn()).create(other);
    ASSERT_TRUE(shared);
    ASSERT_TRUE(Grants(conn()).set(GrantObject::repository, *shared, Grantee::user_group, *group,
                                   "repository.write"));
    ASSERT_OK_AND_ASSIGN(related_repositories, users.related_repositories(*id));
    EXPECT_EQ(related_repositories.size(), 2u);

    // Sessions: all but one, then all.
    Sessions sessions(conn());
    for (std::string sid : {"s1", "s2", "s3"}) {
        SessionRow s;
        s.session_id = sid;
        s.user_id = *id;
        s.csrf_token = "t";
        s.created_on = 1;
        s.expires_on = 4000000000;
        ASSERT_TRUE(sessions.create(s));
    }
    ASSERT_OK_AND_ASSIGN(auto end_sessions, users.end_sessions(*id, "s2"));
    EXPECT_EQ(end_sessions, 2);
    ASSERT_OK_AND_ASSIGN(auto get, sessions.get("s2"));
    EXPECT_TRUE(get);

    // Deleting: the repository row still references bob, so give it away first.
    ASSERT_TRUE(conn().exec("UPDATE repositories SET user_id = 2 WHERE repo_id = ?", *repo_id));
    ASSERT_TRUE(UserEmails(conn()).add(*id, "extra@example.com"));
    ASSERT_TRUE(UserIps(conn()).add(*id, "10.0.0.0/8"));
    ASSERT_TRUE(UserApiKeys(conn()).add(*id, "ci", -1));
    ASSERT_TRUE(Grants(conn()).set_global(Grantee::user, *id, "hg.create.repository"));
    ASSERT_TRUE(Grants(conn()).set(GrantObject::repository, *shared, Grantee::user, *id,
                                   "repository.read"));
    ASSERT_OK_AND_ASSIGN(auto authored_records, users.authored_records(*id));
    EXPECT_TRUE(authored_records.empty());
    ASSERT_TRUE(
        conn().exec("INSERT INTO gists (gist_access_id, gist_description, user_id, "
                    "gist_expires, gist_type, created_on, modified_at) VALUES "
                    "('g1', '', ?, -1, 'public', ?, ?)",
                    *id, "2024-01-01 00:00:00.000000", "2024-01-01 00:00:00.000000"));
    ASSERT_OK_AND_ASSIGN(authored_records, users.authored_records(*id));
    EXPECT_EQ(authored_records, std::vector<std::string>{"gists"});
    ASSERT_TRUE(conn().exec("DELETE FROM gists"));
    ASSERT_TRUE(users.remove(*id));
    ASSERT_OK_AND_ASSIGN(auto got_by_id, users.by_id(*id));
    EXPECT_FALSE(got_by_id);
    ASSERT_OK_AND_ASSIGN(get, sessions.get("s2"));
    EXPECT_FALSE(get);
    for (std::string_view table : {"user_email_map", "user_ip_map", "user_api_keys", "user_to_perm",
                                   "repo_to_perm", "users_groups_members", "user_followings"})
        EXPECT_EQ(*conn().scalar<int64_t>(
                      "SELECT COUNT(*) FROM " + std::string(table) + " WHERE user_id = ?", *id),
                  std::optional<int64_t>(0))
            << table;
    EXPECT_EQ(users.remove(*id).error().code, Errc::not_found);
}

KALLITHEA_STORE_DIALECTS(UsersTest);

}  // namespace
}  // namespace kallithea::store
