// Tests of creating and removing repository and repository group rows, on SQLite and PostgreSQL.
#include <algorithm>

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/permissions/permissions.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/journal.hpp"
#include "store/repos/repositories.hpp"
#include "store/testing/store_test.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

class RepoRowsTest : public testing::StoreTest {
protected:
    int64_t admin_id() { return (*Users(conn()).by_username("admin"))->user_id; }
    int64_t default_id() { return (*Users(conn()).by_username("default"))->user_id; }
    int64_t perm(std::string_view name) { return *Permissions(conn()).by_name(name); }
    int64_t count(const std::string& sql, int64_t id) {
        return conn().scalar<int64_t>(sql, id)->value_or(-1);
    }
};

TEST_P(RepoRowsTest, CreatesGroupsAndRepositories) {
    seed();
    RepoGroups groups(conn());
    auto team = groups.create({"Team", std::nullopt, "Team group", admin_id()});
    ASSERT_TRUE(team) << team.error().detail;
    ASSERT_TRUE(groups.grant_user(*team, default_id(), perm("group.read")));
    auto sub = groups.create({"Team/sub", *team, "", admin_id()});
    ASSERT_TRUE(sub);
    auto dup = groups.create({"Team", std::nullopt, "", admin_id()});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);

    auto by_ci = groups.by_name_ci("team/SUB");
    ASSERT_TRUE(by_ci && *by_ci);
    EXPECT_EQ((*by_ci)->group_name, "Team/sub");
    EXPECT_EQ((*by_ci)->parent_id, std::optional<int64_t>(*team));
    auto grants = groups.user_grants(*team);
    ASSERT_TRUE(grants);
    ASSERT_EQ(grants->size(), 1u);
    EXPECT_EQ((*grants)[0].permission, "group.read");

    Repositories repos(conn());
    NewRepoRow row;
    row.repo_name = "Team/sub/tool";
    row.repo_type = "git";
    row.owner_id = admin_id();
    row.description = "d";
    row.group_id = *sub;
    auto id = repos.create(row);
    ASSERT_TRUE(id) << id.error().detail;
    auto found = repos.by_name_ci("team/sub/TOOL");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->repo_id, *id);
    EXPECT_EQ((*found)->landing_revision, "rev:tip");
    EXPECT_EQ((*found)->repo_state, "repo_state_created");
    auto again = repos.create(row);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::conflict);

    auto listing = repos.listing(std::nullopt);
    ASSERT_TRUE(listing);
    ASSERT_EQ(listing->size(), 1u);
    EXPECT_EQ((*listing)[0].owner_username, "admin");
    auto none = repos.listing(default_id());
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());

    // URL parsing asks about every prefix of a path at once, repositories and groups together.
    const std::vector<std::string> prefixes = {"Team", "Team/sub", "Team/sub/tool",
                                               "Team/sub/tool/files", "nope"};
    auto existing = repos.existing_repo_and_group_names(prefixes);
    ASSERT_TRUE(existing) << existing.error().detail;
    EXPECT_EQ(existing->repos, std::vector<std::string>{"Team/sub/tool"});
    auto groups_found = existing->groups;
    std::sort(groups_found.begin(), groups_found.end());
    EXPECT_EQ(groups_found, (std::vector<std::string>{"Team", "Team/sub"}));
    auto nothing = repos.existing_repo_and_group_names({});
    ASSERT_TRUE(nothing);
    EXPECT_TRUE(nothing->repos.empty() && nothing->groups.empty());
}

TEST_P(RepoRowsTest, RemoveDeletesDependentsAndKeepsJournal) {
    seed();
    Repositories repos(conn());
    NewRepoRow row;
    row.repo_name = "parent";
    row.repo_type = "git";
    row.owner_id = admin_id();
    auto parent = repos.create(row);
    ASSERT_TRUE(parent);
    row.repo_name = "fork";
    row.fork_id = *parent;
    auto fork = repos.create(row);
    ASSERT_TRUE(fork);
    ASSERT_TRUE(repos.grant_user(*parent, default_id(), perm("repository.read")));
    ASSERT_TRUE(repos.add_follower(*parent, admin_id()));
    ASSERT_TRUE(Journal(conn()).add({admin_id(), "admin", *parent, "parent", "", "push:abc"}));

    ASSERT_OK_AND_ASSIGN(auto count_forks, repos.count_forks(*parent));
    EXPECT_EQ(count_forks, 1);
    auto refused = repos.remove(*parent);
    EXPECT_FALSE(refused);  // the fork's foreign key still points at it
    ASSERT_TRUE(repos.detach_forks(*parent));
    ASSERT_OK_AND_ASSIGN(count_forks, repos.count_forks(*parent));
    EXPECT_EQ(count_forks, 0);
    ASSERT_TRUE(repos.remove(*parent)) << "remove";
    EXPECT_EQ(count("SELECT COUNT(*) FROM repositories WHERE repo_id = ?", *parent), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM repo_to_perm WHERE repository_id = ?", *parent), 0);
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM user_followings WHERE follows_repository_id = ?", *parent), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM user_logs WHERE repository_id IS NULL AND "
                    "user_id = ?",
                    admin_id()),
              1);
    auto gone = repos.remove(*parent);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, Errc::not_found);
    auto names = repos.all_names();
    ASSERT_TRUE(names);
    EXPECT_EQ(*names, std::vector<std::string>{"fork"});
}

KALLITHEA_STORE_DIALECTS(RepoRowsTest);

}  // namespace
}  // namespace kallithea::store
