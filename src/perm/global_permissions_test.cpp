// Table-driven tests of the global permission union.
#include "perm/global_permissions.hpp"

#include <gtest/gtest.h>

using namespace kallithea::perm;

TEST(GlobalPermissions, DefaultIsTheBaseline) {
    GlobalFacts facts;
    facts.default_grants = {"hg.create.repository", "hg.fork.repository",
                            "hg.register.manual_activate"};
    facts.user_grants = {"hg.create.none", "hg.fork.none"};
    const auto got = effective_global_permissions(facts);
    EXPECT_TRUE(got.count("hg.create.repository"));
    EXPECT_TRUE(got.count("hg.fork.repository"));
    EXPECT_FALSE(got.count("hg.create.none"));
}

TEST(GlobalPermissions, HighestWeightPerKindFromAnySource) {
    GlobalFacts facts;
    facts.default_grants = {"hg.create.none", "hg.usergroup.create.false", "hg.register.none"};
    facts.group_grants = {"hg.usergroup.create.true", "hg.register.manual_activate"};
    facts.user_grants = {"hg.create.repository", "hg.register.auto_activate"};
    const std::set<std::string> expected = {"hg.create.repository", "hg.usergroup.create.true",
                                            "hg.register.auto_activate"};
    EXPECT_EQ(effective_global_permissions(facts), expected);
}

TEST(GlobalPermissions, AdminIsJustAdmin) {
    GlobalFacts facts;
    facts.user_is_admin = true;
    facts.default_grants = {"hg.create.none"};
    EXPECT_EQ(effective_global_permissions(facts), std::set<std::string>{"hg.admin"});
}

TEST(GlobalPermissions, HgAdminRowDoesNotMakeAnAdmin) {
    GlobalFacts facts;
    facts.user_grants = {"hg.admin", "hg.fork.none"};
    EXPECT_EQ(effective_global_permissions(facts), std::set<std::string>{"hg.fork.none"});
}
