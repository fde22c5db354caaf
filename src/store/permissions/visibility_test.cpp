// Tests of store::Visibility (bulk grant rows for listings) on SQLite and PostgreSQL.
#include "store/permissions/visibility.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "core/time.hpp"
#include "store/permissions/grants.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/repositories.hpp"
#include "store/testing/store_test.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

using Row = std::tuple<int64_t, GrantSource, std::string>;

std::set<Row> as_set(const std::vector<ListingGrant>& rows) {
    std::set<Row> out;
    for (const auto& r : rows)
        out.insert({r.object_id, r.source, r.permission});
    return out;
}

// Two top-level repositories (public "pub", private "priv" owned by alice), a group "G" with a
// public and a private repository and a subgroup "G/sub", a subgroup "G/sub/deep" with a
// repository; users alice and bob; an active user group "devs" and an inactive one "old", both
// with bob as a member.
class VisibilityTest : public testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        seed();
        default_id = (*Users(conn()).by_username("default"))->user_id;
        admin_id = (*Users(conn()).by_username("admin"))->user_id;
        alice = user("alice");
        bob = user("bob");
        RepoGroups groups(conn());
        g = *groups.create({"G", std::nullopt, "", admin_id});
        sub = *groups.create({"G/sub", g, "", admin_id});
        deep = *groups.create({"G/sub/deep", sub, "", admin_id});
        pub = repo("pub", std::nullopt, admin_id, false);
        priv = repo("priv", std::nullopt, alice, true);
        g_pub = repo("G/r1", g, admin_id, false);
        g_priv = repo("G/r2", g, admin_id, true);
        deep_repo = repo("G/sub/deep/x", deep, admin_id, false);
        devs = user_group("devs", true, {bob});
        old = user_group("old", false, {bob});

        set(GrantObject::repository, pub, Grantee::user, default_id, "repository.read");
        set(GrantObject::repository, priv, Grantee::user, default_id, "repository.none");
        set(GrantObject::repository, g_pub, Grantee::user, default_id, "repository.read");
        set(GrantObject::repository, g_priv, Grantee::user, default_id, "repository.none");
        set(GrantObject::repository, deep_repo, Grantee::user, default_id, "repository.read");
        set(GrantObject::repo_group, g, Grantee::user, default_id, "group.read");
        set(GrantObject::repo_group, sub, Grantee::user, default_id, "group.none");
        set(GrantObject::repo_group, deep, Grantee::user, default_id, "group.read");
    }

    int64_t user(const std::string& name) {
        NewUser u;
        u.username = name;
        u.password_hash = "$2b$10$x";
        u.email = name + "@example.com";
        return *Users(conn()).create(u);
    }
    int64_t repo(const std::string& name, std::optional<int64_t> group, int64_t owner,
                 bool is_private) {
        NewRepoRow row;
        row.repo_name = name;
        row.repo_type = "git";
        row.owner_id = owner;
        row.is_private = is_private;
        row.group_id = group;
        auto id = Repositories(conn()).create(row);
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }
    int64_t user_group(const std::string& name, bool active, std::vector<int64_t> members) {
        auto id = conn().insert(
            "INSERT INTO users_groups (users_group_name, user_group_description, "
            "users_group_active, user_id, created_on) VALUES (?, ?, ?, ?, ?)",
            "users_group_id", name, "", active, admin_id, timefmt::db_now());
        EXPECT_TRUE(id) << id.error().detail;
        for (int64_t member : members)
            EXPECT_TRUE(conn().exec(
                "INSERT INTO users_groups_members (users_group_id, user_id) VALUES (?, ?)", *id,
                member));
        return id.value_or(0);
    }
    void set(GrantObject object, int64_t id, Grantee grantee, int64_t grantee_id,
             std::string_view permission) {
        auto st = Grants(conn()).set(object, id, grantee, grantee_id, permission);
        ASSERT_TRUE(st) << st.error().detail;
    }

    int64_t default_id = 0, admin_id = 0, alice = 0, bob = 0;
    int64_t g = 0, sub = 0, deep = 0;
    int64_t pub = 0, priv = 0, g_pub = 0, g_priv = 0, deep_repo = 0;
    int64_t devs = 0, old = 0;
};

constexpr auto D = GrantSource::default_user;
constexpr auto U = GrantSource::user;
constexpr auto UG = GrantSource::user_group;

TEST_P(VisibilityTest, RepositoryRowsOfOneListingLevel) {
    set(GrantObject::repository, pub, Grantee::user, alice, "repository.none");
    set(GrantObject::repository, g_priv, Grantee::user, bob, "repository.write");
    set(GrantObject::repository, priv, Grantee::user_group, devs, "repository.read");
    set(GrantObject::repository, g_pub, Grantee::user_group, old, "repository.admin");
    set(GrantObject::repository, deep_repo, Grantee::user, bob, "repository.admin");
    Visibility visibility(conn());

    // Top level, for bob: default rows, and the active group's row; nothing from inside groups.
    auto top = visibility.repository_grants(std::nullopt, default_id, bob);
    ASSERT_TRUE(top) << top.error().detail;
    EXPECT_EQ(as_set(*top), (std::set<Row>{{pub, D, "repository.read"},
                                           {priv, D, "repository.none"},
                                           {priv, UG, "repository.read"}}));
    // For alice: her explicit none on pub, no group rows.
    auto top_alice = visibility.repository_grants(std::nullopt, default_id, alice);
    ASSERT_TRUE(top_alice);
    EXPECT_EQ(as_set(*top_alice), (std::set<Row>{{pub, D, "repository.read"},
                                                 {pub, U, "repository.none"},
                                                 {priv, D, "repository.none"}}));
    // Inside G, for bob: his explicit row; the inactive group's grant is not there.
    auto in_g = visibility.repository_grants(g, default_id, bob);
    ASSERT_TRUE(in_g);
    EXPECT_EQ(as_set(*in_g), (std::set<Row>{{g_pub, D, "repository.read"},
                                            {g_priv, D, "repository.none"},
                                            {g_priv, U, "repository.write"}}));
    // Anonymous: the default rows only.
    auto anonymous = visibility.repository_grants(std::nullopt, default_id, std::nullopt);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(as_set(*anonymous),
              (std::set<Row>{{pub, D, "repository.read"}, {priv, D, "repository.none"}}));
    // An empty level.
    auto empty = visibility.repository_grants(sub, default_id, bob);
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
}

TEST_P(VisibilityTest, RepositoryRowsOfEveryRepository) {
    set(GrantObject::repository, g_priv, Grantee::user, bob, "repository.write");
    set(GrantObject::repository, priv, Grantee::user_group, devs, "repository.read");
    set(GrantObject::repository, g_pub, Grantee::user_group, old, "repository.admin");
    Visibility visibility(conn());

    // Every level at once, for bob: default rows, his own and the active group's.
    auto all = visibility.all_repository_grants(default_id, bob);
    ASSERT_TRUE(all) << all.error().detail;
    EXPECT_EQ(as_set(*all), (std::set<Row>{{pub, D, "repository.read"},
                                           {priv, D, "repository.none"},
                                           {priv, UG, "repository.read"},
                                           {g_pub, D, "repository.read"},
                                           {g_priv, D, "repository.none"},
                                           {g_priv, U, "repository.write"},
                                           {deep_repo, D, "repository.read"}}));
    auto anonymous = visibility.all_repository_grants(default_id, std::nullopt);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(as_set(*anonymous), (std::set<Row>{{pub, D, "repository.read"},
                                                 {priv, D, "repository.none"},
                                                 {g_pub, D, "repository.read"},
                                                 {g_priv, D, "repository.none"},
                                                 {deep_repo, D, "repository.read"}}));
}

TEST_P(VisibilityTest, RepoGroupRowsOfOneListingLevel) {
    set(GrantObject::repo_group, sub, Grantee::user_group, devs, "group.read");
    set(GrantObject::repo_group, sub, Grantee::user_group, old, "group.admin");
    set(GrantObject::repo_group, g, Grantee::user, alice, "group.write");
    set(GrantObject::repo_group, deep, Grantee::user, bob, "group.admin");
    Visibility visibility(conn());

    auto top = visibility.repo_group_grants(std::nullopt, default_id, alice);
    ASSERT_TRUE(top) << top.error().detail;
    EXPECT_EQ(as_set(*top), (std::set<Row>{{g, D, "group.read"}, {g, U, "group.write"}}));
    auto in_g = visibility.repo_group_grants(g, default_id, bob);
    ASSERT_TRUE(in_g);
    EXPECT_EQ(as_set(*in_g), (std::set<Row>{{sub, D, "group.none"}, {sub, UG, "group.read"}}));
    auto in_g_anonymous = visibility.repo_group_grants(g, default_id, std::nullopt);
    ASSERT_TRUE(in_g_anonymous);
    EXPECT_EQ(as_set(*in_g_anonymous), (std::set<Row>{{sub, D, "group.none"}}));
}

TEST_P(VisibilityTest, AdministrationCandidates) {
    set(GrantObject::repository, g_pub, Grantee::user, alice, "repository.admin");
    set(GrantObject::repository, g_priv, Grantee::user, alice, "repository.write");
    set(GrantObject::repository, pub, Grantee::user_group, devs, "repository.admin");
    set(GrantObject::repository, deep_repo, Grantee::user_group, old, "repository.admin");
    Visibility visibility(conn());

    auto names = [](const AdministeredRows& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows.repos)
            out.push_back(r.repo_name);
        return out;
    };
    // alice: owns priv, explicit admin on G/r1 (write on G/r2 does not count).
    auto for_alice = visibility.administration_candidates(alice, default_id);
    ASSERT_TRUE(for_alice) << for_alice.error().detail;
    EXPECT_EQ(names(*for_alice), (std::vector<std::string>{"G/r1", "priv"}));
    EXPECT_EQ(for_alice->repos[1].owner_username, "alice");
    EXPECT_EQ(as_set(for_alice->grants), (std::set<Row>{{g_pub, D, "repository.read"},
                                                        {g_pub, U, "repository.admin"},
                                                        {priv, D, "repository.none"}}));
    // bob: admin via the active group on pub; not via the inactive one.
    auto for_bob = visibility.administration_candidates(bob, default_id);
    ASSERT_TRUE(for_bob);
    EXPECT_EQ(names(*for_bob), (std::vector<std::string>{"pub"}));
    EXPECT_EQ(as_set(for_bob->grants),
              (std::set<Row>{{pub, D, "repository.read"}, {pub, UG, "repository.admin"}}));

    // The `default` user's admin row makes a repository a candidate for everyone.
    set(GrantObject::repository, deep_repo, Grantee::user, default_id, "repository.admin");
    auto for_admin_user = visibility.administration_candidates(admin_id, default_id);
    ASSERT_TRUE(for_admin_user);
    auto all = names(*for_admin_user);
    EXPECT_TRUE(std::find(all.begin(), all.end(), "G/sub/deep/x") != all.end());
    auto nobody_special = visibility.administration_candidates(user("carol"), default_id);
    ASSERT_TRUE(nobody_special);
    EXPECT_EQ(names(*nobody_special), (std::vector<std::string>{"G/sub/deep/x"}));
}

KALLITHEA_STORE_DIALECTS(VisibilityTest);

}  // namespace
}  // namespace kallithea::store
