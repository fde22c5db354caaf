// Changeset views, error answers and request parameters shared by the history pages.
#include "web/history/history_views.hpp"

#include <charconv>

#include "core/log.hpp"

namespace kallithea::web {

std::string changeset_url(const Ctx& ctx, std::string_view id) {
    return ctx.repo_url("changeset/" + http::percent_encode(id));
}

namespace {

std::vector<View> ref_views(const Ctx& ctx, const std::vector<std::string>& names, bool branch) {
    std::vector<View> out;
    for (const auto& name : names) {
        View v;
        v.set("name", name)
            .set("url", branch ? ctx.repo_url("changelog?branch=" + http::percent_encode(name))
                               : changeset_url(ctx, name));
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace

View changeset_view(const Ctx& ctx, const vcs::ChangesetInfo& cs) {
    std::vector<View> parents;
    for (const auto& id : cs.parents) {
        View p;
        p.set("id", id).set("short_id", id.substr(0, 12)).set("url", changeset_url(ctx, id));
        parents.push_back(std::move(p));
    }
    View v;
    v.set("id", cs.id)
        .set("short_id", cs.short_id)
        .set("url", changeset_url(ctx, cs.id))
        .set("author", cs.author.full())
        .set("author_name", cs.author.name.empty() ? cs.author.email : cs.author.name)
        .set("author_email", cs.author.email)
        .set("date", service::display_date(cs.author))
        .set("date_iso", service::rfc3339_date(cs.author))
        .set("summary", cs.summary())
        .set("message", cs.message)
        .set("is_merge", cs.is_merge())
        .set("is_root", cs.parents.empty())
        .set("parents", std::move(parents))
        .set("branches", ref_views(ctx, cs.branches, true))
        .set("tags", ref_views(ctx, cs.tags, false))
        .set("bookmarks", ref_views(ctx, cs.bookmarks, false))
        .set("has_refs", !cs.branches.empty() || !cs.tags.empty() || !cs.bookmarks.empty());
    return v;
}

http::Response history_error(const Ctx& ctx, const Error& error) {
    int status = 0;
    switch (error.code) {
        case Errc::not_found:
            status = 404;
            break;
        case Errc::invalid_argument:
            status = 400;
            break;
        case Errc::too_large:
            status = 413;
            break;
        default:
            log::error("request {}: {} {}: {} ({})", ctx.req.request_id, ctx.req.method_text,
                       ctx.req.path, error.message, error.detail);
            return http::Response::html(503, {});
    }
    View view;
    view.set("status", std::to_string(status))
        .set("reason", std::string(http::status_reason(status)))
        .set("message", error.message)
        .set("summary_url", ctx.repo_url());
    return ctx.repo_page(status, "history_error", http::status_reason(status), "", view);
}

service::RequestOrigin request_origin(const Ctx& ctx) {
    service::RequestOrigin origin;
    origin.scheme = ctx.https ? "https" : "http";
    origin.host = ctx.req.host();
    origin.script_name = ctx.req.script_name;
    if (ctx.session.user.authenticated())
        origin.username = ctx.session.user.username;
    return origin;
}

size_t size_param(const Ctx& ctx, std::string_view name, size_t fallback) {
    auto value = ctx.req.query_param(name);
    if (!value || value->empty())
        return fallback;
    size_t n = 0;
    const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (ec != std::errc() || end != value->data() + value->size())
        return fallback;
    return n;
}

service::DiffRequest diff_request(const Ctx& ctx) {
    service::DiffRequest request;
    auto flag = [&](std::string_view name) {
        auto value = ctx.req.query_param(name);
        return value && !value->empty() && *value != "0";
    };
    request.full = flag("fulldiff");
    request.ignore_whitespace = ctx.req.query_param("ignorews").value_or("") == "1";
    request.context = static_cast<int>(std::min<size_t>(size_param(ctx, "context", 3), 10000));
    return request;
}

}  // namespace kallithea::web
