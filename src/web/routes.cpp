// The route table of the web pages (Kallithea's URLs).
#include "web/routes.hpp"

#include "service/repo_names.hpp"

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
    std::vector<RouteDef> repo_pages = {
        // Repository pages; {repo:path} takes the shortest existing repository name.
        {{M::get, M::head}, "/{repo:path}/summary", Need::repo_read, show_summary, true},
        {{M::get, M::head}, "/{repo:path}/changelog", Need::repo_read, show_changelog, true},
        {{M::get, M::head},
         "/{repo:path}/changelog/{rev}/{path:rest}",
         Need::repo_read,
         show_changelog,
         true},
        {{M::get, M::head},
         "/{repo:path}/changelog_details/{rev}",
         Need::repo_read,
         show_changelog_details,
         true},
        {{M::get, M::head}, "/{repo:path}/changeset/{rev}", Need::repo_read, show_changeset, true},
        {{M::get, M::head},
         "/{repo:path}/changeset-diff/{rev}",
         Need::repo_read,
         show_changeset_diff},
        {{M::get, M::head},
         "/{repo:path}/raw-changeset/{rev}",
         Need::repo_read,
         show_changeset_diff},
        {{M::get, M::head},
         "/{repo:path}/changeset-patch/{rev}",
         Need::repo_read,
         show_changeset_patch},
        {{M::get, M::head},
         "/{repo:path}/changeset-download/{rev}",
         Need::repo_read,
         download_changeset},
        {{M::get, M::head},
         "/{repo:path}/changeset_children/{rev}",
         Need::repo_read,
         show_changeset_children},
        {{M::get, M::head},
         "/{repo:path}/changeset_parents/{rev}",
         Need::repo_read,
         show_changeset_parents},
        {{M::get, M::head}, "/{repo:path}/compare", Need::repo_read, show_compare, true},
        {{M::get, M::head},
         "/{repo:path}/compare/{spec:rest}",
         Need::repo_read,
         show_compare,
         true},
        {{M::get, M::head}, "/{repo:path}/feed/rss", Need::repo_read, show_feed_rss, true},
        {{M::get, M::head}, "/{repo:path}/feed/atom", Need::repo_read, show_feed_atom, true},
        {{M::get, M::head}, "/{repo:path}/files/{rev}", Need::repo_read, show_files, true},
        {{M::get, M::head},
         "/{repo:path}/files/{rev}/{path:rest}",
         Need::repo_read,
         show_files,
         true},
        {{M::get, M::head}, "/{repo:path}/raw/{rev}/{path:rest}", Need::repo_read, show_raw},
        {{M::get, M::head},
         "/{repo:path}/rawfile/{rev}/{path:rest}",
         Need::repo_read,
         show_rawfile},
        {{M::get, M::head},
         "/{repo:path}/annotate/{rev}/{path:rest}",
         Need::repo_read,
         show_annotate,
         true},
        {{M::get, M::head},
         "/{repo:path}/history/{rev}/{path:rest}",
         Need::repo_read,
         show_file_history,
         true},
        {{M::get, M::head}, "/{repo:path}/archive/{fname}", Need::repo_read, download_archive},
        {{M::get, M::head}, "/{repo:path}/refs-data", Need::repo_read, show_refs_data},
        {{M::get, M::head}, "/{repo:path}", Need::repo_read, show_summary, true},
        {{M::get, M::head}, "/{group:path}", Need::group_read, show_group},
#ifdef KALLITHEA_TEST_ROUTES
        {{M::get}, "/_admin/_test/throw", Need::nothing, test_throw},
        {{M::get}, "/_admin/_test/stream", Need::nothing, test_stream},
        {{M::get}, "/_admin/_test/abort", Need::nothing, test_abort},
#endif
    };
    for (auto& route : repo_pages)
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
