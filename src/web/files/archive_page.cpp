// Archive downloads: /{repo}/archive/{rev}{.zip|.tar|.tar.gz|.tar.bz2}, streamed as produced.
#include <string>
#include <utility>

#include "core/log.hpp"
#include "service/files/files.hpp"
#include "web/files/file_page_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {

http::Response download_archive(Ctx& ctx) {
    auto archive = service::prepare_archive(ctx.app, ctx.session.user, *ctx.repo,
                                            ctx.params["fname"], ctx.client_ip);
    if (!archive)
        return file_pages::error_response(ctx, archive.error(), "archive");
    http::Response response;
    response.headers.set("Content-Type", archive->content_type);
    response.headers.set("Content-Disposition",
                         file_pages::attachment_disposition(archive->file_name));
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Cache-Control", "no-cache");
    response.headers.set("Pragma", "no-cache");
    response.stream = [stream = std::move(archive->stream), request_id = ctx.req.request_id,
                       name = archive->file_name](http::BodyWriter& out) {
        auto status = stream([&out](std::string_view data) { return out.write(data); });
        if (!status)
            log::warn("request {}: archive {} failed: {} ({})", request_id, name,
                      status.error().message, status.error().detail);
    };
    return response;
}

}  // namespace kallithea::web
