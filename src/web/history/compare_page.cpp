// The compare pages: a form to pick two refs, and /compare/{type}@{name}...{type}@{name} with
// the changesets between them and the combined diff.
#include "service/history/history.hpp"
#include "web/history/diff_view.hpp"
#include "web/history/history_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

// "type@name" -> CompareRef; nullopt without an '@'.
std::optional<service::CompareRef> parse_ref(std::string_view text) {
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == text.size())
        return std::nullopt;
    return service::CompareRef{std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
}

std::string compare_url(const Ctx& ctx, const service::CompareRef& org,
                        const service::CompareRef& other, bool merge) {
    auto part = [](const service::CompareRef& ref) {
        return http::percent_encode(ref.type) + "@" + http::percent_encode(ref.name, true);
    };
    return ctx.repo_url("compare/" + part(org) + "..." + part(other)) + (merge ? "?merge=1" : "");
}

std::vector<View> ref_options(const std::vector<vcs::Ref>& refs, const std::string& selected) {
    std::vector<View> out;
    for (const auto& ref : refs) {
        const std::string value = std::string(vcs::ref_kind_name(ref.kind)) + "@" + ref.name;
        View v;
        v.set("value", ref.kind == vcs::RefKind::bookmark ? "book@" + ref.name : value)
            .set("label", std::string(vcs::ref_kind_name(ref.kind)) + ": " + ref.name)
            .set("selected", value == selected);
        out.push_back(std::move(v));
    }
    return out;
}

http::Response show_compare_form(Ctx& ctx) {
    // The form submits ?org=type@name&other=type@name: send it on to the canonical URL.
    auto org = ctx.req.query_param("org");
    auto other = ctx.req.query_param("other");
    if (org && other) {
        auto a = parse_ref(*org);
        auto b = parse_ref(*other);
        if (!a || !b)
            return history_error(ctx, Error{Errc::invalid_argument, "choose two refs to compare"});
        return http::Response::redirect(
            compare_url(ctx, *a, *b, ctx.req.query_param("merge").value_or("") == "1"));
    }
    auto refs = service::compare_form_refs(*ctx.repo);
    if (!refs)
        return history_error(ctx, refs.error());
    View view;
    view.set("form_url", ctx.repo_url("compare"))
        .set("empty", refs->empty())
        .set("org_options", ref_options(*refs, ""))
        .set("other_options", ref_options(*refs, ""));
    return ctx.repo_page(200, "compare_form", "Compare", "compare", std::move(view));
}

}  // namespace

http::Response show_compare(Ctx& ctx) {
    auto spec_it = ctx.params.find("spec");
    if (spec_it == ctx.params.end() || spec_it->second.empty())
        return show_compare_form(ctx);
    const std::string& spec = spec_it->second;
    const auto dots = spec.find("...");
    std::optional<service::CompareRef> org, other;
    if (dots != std::string::npos) {
        org = parse_ref(spec.substr(0, dots));
        other = parse_ref(spec.substr(dots + 3));
    }
    if (!org || !other)
        return history_error(
            ctx, Error{Errc::invalid_argument, "expected {type}@{name}...{type}@{name}"});
    service::CompareQuery query;
    query.org = *org;
    query.other = *other;
    query.merge = !ctx.req.query_param("merge").value_or("").empty();
    query.diff = diff_request(ctx);
    auto page = service::compare_refs(ctx.app, *ctx.repo, query);
    if (!page)
        return history_error(ctx, page.error());

    std::vector<View> changesets;
    for (const auto& cs : page->changesets)
        changesets.push_back(changeset_view(ctx, cs));
    View view;
    view.set("org_type", org->type)
        .set("org_name", org->name)
        .set("org_id", page->org_id)
        .set("other_type", other->type)
        .set("other_name", other->name)
        .set("other_id", page->other_id)
        .set("ancestor", page->ancestor.value_or(""))
        .set("merge", query.merge)
        .set("changesets", std::move(changesets))
        .set("changeset_count", std::to_string(page->changesets.size()))
        .set("has_changesets", !page->changesets.empty())
        .set("changesets_truncated", page->changesets_truncated)
        .set("swap_url", compare_url(ctx, *other, *org, query.merge))
        .set("toggle_merge_url", compare_url(ctx, *org, *other, !query.merge))
        .set("form_url", ctx.repo_url("compare"));
    if (!page->notice.empty())
        view.set("notice", page->notice);
    if (page->diff) {
        View diff = diff_view(*page->diff, "");
        if (page->diff->truncated)
            diff.set("fulldiff_url", compare_url(ctx, *org, *other, query.merge) +
                                         (query.merge ? "&" : "?") + "fulldiff=1");
        view.set("diff", std::move(diff));
    }
    return ctx.repo_page(200, "compare", "Compare", "compare", std::move(view));
}

}  // namespace kallithea::web
