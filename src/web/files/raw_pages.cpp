// Raw file bytes: /{repo}/raw/{rev}/{path} (shown inline with a safe type) and
// /{repo}/rawfile/{rev}/{path} (an attachment). Both stream the file.
#include <string>
#include <utility>

#include "core/log.hpp"
#include "service/files/files.hpp"
#include "web/files/file_page_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

using namespace file_pages;

http::Response stream_raw(Ctx& ctx, bool attachment) {
    auto raw = service::open_raw_file(*ctx.repo, ctx.params["rev"], path_param(ctx));
    if (!raw)
        return error_response(ctx, raw.error(), attachment ? "rawfile" : "raw");
    http::Response response;
    const bool inline_image = service::raw_inline_image(raw->name);
    if (attachment) {
        response.headers.set("Content-Type",
                             service::download_content_type(raw->name, raw->binary));
        response.headers.set("Content-Disposition", attachment_disposition(raw->name));
    } else {
        response.headers.set("Content-Type",
                             service::raw_inline_content_type(raw->name, raw->binary));
        // Binary files that are not images are downloads, as in Kallithea.
        if (raw->binary && !inline_image)
            response.headers.set("Content-Disposition", attachment_disposition(raw->name));
    }
    response.headers.set("Content-Length", std::to_string(raw->size));
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
    response.headers.set("X-Frame-Options", "SAMEORIGIN");
    response.headers.set("Cache-Control", "no-cache");
    response.stream = [stream = std::move(raw->stream), request_id = ctx.req.request_id,
                       name = raw->name](http::BodyWriter& out) {
        auto status = stream([&out](std::string_view data) { return out.write(data); });
        if (!status)
            log::warn("request {}: streaming {} failed: {} ({})", request_id, name,
                      status.error().message, status.error().detail);
    };
    return response;
}

}  // namespace

http::Response show_raw(Ctx& ctx) {
    return stream_raw(ctx, false);
}

http::Response show_rawfile(Ctx& ctx) {
    return stream_raw(ctx, true);
}

}  // namespace kallithea::web
