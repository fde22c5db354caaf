// The route table of the web pages (Kallithea's URLs).
#include "web/routes.hpp"

#include "service/repos/repo_names.hpp"

namespace kallithea::web {

using M = http::Method;

namespace {

std::vector<RouteDef> build_table() {
    std::vector<RouteDef> table = {
        {{M::get, M::head}, "/", Need::site_read, show_home},
        {{M::get, M::head}, "/_admin/login", Need::nothing, show_login},
        {{M::post}, "/_admin/login", Need::nothing, submit_login},
        {{M::get, M::post}, "/_admin/logout", Need::nothing, submit_logout},
        {{M::get, M::head}, "/_static/{path:rest}", Need::nothing, serve_static},
        // Repository administration.
        {{M::get, M::head}, "/_admin/repos", Need::login, show_repos_admin},
        {{M::post}, "/_admin/repos", Need::login, create_repo},
        {{M::get, M::head}, "/_admin/create_repository", Need::login, show_new_repo_form},
        {{M::post}, "/_admin/repos/{repo:path}/delete", Need::repo_admin, delete_repo},
    };
    for (auto area : {user_admin_routes, my_account_routes, user_group_routes, repo_group_routes,
                      repo_settings_routes, permission_admin_routes, registration_routes})
        for (auto& route : area())
            table.push_back(std::move(route));
    // The repository pages come after the administration areas, whose /_admin/... addresses
    // the /{repo:path} patterns would otherwise swallow; the bare repository and group
    // addresses come last.
    for (auto area : {history_routes, file_routes})
        for (auto& route : area())
            table.push_back(std::move(route));
    std::vector<RouteDef> last = {
        {{M::get, M::head}, "/{repo:path}", Need::repo_read, show_summary, true},
        {{M::get, M::head}, "/{group:path}", Need::group_read, show_group},
#ifdef KALLITHEA_TEST_ROUTES
        {{M::get}, "/_admin/_test/throw", Need::nothing, test_throw},
        {{M::get}, "/_admin/_test/stream", Need::nothing, test_stream},
        {{M::get}, "/_admin/_test/abort", Need::nothing, test_abort},
#endif
    };
    for (auto& route : last)
        table.push_back(std::move(route));
    return table;
}

}  // namespace

const std::vector<RouteDef>& route_table() {
    static const std::vector<RouteDef> table = build_table();
    return table;
}

http::Router make_router() {
    http::Router router;
    http::Router::Limits limits;
    limits.path_param_segments = service::kMaxUrlNameSegments;
    limits.path_param_bytes = service::kMaxUrlNameBytes;
    router.set_limits(limits);
    for (const auto& route : route_table())
        router.add(route.methods, route.pattern);
    return router;
}

}  // namespace kallithea::web
