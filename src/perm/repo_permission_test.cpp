// Table-driven tests of the repository permission rules.
#include "perm/repo_permission.hpp"

#include <gtest/gtest.h>

using namespace kallithea::perm;

struct Case {
    const char* name;
    RepoFacts facts;
    Level expected;
};

TEST(RepoPermission, Rules) {
    const Case cases[] = {
        {"default baseline", {false, false, false, Level::read, {}, {}}, Level::read},
        {"no default row", {false, false, false, {}, {}, {}}, Level::none},
        {"group bump", {false, false, false, Level::read, {Level::write}, {}}, Level::write},
        {"explicit bump", {false, false, false, Level::read, {}, Level::admin}, Level::admin},
        {"explicit none does not lower",
         {false, false, false, Level::write, {}, Level::none},
         Level::write},
        {"group none does not lower",
         {false, false, false, Level::read, {Level::none}, {}},
         Level::read},
        {"private drops default", {false, false, true, Level::read, {}, {}}, Level::none},
        {"private + owner", {false, true, true, Level::none, {}, {}}, Level::admin},
        {"private + explicit grant",
         {false, false, true, Level::none, {}, Level::read},
         Level::read},
        {"private + group grant",
         {false, false, true, Level::read, {Level::write}, {}},
         Level::write},
        {"admin", {true, false, true, Level::none, {}, Level::none}, Level::admin},
    };
    for (const auto& c : cases)
        EXPECT_EQ(effective_repo_level(c.facts), c.expected) << c.name;
}

TEST(Levels, ParseAndName) {
    EXPECT_EQ(parse_level(Kind::repository, "repository.write"), Level::write);
    EXPECT_EQ(parse_level(Kind::group, "repository.write"), std::nullopt);
    EXPECT_EQ(parse_level(Kind::group, "group.admin"), Level::admin);
    EXPECT_EQ(level_name(Kind::usergroup, Level::read), "usergroup.read");
}
