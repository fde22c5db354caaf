// (placeholder: the area's pages are not written yet)
#include "web/routes.hpp"

namespace kallithea::web {

std::vector<RouteDef> repo_settings_routes() {
    return {};
}

}  // namespace kallithea::web
