// Tests of the default-permissions rows: objects "apply to existing" overwrites, `default`'s
// active flag and IP whitelist rows; on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/permissions/default_permissions.hpp"
#include "store/repos/repositories.hpp"
#include "store/testing/store_test.hpp"
#include "store/users/user_extras.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

class DefaultPermissionRowsTest : public testing::StoreTest {
protected:
    int64_t user_id(std::string_view name) { return (*Users(conn()).by_username(name))->user_id; }
    int64_t add_repo(const std::string& name, bool is_private) {
        NewRepoRow row;
        row.repo_name = name;
        row.repo_type = "git";
        row.owner_id = user_id("admin");
        row.is_private = is_private;
        return *Repositories(conn()).create(row);
    }
};

TEST_P(DefaultPermissionRowsTest, OverwritableRepositoriesArePublicOnes) {
    seed();
    const int64_t a = add_repo("a", false);
    add_repo("secret", true);
    const int64_t b = add_repo("b", false);
    auto ids = DefaultPermissionRows(conn()).overwritable_ids(GrantObject::repository);
    ASSERT_TRUE(ids) << ids.error().detail;
    EXPECT_EQ(*ids, (std::vector<int64_t>{a, b}));
    auto groups = DefaultPermissionRows(conn()).overwritable_ids(GrantObject::repo_group);
    ASSERT_TRUE(groups);
    EXPECT_TRUE(groups->empty());
}

TEST_P(DefaultPermissionRowsTest, SetsActiveFlag) {
    seed();
    DefaultPermissionRows rows(conn());
    const int64_t id = user_id("default");
    ASSERT_TRUE(rows.set_user_active(id, false));
    ASSERT_OK_AND_ASSIGN(auto by_id, Users(conn()).by_id(id));
    EXPECT_FALSE(by_id->active);
    ASSERT_TRUE(rows.set_user_active(id, true));
    ASSERT_OK_AND_ASSIGN(by_id, Users(conn()).by_id(id));
    EXPECT_TRUE(by_id->active);
    auto missing = rows.set_user_active(999999, true);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_P(DefaultPermissionRowsTest, GlobalIpWhitelistIsDefaultsUserIps) {
    seed();
    UserIps rows(conn());
    const int64_t id = user_id("default");
    auto first = rows.add(id, "127.0.0.1/32");
    ASSERT_TRUE(first) << first.error().detail;
    ASSERT_TRUE(rows.add(id, "10.0.0.0/8"));
    auto dup = rows.add(id, "10.0.0.0/8");
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);
    auto list = rows.list(id);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].ip_addr, "127.0.0.1/32");
    EXPECT_TRUE((*list)[0].active);
    ASSERT_OK_AND_ASSIGN(auto active, rows.active_networks(id));
    EXPECT_EQ(active, (std::vector<std::string>{"127.0.0.1/32", "10.0.0.0/8"}));
    ASSERT_TRUE(conn().exec("UPDATE user_ip_map SET active = ? WHERE ip_id = ?", false, *first));
    ASSERT_OK_AND_ASSIGN(auto still_active, rows.active_networks(id));
    EXPECT_EQ(still_active, (std::vector<std::string>{"10.0.0.0/8"}));
    ASSERT_OK_AND_ASSIGN(auto admin_networks, rows.active_networks(user_id("admin")));
    EXPECT_TRUE(admin_networks.empty());
    // another user's id does not delete it
    auto wrong = rows.remove(user_id("admin"), *first);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, Errc::not_found);
    ASSERT_TRUE(rows.remove(id, *first));
    ASSERT_OK_AND_ASSIGN(auto ips, rows.list(id));
    EXPECT_EQ(ips.size(), 1u);
}

KALLITHEA_STORE_DIALECTS(DefaultPermissionRowsTest);

}  // namespace
}  // namespace kallithea::store
