// Every route declares what it needs, and the table's patterns are unique per method.
#include "web/routes.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "service/repos/repo_names.hpp"

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

namespace {

// How often matching `path` asks about a repository or group name, none of which exist.
size_t candidates_asked(const kallithea::http::Router& router, kallithea::http::Method method,
                        const std::string& path) {
    size_t asked = 0;
    auto lookup = router.find(method, path, [&](std::string_view, std::string_view value) {
        ++asked;
        EXPECT_LE(value.size(), kallithea::service::kMaxUrlNameBytes);
        return false;
    });
    EXPECT_FALSE(lookup.match);
    return asked;
}

std::string repeated(std::string_view head, std::string_view piece, size_t times) {
    std::string out(head);
    for (size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

}  // namespace

// The attack paths (/x + /files/x x 2000, /x + /raw/x x 6000) asked about one candidate
// per repetition, each costing a query: the work must not grow with the path.
TEST(Routes, NameCandidatesPerRequestAreBounded) {
    using kallithea::http::Method;
    const kallithea::http::Router router = make_router();
    const size_t bound = route_table().size() * kallithea::service::kMaxUrlNameSegments;
    // Under the 512-segment cap: as many candidates for 250 repetitions as for 150.
    for (std::string_view piece : {"/files/x", "/raw/x", "/x/x"}) {
        const size_t small = candidates_asked(router, Method::get, repeated("/x", piece, 150));
        const size_t large = candidates_asked(router, Method::get, repeated("/x", piece, 250));
        EXPECT_EQ(small, large) << piece;
        EXPECT_LE(large, bound) << piece;
        EXPECT_LE(candidates_asked(router, Method::post, repeated("/x", piece, 250)), bound);
    }
    // Long segments: each candidate is at most 1 KiB.
    const std::string segment = "/" + std::string(100, 'x');
    EXPECT_LE(candidates_asked(router, Method::get, repeated("", segment + "/files", 250)), bound);
    // The paths have more than 512 segments: they match nothing, without asking.
    EXPECT_EQ(candidates_asked(router, Method::get, repeated("/x", "/files/x", 2000)), 0u);
    EXPECT_EQ(candidates_asked(router, Method::get, repeated("/x", "/raw/x", 6000)), 0u);
}

TEST(Routes, LongNamesStillMatch) {
    const kallithea::http::Router router = make_router();
    std::string name = repeated("g", "/g", 40) + "/repo";
    auto lookup = router.find(kallithea::http::Method::get, "/" + name + "/files/tip/a/b",
                              [&](std::string_view param, std::string_view value) {
                                  return param == "repo" && value == name;
                              });
    ASSERT_TRUE(lookup.match);
    EXPECT_EQ(lookup.match->params.at("repo"), name);
    EXPECT_EQ(lookup.match->params.at("path"), "a/b");
}
