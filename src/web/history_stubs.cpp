// Placeholders for the history pages until they are written (answer 501).
#include "web/routes.hpp"

namespace kallithea::web {

http::Response show_summary(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_changelog(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_changelog_details(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_changeset(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_changeset_diff(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_changeset_patch(Ctx&) {
    return http::Response::html(501, {});
}
http::Response download_changeset(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_changeset_children(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_changeset_parents(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_compare(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_feed_rss(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_feed_atom(Ctx&) {
    return http::Response::html(501, {});
}

}  // namespace kallithea::web
