// Placeholders for the file pages until they are written (answer 501).
#include "web/routes.hpp"

namespace kallithea::web {

http::Response show_files(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_raw(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_rawfile(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_annotate(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_file_history(Ctx&) {
    return http::Response::html(501, {});
}
http::Response download_archive(Ctx&) {
    return http::Response::html(501, {});
}
http::Response show_refs_data(Ctx&) {
    return http::Response::html(501, {});
}

}  // namespace kallithea::web
