// The backend factory: Git is served, Mercurial not yet, anything else is refused.
#include "vcs/backend.hpp"

#include <gtest/gtest.h>

using namespace kallithea;

TEST(BackendFor, GitIsServedMercurialNotYet) {
    auto git = vcs::backend_for("git");
    ASSERT_TRUE(git);
    EXPECT_EQ((*git)->type(), "git");
    EXPECT_EQ(*git, *vcs::backend_for("git"));  // one process-wide object
    auto hg = vcs::backend_for("hg");
    ASSERT_FALSE(hg);
    EXPECT_EQ(hg.error().code, Errc::unavailable);
    for (const char* other : {"", "svn", "Git"}) {
        auto refused = vcs::backend_for(other);
        ASSERT_FALSE(refused) << other;
        EXPECT_EQ(refused.error().code, Errc::invalid_argument) << other;
    }
}

TEST(NullId, AllZerosOnly) {
    EXPECT_TRUE(vcs::is_null_id(std::string(40, '0')));
    EXPECT_TRUE(vcs::is_null_id(std::string(64, '0')));
    EXPECT_FALSE(vcs::is_null_id(std::string(39, '0') + "1"));
    EXPECT_FALSE(vcs::is_null_id(""));
}
