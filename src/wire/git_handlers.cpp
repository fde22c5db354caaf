// Git smart-HTTP handlers: the ref advertisement and the RPC rounds, streamed both ways.
#include <cstdio>

#include "core/log.hpp"
#include "wire/context.hpp"
#include "wire/request_body.hpp"
#include "wire/routes.hpp"
#include "wire/upload_pack_request.hpp"

namespace kallithea::wire {
namespace {

// git http-backend's no-cache headers: proxies must never serve refs or packs from a cache.
void add_no_cache(http::Response& response) {
    response.headers.set("Expires", "Fri, 01 Jan 1980 00:00:00 GMT");
    response.headers.set("Pragma", "no-cache");
    response.headers.set("Cache-Control", "no-cache, max-age=0, must-revalidate");
}

std::string pkt_line(std::string_view payload) {
    char prefix[5];
    std::snprintf(prefix, sizeof prefix, "%04zx", payload.size() + 4);
    return std::string(prefix, 4) + std::string(payload);
}

int status_for_body_error(Errc code) {
    return code == Errc::too_large ? 413 : 400;
}

// A request body refused before git ran: logged (these are the limits an attacker probes) and
// answered 413 (too large) or 400.
http::Response refuse(const WireCtx& ctx, const Error& error) {
    log::warn("request {}: {} for {} from {} refused: {} ({})", ctx.req.request_id,
              service::git_service_name(ctx.session.service), ctx.session.repo.name,
              ctx.session.client_ip, error.message, error.detail);
    return http::Response::text(status_for_body_error(error.code), error.message + "\n");
}

// Streams run after the handler has returned, so they log with copies of what they need.
void log_failure(const std::string& request_id, const service::GitSession& session,
                 std::string_view what, const Error& error) {
    // A client that goes away mid-transfer is routine; anything else is worth a warning.
    const bool routine = error.code == Errc::io && error.message == "Connection lost";
    const auto level = routine ? log::Level::info : log::Level::warn;
    log::write(level, fmt::format("request {}: {} {} for {}: {} ({})", request_id,
                                  service::git_service_name(session.service), what,
                                  session.repo.name, error.message, error.detail));
}

}  // namespace

http::Response advertise_refs(WireCtx& ctx) {
    http::Response response;
    response.headers.set("Content-Type",
                         "application/x-" +
                             std::string(service::git_service_name(ctx.session.service)) +
                             "-advertisement");
    add_no_cache(response);
    response.stream = [app = ctx.app, session = ctx.session,
                       request_id = ctx.req.request_id](http::BodyWriter& out) {
        // Protocol v2 answers with its capability list only (as git http-backend does).
        if (!service::uses_protocol_v2(session)) {
            const std::string head =
                pkt_line("# service=" + std::string(service::git_service_name(session.service)) +
                         "\n") +
                "0000";
            if (!out.write(head))
                return;
        }
        auto sent = service::advertise_git_refs(
            *app, session, [&out](std::string_view data) { return out.write(data); });
        if (!sent)
            log_failure(request_id, session, "advertisement", sent.error());
    };
    return response;
}

http::Response run_rpc(WireCtx& ctx) {
    const std::string service_name(service::git_service_name(ctx.session.service));
    const bool upload = ctx.session.service == service::GitService::upload_pack;
    // Pushes may be as large as the server allows; fetch negotiation is small (see
    // upload_pack_request.hpp), and a gzip body must not inflate past either limit.
    const uint64_t limit = upload ? kMaxUploadPackBody : ctx.app->config().max_request_body_size;
    auto opened = RequestBody::open(*ctx.req.body, ctx.req.header("Content-Encoding"), limit);
    if (!opened)
        return http::Response::text(415, opened.error().message + "\n");
    std::shared_ptr<RequestBody> body = std::move(*opened);
    // The first read happens now: it answers `Expect: 100-continue`, and a failure can still be
    // told with a status code.
    if (auto first = body->prefetch(); !first)
        return refuse(ctx, first.error());
    ProcessInput input = [body](char* buf, size_t size) { return body->read(buf, size); };
    if (upload) {
        // Negotiation requests are read whole (at most kMaxUploadPackBody) before git starts.
        auto check = service::upload_request_check(ctx.session, kMaxUploadPackHaves);
        if (!check)
            return refuse(ctx, check.error());
        auto request = std::make_shared<UploadPackBody>(body, std::move(*check));
        if (auto ahead = request->read_ahead(kMaxUploadPackBody + 1); !ahead)
            return refuse(ctx, ahead.error());
        input = [request](char* buf, size_t size) { return request->read(buf, size); };
    }
    http::Response response;
    response.headers.set("Content-Type", "application/x-" + service_name + "-result");
    add_no_cache(response);
    response.stream = [app = ctx.app, session = ctx.session, input = std::move(input),
                       request_id = ctx.req.request_id](http::BodyWriter& out) {
        auto ran = service::run_git_rpc(*app, session, input,
                                        [&out](std::string_view data) { return out.write(data); });
        if (!ran)
            log_failure(request_id, session, "request", ran.error());
    };
    return response;
}

}  // namespace kallithea::wire
