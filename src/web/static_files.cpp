// Static assets embedded in the binary, with cache headers (/_static/...).
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

std::string content_type_for(std::string_view path) {
    auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
    if (ends(".css"))
        return "text/css; charset=utf-8";
    if (ends(".js"))
        return "text/javascript; charset=utf-8";
    if (ends(".svg"))
        return "image/svg+xml";
    if (ends(".png"))
        return "image/png";
    if (ends(".ico"))
        return "image/x-icon";
    if (ends(".woff2"))
        return "font/woff2";
    return "application/octet-stream";
}

}  // namespace

http::Response serve_static(Ctx& ctx) {
    const std::string& path = ctx.params["path"];
    const std::string* data = static_asset(path);
    if (!data)
        return http::Response::html(404, {});
    const std::string etag = "\"" + asset_version() + "\"";
    if (ctx.req.header("If-None-Match") == etag) {
        http::Response not_modified;
        not_modified.status = 304;
        not_modified.headers.set("ETag", etag);
        return not_modified;
    }
    http::Response response = http::Response::text(200, *data, content_type_for(path));
    response.headers.set("ETag", etag);
    response.headers.set("X-Content-Type-Options", "nosniff");
    // Pages link assets with ?v=<version>, so a matching version can be cached for good.
    const bool versioned = ctx.req.query_param("v") == asset_version();
    response.headers.set("Cache-Control",
                         versioned ? "public, max-age=31536000, immutable" : "public, max-age=300");
    return response;
}

}  // namespace kallithea::web
