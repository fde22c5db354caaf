// Every route declares what it needs, and the table's patterns are unique per method.
#include "web/routes.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

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

// The route matcher's fuzz target (fuzz/fuzz_web_routes.cpp) matches against a copy of this
// table, because the fuzz build does not link the web layer; the copy must stay equal. To
// refresh it after changing routes: KALLITHEA_UPDATE_FUZZ_ROUTES=1 ctest -R FuzzCopy
TEST(Routes, FuzzCopyOfTheTableIsCurrent) {
    const char* source_dir = std::getenv("KALLITHEA_SOURCE_DIR");
    ASSERT_NE(source_dir, nullptr);
    const std::string path = std::string(source_dir) + "/fuzz/web_routes.txt";
    std::string expected =
        "# fuzz/fuzz_web_routes.cpp: web::route_table() as METHODS PATTERN, in table order.\n"
        "# Kept equal to the table by src/web/routes_test.cpp (FuzzCopyOfTheTableIsCurrent).\n";
    for (const auto& route : route_table()) {
        if (route.pattern.starts_with("/_admin/_test/"))
            continue;  // KALLITHEA_TEST_ROUTES builds only
        std::string methods;
        for (auto method : route.methods)
            methods +=
                (methods.empty() ? "" : ",") + std::string(kallithea::http::method_name(method));
        expected += methods + " " + route.pattern + "\n";
    }
    if (std::getenv("KALLITHEA_UPDATE_FUZZ_ROUTES")) {
        std::ofstream(path, std::ios::binary) << expected;
    }
    std::ifstream in(path, std::ios::binary);
    const std::string actual((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
    EXPECT_EQ(actual, expected) << "refresh with KALLITHEA_UPDATE_FUZZ_ROUTES=1 ctest -R FuzzCopy";
}
