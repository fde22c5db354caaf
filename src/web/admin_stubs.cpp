// Placeholders for repository administration and group pages until they are written (501).
#include "web/routes.hpp"

namespace kallithea::web {

http::Response show_repos_admin(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_new_repo_form(Ctx&) {
    return http::Response::html(501, {});
}
http::Response create_repo(Ctx&) {
    return http::Response::html(501, {});
}
http::Response delete_repo(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_group(Ctx&) {
    return http::Response::html(404, {});
}

}  // namespace kallithea::web
