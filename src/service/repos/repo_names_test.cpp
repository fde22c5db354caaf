// Unit tests for repository name rules and backup names.
#include "service/repos/repo_names.hpp"

#include <gtest/gtest.h>

namespace kallithea::service {
namespace {

TEST(RepoNames, AcceptsOrdinaryPaths) {
    for (const char* name : {"repo", "group/repo", "a/b/c", "my-repo.git", "x_y", "a/_inner",
                             "Ünïcode", "v1.2", "a.b/c-d"}) {
        EXPECT_TRUE(check_repo_path(name)) << name;
    }
}

TEST(RepoNames, RefusesBadPaths) {
    for (const char* name :
         {"",      "/x",      "x/",        "a//b",      ".",        "..",  "a/../b",
          "a/./b", ".hidden", "a/.git",    "_admin",    "_admin/x", "_x",  "_123",
          "rm__x", "a/rm__b", "has space", "a?b",       "a#b",      "a%b", "a:b",
          "a\\b",  "a\"b",    "a<b",       "tab\tname", "a~b"}) {
        auto st = check_repo_path(name);
        EXPECT_FALSE(st) << name;
        if (!st) {
            EXPECT_EQ(st.error().code, Errc::invalid_argument);
            EXPECT_FALSE(st.error().message.empty());
        }
    }
    EXPECT_FALSE(check_repo_path(std::string(256, 'a')));
    EXPECT_TRUE(check_repo_path(std::string(255, 'a')));
}

TEST(RepoNames, MessagesNameTheProblem) {
    auto st = check_repo_path("a//b");
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("a//b"), std::string::npos);
    EXPECT_NE(st.error().message.find("empty"), std::string::npos);
}

TEST(RepoNames, ParentGroups) {
    EXPECT_TRUE(parent_groups("repo").empty());
    EXPECT_EQ(parent_groups("a/b/c"), (std::vector<std::string>{"a", "a/b"}));
    EXPECT_EQ(last_segment("a/b/c"), "c");
    EXPECT_EQ(last_segment("c"), "c");
}

TEST(RepoNames, PlausibleUrlNames) {
    EXPECT_TRUE(plausible_url_name("repo"));
    EXPECT_TRUE(plausible_url_name("group/sub/repo"));
    EXPECT_TRUE(plausible_url_name(".hidden/x"));  // an older Kallithea may have made it
    EXPECT_TRUE(plausible_url_name("_42"));        // permanent URL
    EXPECT_FALSE(plausible_url_name(""));
    EXPECT_FALSE(plausible_url_name("_admin"));
    EXPECT_FALSE(plausible_url_name("_42/files"));
    EXPECT_FALSE(plausible_url_name("_"));
    EXPECT_FALSE(plausible_url_name("a//b"));
    EXPECT_FALSE(plausible_url_name("a/../b"));
    EXPECT_FALSE(plausible_url_name("a/."));
    EXPECT_FALSE(plausible_url_name(std::string(kMaxUrlNameBytes + 1, 'a')));
    EXPECT_TRUE(plausible_url_name(std::string(kMaxUrlNameBytes, 'a')));
    std::string deep = "a";
    for (size_t i = 1; i < kMaxUrlNameSegments; ++i)
        deep += "/a";
    EXPECT_TRUE(plausible_url_name(deep));
    EXPECT_FALSE(plausible_url_name(deep + "/a"));
}

TEST(RepoNames, BackupNamesRoundTrip) {
    using namespace std::chrono;
    const auto when =
        sys_days(year(2024) / 3 / 5) + hours(7) + minutes(8) + seconds(9) + microseconds(12345);
    const std::string name = removed_backup_name("tool", when);
    EXPECT_EQ(name, "rm__20240305_070809_012345__tool");
    EXPECT_TRUE(is_removed_backup(name));
    auto parsed = removed_backup_time(name);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, system_clock::time_point(when));
    EXPECT_FALSE(removed_backup_time("rm__2024_x"));
    EXPECT_FALSE(removed_backup_time("rm__20241305_070809_012345__x"));
    EXPECT_FALSE(is_removed_backup("repo"));
}

}  // namespace
}  // namespace kallithea::service
