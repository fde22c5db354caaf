// Every route declares what it needs, and the table's patterns are unique per method.
#include "web/routes.hpp"

#include <set>

#include <gtest/gtest.h>

using namespace kallithea::web;

TEST(Routes, EveryRouteDeclaresItsRequirement) {
    for (const auto& route : route_table()) {
        EXPECT_NE(route.need, Need::undeclared) << route.pattern;
        EXPECT_NE(route.handler, nullptr) << route.pattern;
        EXPECT_FALSE(route.methods.empty()) << route.pattern;
    }
}

TEST(Routes, NoDuplicateMethodAndPattern) {
    std::set<std::pair<int, std::string>> seen;
    for (const auto& route : route_table())
        for (auto method : route.methods)
            EXPECT_TRUE(seen.insert({static_cast<int>(method), route.pattern}).second)
                << route.pattern;
}
