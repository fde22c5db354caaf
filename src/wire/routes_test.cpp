// The Git route table declares a need for every route, and paths map to repositories as
// Kallithea's SimpleGit pattern does.
#include "wire/routes.hpp"

#include <gtest/gtest.h>

using namespace kallithea;
using namespace kallithea::wire;

namespace {

http::Request request(http::Method method, std::string path, std::string query = {}) {
    http::Request r;
    r.method = method;
    r.path = std::move(path);
    r.raw_query = std::move(query);
    return r;
}

}  // namespace

TEST(WireRoutes, EveryRouteDeclaresItsRequirement) {
    for (const auto& route : route_table()) {
        EXPECT_NE(route.need, Need::undeclared) << route.suffix;
        EXPECT_NE(route.handler, nullptr) << route.suffix;
        EXPECT_FALSE(route.methods.empty()) << route.suffix;
        // The declared need is the one the service itself requires.
        const auto expected = service::git_service_need(route.git_service) == perm::Level::write
                                  ? Need::repo_write
                                  : Need::repo_read;
        EXPECT_EQ(route.need, expected) << route.suffix << " " << route.service;
    }
}

TEST(WireRoutes, ClaimsSmartRequestsOnly) {
    EXPECT_TRUE(claims(request(http::Method::get, "/r/info/refs", "service=git-upload-pack")));
    EXPECT_TRUE(claims(request(http::Method::head, "/r/info/refs", "service=x")));
    EXPECT_TRUE(claims(request(http::Method::post, "/g/r/git-upload-pack")));
    EXPECT_TRUE(claims(request(http::Method::post, "/r/git-receive-pack")));
    // Dumb HTTP and browsing a file called info/refs stay with the web pages.
    EXPECT_FALSE(claims(request(http::Method::get, "/r/info/refs")));
    EXPECT_FALSE(claims(request(http::Method::get, "/r/git-upload-pack")));
    EXPECT_FALSE(claims(request(http::Method::post, "/git-upload-pack")));
    EXPECT_FALSE(claims(request(http::Method::get, "/info/refs", "service=git-upload-pack")));
    EXPECT_FALSE(claims(request(http::Method::get, "/r/summary")));
}

TEST(WireRoutes, RepositoryNameIsEverythingBeforeTheSuffix) {
    auto m = match_route(
        request(http::Method::get, "/group/sub/repo/info/refs", "service=git-receive-pack"));
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.repo_name, "group/sub/repo");
    EXPECT_EQ(m.route->git_service, service::GitService::receive_pack);
    EXPECT_EQ(m.route->need, Need::repo_write);

    m = match_route(request(http::Method::post, "/a/info/refs/git-upload-pack"));
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.repo_name, "a/info/refs");
    EXPECT_EQ(m.route->need, Need::repo_read);

    m = match_route(request(http::Method::post, "/repo.git/git-upload-pack"));
    EXPECT_EQ(m.repo_name, "repo.git");  // names are kept exactly
}

TEST(WireRoutes, UnknownServiceAndMalformedNames) {
    auto m = match_route(request(http::Method::get, "/r/info/refs", "service=git-foo"));
    EXPECT_EQ(m.route, nullptr);
    for (std::string path : {"/../x/info/refs", "/a/../x/info/refs", "/a//b/info/refs",
                             "/./info/refs", "/a/./info/refs", "//info/refs"}) {
        m = match_route(request(http::Method::get, path, "service=git-upload-pack"));
        EXPECT_EQ(m.repo_name, "") << path;
    }
}
