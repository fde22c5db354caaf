// The web surface's route table: every route declares what the visitor needs before the
// handler runs (the gate in site.cpp checks it).
#pragma once

#include <string>
#include <vector>

#include "http/message.hpp"
#include "web/context.hpp"

namespace kallithea::web {

enum class Need {
    undeclared,  // never valid: the route-table test fails on it
    nothing,     // reachable even when anonymous access is off (login page, static files)
    site_read,   // anonymous visitors allowed while the `default` user is active
    login,       // a logged-in account
    admin,       // a super-admin
};

using PageHandler = http::Response (*)(Ctx&);

struct RouteDef {
    std::vector<http::Method> methods;
    std::string pattern;  // http::Router syntax
    Need need = Need::undeclared;
    PageHandler handler = nullptr;
};

const std::vector<RouteDef>& route_table();

// Handlers (one file per area).
http::Response show_home(Ctx& ctx);
http::Response show_login(Ctx& ctx);
http::Response submit_login(Ctx& ctx);
http::Response submit_logout(Ctx& ctx);
http::Response serve_static(Ctx& ctx);
#ifdef KALLITHEA_TEST_ROUTES
http::Response test_throw(Ctx& ctx);
http::Response test_stream(Ctx& ctx);
#endif

}  // namespace kallithea::web
