// Tests of store::UserGroups on SQLite and PostgreSQL.
#include "store/user_groups/user_groups.hpp"

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/permissions/grants.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/repositories.hpp"
#include "store/testing/store_test.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

class UserGroupsTest : public testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        seed();
        auto admin = Users(conn()).by_username("admin");
        ASSERT_TRUE(admin && *admin);
        admin_id_ = (*admin)->user_id;
        NewUser bob;
        bob.username = "bob";
        bob.email = "bob@example.com";
        auto id = Users(conn()).create(bob);
        ASSERT_TRUE(id) << id.error().detail;
        bob_id_ = *id;
    }

    NewUserGroup group(std::string name) {
        NewUserGroup g;
        g.name = std::move(name);
        g.description = "desc";
        g.owner_id = admin_id_;
        return g;
    }

    int64_t count(const std::string& sql, int64_t id) {
        auto n = conn().scalar<int64_t>(sql, id);
        EXPECT_TRUE(n && *n);
        return n && *n ? **n : -1;
    }

    int64_t admin_id_ = 0;
    int64_t bob_id_ = 0;
};

TEST_P(UserGroupsTest, CreatesFindsAndUpdates) {
    UserGroups groups(conn());
    auto id = groups.create(group("Devs"));
    ASSERT_TRUE(id) << id.error().detail;
    auto found = groups.by_id(*id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->name, "Devs");
    EXPECT_EQ((*found)->description, "desc");
    EXPECT_TRUE((*found)->active);
    EXPECT_EQ((*found)->owner_name, "admin");
    EXPECT_EQ((*found)->member_count, 0);
    EXPECT_FALSE((*found)->created_on.empty());

    auto by_name = groups.by_name("dEVS");
    ASSERT_TRUE(by_name && *by_name);
    EXPECT_EQ((*by_name)->users_group_id, *id);
    ASSERT_OK_AND_ASSIGN(auto got_by_name, groups.by_name("ops"));
    EXPECT_FALSE(got_by_name);
    ASSERT_OK_AND_ASSIGN(auto by_id, groups.by_id(*id + 100));
    EXPECT_FALSE(by_id);

    auto dup = groups.create(group("DEVS"));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);

    auto other = groups.create(group("ops"));
    ASSERT_TRUE(other);
    NewUserGroup changed = group("Developers");
    changed.active = false;
    changed.owner_id = bob_id_;
    changed.description = "new";
    ASSERT_TRUE(groups.update(*id, changed));
    auto after = groups.by_id(*id);
    ASSERT_TRUE(after && *after);
    EXPECT_EQ((*after)->name, "Developers");
    EXPECT_FALSE((*after)->active);
    EXPECT_EQ((*after)->owner_name, "bob");
    EXPECT_EQ((*after)->description, "new");

    auto clash = groups.update(*id, group("OPS"));
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, Errc::conflict);
    // Renaming to its own name in another case is fine.
    EXPECT_TRUE(groups.update(*id, group("DEVELOPERS")));
    auto missing = groups.update(*id + 100, group("x"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);

    auto all = groups.list();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].name, "DEVELOPERS");
    EXPECT_EQ((*all)[1].name, "ops");
}

TEST_P(UserGroupsTest, Membership) {
    UserGroups groups(conn());
    auto id = groups.create(group("devs"));
    ASSERT_TRUE(id);
    ASSERT_TRUE(groups.add_member(*id, bob_id_));
    ASSERT_TRUE(groups.add_member(*id, admin_id_));
    auto again = groups.add_member(*id, bob_id_);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::conflict);
    EXPECT_EQ(count("SELECT COUNT(*) FROM users_groups_members WHERE users_group_id = ?", *id), 2);

    auto members = groups.members(*id);
    ASSERT_TRUE(members);
    ASSERT_EQ(members->size(), 2u);
    EXPECT_EQ((*members)[0].username, "admin");
    EXPECT_EQ((*members)[1].username, "bob");
    ASSERT_OK_AND_ASSIGN(auto by_id, groups.by_id(*id));
    EXPECT_EQ(by_id->member_count, 2);
    ASSERT_OK_AND_ASSIGN(auto is_member, groups.is_member(*id, bob_id_));
    EXPECT_TRUE(is_member);

    auto of_bob = Users(conn()).member_of(bob_id_);
    ASSERT_TRUE(of_bob);
    ASSERT_EQ(of_bob->size(), 1u);
    EXPECT_EQ((*of_bob)[0].name, "devs");

    ASSERT_TRUE(groups.remove_member(*id, bob_id_));
    ASSERT_OK_AND_ASSIGN(is_member, groups.is_member(*id, bob_id_));
    EXPECT_FALSE(is_member);
    auto gone = groups.remove_member(*id, bob_id_);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, Errc::not_found);
    ASSERT_OK_AND_ASSIGN(auto groups_of, Users(conn()).member_of(bob_id_));
    EXPECT_TRUE(groups_of.empty());
}

TEST_P(UserGroupsTest, RemoveDeletesEveryRowOfTheGroup) {
    UserGroups groups(conn());
    auto id = groups.create(group("devs"));
    auto keep = groups.create(group("keep"));
    ASSERT_TRUE(id && keep);
    ASSERT_TRUE(groups.add_member(*id, bob_id_));
    ASSERT_TRUE(groups.add_member(*keep, bob_id_));

    NewRepoRow repo;
    repo.repo_name = "r1";
    repo.repo_type = "git";
    repo.owner_id = admin_id_;
    auto repo_id = Repositories(conn()).create(repo);
    ASSERT_TRUE(repo_id) << repo_id.error().detail;
    NewRepoGroup rg;
    rg.group_name = "g1";
    rg.owner_id = admin_id_;
    auto rg_id = RepoGroups(conn()).create(rg);
    ASSERT_TRUE(rg_id) << rg_id.error().detail;

    Grants grants(conn());
    ASSERT_TRUE(grants.set(GrantObject::repository, *repo_id, Grantee::user_group, *id,
                           "repository.write"));
    ASSERT_TRUE(
        grants.set(GrantObject::repo_group, *rg_id, Grantee::user_group, *id, "group.read"));
    ASSERT_TRUE(
        grants.set(GrantObject::user_group, *id, Grantee::user, bob_id_, "usergroup.admin"));
    ASSERT_TRUE(
        grants.set(GrantObject::user_group, *id, Grantee::user_group, *keep, "usergroup.read"));
    ASSERT_TRUE(
        grants.set(GrantObject::user_group, *keep, Grantee::user_group, *id, "usergroup.read"));
    ASSERT_TRUE(grants.set_global(Grantee::user_group, *id, "hg.create.repository"));

    auto used = groups.usage(*id);
    ASSERT_TRUE(used);
    EXPECT_EQ(used->repositories, std::vector<std::string>{"r1"});
    EXPECT_EQ(used->repo_groups, std::vector<std::string>{"g1"});
    ASSERT_OK_AND_ASSIGN(auto usage, groups.usage(*keep));
    EXPECT_TRUE(usage.empty());

    ASSERT_TRUE(groups.remove(*id));
    ASSERT_OK_AND_ASSIGN(auto by_id, groups.by_id(*id));
    EXPECT_FALSE(by_id);
    for (const char* sql : {
             "SELECT COUNT(*) FROM users_groups_members WHERE users_group_id = ?",
             "SELECT COUNT(*) FROM users_group_to_perm WHERE users_group_id = ?",
             "SELECT COUNT(*) FROM users_group_repo_to_perm WHERE users_group_id = ?",
             "SELECT COUNT(*) FROM users_group_repo_group_to_perm WHERE users_group_id = ?",
             "SELECT COUNT(*) FROM user_user_group_to_perm WHERE user_group_id = ?",
             "SELECT COUNT(*) FROM user_group_user_group_to_perm WHERE user_group_id = ? OR "
             "target_user_group_id = user_group_id",
             "SELECT COUNT(*) FROM user_group_user_group_to_perm WHERE target_user_group_id = ?",
         }) {
        EXPECT_EQ(count(sql, *id), 0) << sql;
    }
    // The other group and its member are untouched.
    ASSERT_OK_AND_ASSIGN(by_id, groups.by_id(*keep));
    EXPECT_TRUE(by_id);
    ASSERT_OK_AND_ASSIGN(auto is_member, groups.is_member(*keep, bob_id_));
    EXPECT_TRUE(is_member);
    auto missing = groups.remove(*id);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

KALLITHEA_STORE_DIALECTS(UserGroupsTest);

}  // namespace
}  // namespace kallithea::store
