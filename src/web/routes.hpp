// The web surface's route table: every route declares what the visitor needs before the
// handler runs (the gate in site.cpp checks it).
#pragma once

#include <string>
#include <vector>

#include "http/message.hpp"
#include "http/router.hpp"
#include "web/context.hpp"

namespace kallithea::web {

enum class Need {
    undeclared,       // never valid: the route-table test fails on it
    nothing,          // reachable even when anonymous access is off (login page, static files)
    site_read,        // anonymous visitors allowed while the `default` user is active
    login,            // a logged-in account
    admin,            // a super-admin
    repo_read,        // read on the {repo} of the route (404 when missing or not readable)
    repo_write,       // write on {repo} (403 when readable but not writable)
    repo_admin,       // admin on {repo}
    group_read,       // read on the {group} of the route (404 when missing or not readable)
    group_admin,      // admin on {group} (403 when readable)
    usergroup_admin,  // admin on the user group {id} (404 when missing or not readable)
};

using PageHandler = http::Response (*)(Ctx&);

struct RouteDef {
    std::vector<http::Method> methods;
    std::string pattern;  // http::Router syntax
    Need need = Need::undeclared;
    PageHandler handler = nullptr;
    // GET responses may be served from the page cache (repository pages whose content depends
    // only on the address, the visitor and the repository's state; see site.cpp).
    bool cached = false;
};

const std::vector<RouteDef>& route_table();
// A router holding route_table() in order (route ids are table indices), its {repo:path} and
// {group:path} candidates bounded by the longest name a URL can hold
// (service/repos/repo_names.hpp).
http::Router make_router();

// The route tables of the administration areas, one per file; route_table() puts them before
// the repository pages (whose /{repo:path} patterns would otherwise swallow them).
std::vector<RouteDef> user_admin_routes();        // user_admin_pages.cpp: /_admin/users...
std::vector<RouteDef> my_account_routes();        // my_account_pages.cpp: /_admin/my_account...
std::vector<RouteDef> user_group_routes();        // user_group_pages.cpp: /_admin/user_groups...
std::vector<RouteDef> repo_group_routes();        // repo_group_pages.cpp: /_admin/repo_groups...
std::vector<RouteDef> repo_settings_routes();     // repo_settings_pages.cpp: /{repo}/settings...
std::vector<RouteDef> permission_admin_routes();  // permission_pages.cpp: /_admin/permissions,
                                                  // /_admin/defaults
std::vector<RouteDef> registration_routes();      // registration_pages.cpp: /_admin/register,
                                                  // /_admin/password_reset...
// The repository pages' tables, put after the administration areas.
std::vector<RouteDef> history_routes();  // history/history_routes.cpp: summary, changelog, ...
std::vector<RouteDef> file_routes();     // files/file_routes.cpp: files, raw, annotate, ...

// Handlers (one file per area).
http::Response show_home(Ctx& ctx);
http::Response show_login(Ctx& ctx);
http::Response submit_login(Ctx& ctx);
http::Response submit_logout(Ctx& ctx);
http::Response serve_static(Ctx& ctx);

// Repository pages: history (summary_page.cpp, changelog_pages.cpp, changeset_pages.cpp,
// compare_page.cpp, feed_pages.cpp).
http::Response show_summary(Ctx& ctx);
http::Response show_changelog(Ctx& ctx);
http::Response show_changelog_details(Ctx& ctx);
http::Response show_changeset(Ctx& ctx);
http::Response show_changeset_diff(Ctx& ctx);      // raw unified diff (text/plain)
http::Response show_changeset_patch(Ctx& ctx);     // git format-patch style (text/plain)
http::Response download_changeset(Ctx& ctx);       // the diff as an attachment
http::Response show_changeset_children(Ctx& ctx);  // JSON
http::Response show_changeset_parents(Ctx& ctx);   // JSON
http::Response show_compare(Ctx& ctx);
http::Response show_feed_rss(Ctx& ctx);
http::Response show_feed_atom(Ctx& ctx);

// Repository pages: files (file_pages.cpp, archive_page.cpp, refs_page.cpp).
http::Response show_files(Ctx& ctx);
http::Response show_raw(Ctx& ctx);
http::Response show_rawfile(Ctx& ctx);
http::Response show_annotate(Ctx& ctx);
http::Response show_file_history(Ctx& ctx);
http::Response download_archive(Ctx& ctx);
http::Response show_refs_data(Ctx& ctx);  // JSON

// Repository administration (repo_admin_pages.cpp) and group pages (group_page.cpp).
http::Response show_repos_admin(Ctx& ctx);
http::Response show_new_repo_form(Ctx& ctx);
http::Response create_repo(Ctx& ctx);
http::Response delete_repo(Ctx& ctx);
http::Response show_group(Ctx& ctx);
#ifdef KALLITHEA_TEST_ROUTES
http::Response test_throw(Ctx& ctx);
http::Response test_stream(Ctx& ctx);
http::Response test_abort(Ctx& ctx);
#endif

}  // namespace kallithea::web
