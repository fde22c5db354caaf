// The route table of the web pages (Kallithea's URLs).
#include "web/routes.hpp"

namespace kallithea::web {

using M = http::Method;

const std::vector<RouteDef>& route_table() {
    static const std::vector<RouteDef> table = {
        {{M::get, M::head}, "/", Need::site_read, show_home},
        {{M::get, M::head}, "/_admin/login", Need::nothing, show_login},
        {{M::post}, "/_admin/login", Need::nothing, submit_login},
        {{M::get, M::post}, "/_admin/logout", Need::nothing, submit_logout},
        {{M::get, M::head}, "/_static/{path:rest}", Need::nothing, serve_static},
#ifdef KALLITHEA_TEST_ROUTES
        {{M::get}, "/_admin/_test/throw", Need::nothing, test_throw},
        {{M::get}, "/_admin/_test/stream", Need::nothing, test_stream},
#endif
    };
    return table;
}

}  // namespace kallithea::web
