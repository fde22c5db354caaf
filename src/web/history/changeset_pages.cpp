// Changeset pages: one changeset or an a...b range with colourised diffs; the raw diff, the
// format-patch text and the diff download; parents and children as JSON.
#include <cctype>

#include <nlohmann/json.hpp>

#include "service/history/history.hpp"
#include "web/history/diff_view.hpp"
#include "web/history/history_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

std::vector<View> changeset_links(const Ctx& ctx, const std::vector<vcs::ChangesetInfo>& list) {
    std::vector<View> out;
    for (const auto& cs : list) {
        View v;
        v.set("id", cs.id).set("short_id", cs.short_id).set("url", changeset_url(ctx, cs.id));
        out.push_back(std::move(v));
    }
    return out;
}

// This page's URL with one query parameter set (or removed when value is empty).
std::string with_param(const Ctx& ctx, std::string_view key, const std::string& value) {
    std::string query;
    for (const auto& [k, v] : ctx.req.query()) {
        if (k == key)
            continue;
        query +=
            (query.empty() ? "?" : "&") + http::percent_encode(k) + "=" + http::percent_encode(v);
    }
    if (!value.empty())
        query += (query.empty() ? "?" : "&") + std::string(key) + "=" + http::percent_encode(value);
    return ctx.req.script_name + ctx.req.path + query;
}

View diff_options_view(const Ctx& ctx, const service::DiffRequest& request) {
    View v;
    v.set("ignorews", request.ignore_whitespace)
        .set("ignorews_url", with_param(ctx, "ignorews", request.ignore_whitespace ? "" : "1"))
        .set("context", std::to_string(request.context))
        .set("more_context_url",
             with_param(ctx, "context", std::to_string(request.context * 2 + 3)))
        .set("fulldiff_url", with_param(ctx, "fulldiff", "1"));
    return v;
}

}  // namespace

http::Response show_changeset(Ctx& ctx) {
    const std::string& rev = ctx.params.at("rev");
    const service::DiffRequest request = diff_request(ctx);
    const bool all_children = ctx.req.query_param("children").value_or("") == "all";
    auto page = service::changeset_page(ctx.app, *ctx.repo, rev, request, all_children);
    if (!page)
        return history_error(ctx, page.error());
    std::vector<View> changesets;
    bool truncated = false;
    for (const auto& detail : page->changesets) {
        View cs = changeset_view(ctx, detail.info);
        cs.set("children", changeset_links(ctx, detail.children))
            .set("has_children", !detail.children.empty() || !detail.children_complete)
            .set("children_incomplete", !detail.children_complete)
            .set("all_children_url", with_param(ctx, "children", "all"))
            .set("diff",
                 diff_page_view(*detail.diff, page->range ? detail.info.id : std::string()));
        truncated = truncated || detail.diff->truncated;
        changesets.push_back(std::move(cs));
    }
    const std::string enc = http::percent_encode(rev);
    View view;
    view.set("range", page->range)
        .set("range_truncated", page->range_truncated)
        .set("rev", rev)
        .set("changesets", std::move(changesets))
        .set("truncated", truncated)
        .set("options", diff_options_view(ctx, request))
        .set("raw_url", ctx.repo_url("changeset-diff/" + enc))
        .set("patch_url", ctx.repo_url("changeset-patch/" + enc))
        .set("download_url", ctx.repo_url("changeset-download/" + enc));
    const auto& first = page->changesets.front().info;
    const std::string title =
        page->range ? "Changesets " + rev : "Changeset " + first.short_id + " " + first.summary();
    return ctx.repo_page(200, "changeset", title, "changelog", std::move(view));
}

http::Response show_changeset_diff(Ctx& ctx) {
    auto diff = service::changeset_raw_diff(*ctx.repo, ctx.params.at("rev"), diff_request(ctx));
    if (!diff)
        return history_error(ctx, diff.error());
    http::Response response = http::Response::text(200, std::move(*diff));
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
}

http::Response show_changeset_patch(Ctx& ctx) {
    auto patch = service::changeset_patch(*ctx.repo, ctx.params.at("rev"));
    if (!patch)
        return history_error(ctx, patch.error());
    http::Response response = http::Response::text(200, std::move(*patch));
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
}

http::Response download_changeset(Ctx& ctx) {
    const std::string& rev = ctx.params.at("rev");
    auto diff = service::changeset_raw_diff(*ctx.repo, rev, diff_request(ctx));
    if (!diff)
        return history_error(ctx, diff.error());
    // Kallithea names the file after the first 12 characters of the requested revision.
    std::string name;
    for (char c : rev.substr(0, 12))
        name.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c
                                                                                           : '_');
    http::Response response = http::Response::text(200, std::move(*diff));
    response.headers.set("Content-Disposition", "attachment; filename=" + name + ".diff");
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
}

namespace {

// Kallithea's JSON for changesets ({"results": [changeset.__json__()]}).
http::Response relatives_json(Ctx& ctx, bool children) {
    auto list = service::changeset_relatives(*ctx.repo, ctx.params.at("rev"), children);
    if (!list) {
        if (list.error().code == Errc::not_found)
            return http::Response::json(404, R"({"error": "no such changeset"})");
        return history_error(ctx, list.error());
    }
    nlohmann::json results = nlohmann::json::array();
    for (const auto& cs : *list) {
        std::string date = service::rfc3339_date(cs.author).substr(0, 19);
        results.push_back({{"raw_id", cs.id},
                           {"short_id", cs.short_id},
                           {"revision", cs.revision},
                           {"message", cs.message},
                           {"date", date},
                           {"author", cs.author.full()}});
    }
    nlohmann::json body = {{"results", results}};
    return http::Response::json(
        200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

http::Response show_changeset_children(Ctx& ctx) {
    return relatives_json(ctx, true);
}

http::Response show_changeset_parents(Ctx& ctx) {
    return relatives_json(ctx, false);
}

}  // namespace kallithea::web
