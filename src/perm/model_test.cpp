// Table-driven tests of group permissions, apply-to-children planning and IP whitelists.
#include <gtest/gtest.h>

#include "perm/apply_to_children.hpp"
#include "perm/group_permission.hpp"
#include "perm/ip_whitelist.hpp"

using namespace kallithea::perm;

TEST(GroupPermission, AdditiveWithoutOwnerShortcut) {
    EXPECT_EQ(effective_group_level({false, Level::read, {}, {}}), Level::read);
    EXPECT_EQ(effective_group_level({false, Level::read, {Level::write}, {}}), Level::write);
    EXPECT_EQ(effective_group_level({false, Level::write, {}, Level::none}), Level::write);
    EXPECT_EQ(effective_group_level({false, {}, {}, Level::admin}), Level::admin);
    EXPECT_EQ(effective_group_level({true, Level::none, {}, {}}), Level::admin);
}

namespace {

// root 1 -> 2 -> 3; 4 is elsewhere. Repos: 10 in 1, 11 in 3 (private), 12 in 4, 13 top level.
const std::vector<GroupNode> kGroups = {{1, {}}, {2, 1}, {3, 2}, {4, {}}};
const std::vector<RepoNode> kRepos = {
    {10, 1, false}, {11, 3, true}, {12, 4, false}, {13, {}, false}};

std::vector<std::string> describe(const std::vector<PermissionWrite>& writes) {
    std::vector<std::string> out;
    for (const auto& w : writes)
        out.push_back((w.target == PermissionWrite::Target::group ? "g" : "r") +
                      std::to_string(w.id) + ":" + w.permission);
    return out;
}

}  // namespace

TEST(ApplyToChildren, Modes) {
    using V = std::vector<std::string>;
    EXPECT_EQ(describe(plan_group_grant(1, Level::write, ApplyTo::none, false, kGroups, kRepos)),
              (V{"g1:group.write"}));
    EXPECT_EQ(describe(plan_group_grant(1, Level::write, ApplyTo::groups, false, kGroups, kRepos)),
              (V{"g1:group.write", "g2:group.write", "g3:group.write"}));
    EXPECT_EQ(describe(plan_group_grant(1, Level::read, ApplyTo::repos, false, kGroups, kRepos)),
              (V{"g1:group.read", "r10:repository.read", "r11:repository.read"}));
    EXPECT_EQ(describe(plan_group_grant(1, Level::admin, ApplyTo::all, false, kGroups, kRepos)),
              (V{"g1:group.admin", "g2:group.admin", "g3:group.admin", "r10:repository.admin",
                 "r11:repository.admin"}));
    // The default user's grant skips private repositories.
    EXPECT_EQ(describe(plan_group_grant(1, Level::read, ApplyTo::repos, true, kGroups, kRepos)),
              (V{"g1:group.read", "r10:repository.read"}));
    EXPECT_EQ(parse_apply_to("all"), ApplyTo::all);
    EXPECT_EQ(parse_apply_to("everything"), std::nullopt);
}

TEST(IpWhitelist, Matching) {
    EXPECT_TRUE(ip_allowed("1.2.3.4", {}));
    EXPECT_TRUE(ip_allowed("10.1.2.3", {"10.0.0.0/8"}));
    EXPECT_FALSE(ip_allowed("11.1.2.3", {"10.0.0.0/8"}));
    EXPECT_TRUE(ip_allowed("192.168.1.5", {"192.168.1.5"}));
    EXPECT_FALSE(ip_allowed("192.168.1.6", {"192.168.1.5/32"}));
    EXPECT_TRUE(ip_allowed("192.168.1.130", {"192.168.1.128/25"}));
    EXPECT_FALSE(ip_allowed("192.168.1.127", {"192.168.1.128/25"}));
    EXPECT_TRUE(ip_allowed("::ffff:127.0.0.1", {"127.0.0.0/8"}));
    EXPECT_TRUE(ip_allowed("2001:db8::1", {"2001:db8::/32"}));
    EXPECT_FALSE(ip_allowed("2001:db9::1", {"2001:db8::/32"}));
    EXPECT_FALSE(ip_allowed("not-an-ip", {"0.0.0.0/0"}));
    EXPECT_FALSE(ip_allowed("1.2.3.4", {"garbage", "1.2.3.5"}));
    EXPECT_TRUE(ip_allowed("1.2.3.4", {"0.0.0.0/0"}));
    EXPECT_TRUE(valid_network("10.0.0.0/8"));
    EXPECT_FALSE(valid_network("10.0.0.0/33"));
    EXPECT_FALSE(valid_network("10.0.0/8"));
}
