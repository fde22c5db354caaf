// The changelog (all branches, one branch, or one path's history) with its commit graph drawn
// as inline SVG, and the changelog_details fragment listing a changeset's files.
#include <algorithm>
#include <cstdio>

#include "service/history.hpp"
#include "web/history_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

constexpr int kLane = 14;       // px per graph column
constexpr int kRowHeight = 30;  // px; style.css gives changelog rows this height
constexpr int kColors = 8;

double lane_x(double column) {
    return kLane * column + kLane / 2.0;
}

void append_line(std::string& svg, double x1, double y1, double x2, double y2, int color) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"g-c%d\"/>", x1, y1,
                  x2, y2, color % kColors);
    svg += buf;
}

// One row of the graph: the lower halves of the edges from the row above, this row's dot, and
// the upper halves of its edges to the row below. Only numbers go in: no escaping needed.
std::string graph_svg(const vcs::GraphRow* above, const vcs::GraphRow& row) {
    int lanes = std::max(row.width, row.column + 1);
    if (above)
        lanes = std::max(lanes, above->width);
    const double mid = kRowHeight / 2.0;
    std::string svg;
    char head[160];
    std::snprintf(head, sizeof head,
                  "<svg class=\"graph\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                  "aria-hidden=\"true\">",
                  lanes * kLane, kRowHeight, lanes * kLane, kRowHeight);
    svg += head;
    if (above) {
        for (const auto& e : above->edges)
            append_line(svg, lane_x((e.from + e.to) / 2.0), 0, lane_x(e.to), mid, e.color);
    }
    for (const auto& e : row.edges)
        append_line(svg, lane_x(e.from), mid, lane_x((e.from + e.to) / 2.0), kRowHeight, e.color);
    char dot[128];
    std::snprintf(dot, sizeof dot, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" class=\"g-d%d\"/>",
                  lane_x(row.column), mid, row.color % kColors);
    svg += dot;
    return svg + "</svg>";
}

std::string page_url(const std::string& base, const service::ChangelogQuery& q, size_t page,
                     bool size_given, size_t size) {
    std::string query;
    auto add = [&](std::string_view key, const std::string& value) {
        query += (query.empty() ? "?" : "&") + std::string(key) + "=" + http::percent_encode(value);
    };
    if (!q.branch.empty())
        add("branch", q.branch);
    if (size_given)
        add("size", std::to_string(size));
    add("page", std::to_string(page));
    return base + query;
}

}  // namespace

http::Response show_changelog(Ctx& ctx) {
    service::ChangelogQuery query;
    query.branch = ctx.req.query_param("branch").value_or("");
    query.rev = ctx.params.count("rev") ? ctx.params.at("rev") : "";
    query.path = ctx.params.count("path") ? ctx.params.at("path") : "";
    while (!query.path.empty() && query.path.back() == '/')
        query.path.pop_back();
    query.page = std::max<size_t>(1, size_param(ctx, "page", 1));
    const bool size_given = ctx.req.query_param("size").has_value();
    query.size = size_param(ctx, "size", service::kChangelogDefaultSize);
    auto page = service::changelog_page(*ctx.repo, query);
    if (!page)
        return history_error(ctx, page.error());

    std::vector<View> rows;
    for (size_t i = 0; i < page->changesets.size(); ++i) {
        View row = changeset_view(ctx, page->changesets[i]);
        if (i < page->graph.size())
            row.set("graph", graph_svg(i > 0 ? &page->graph[i - 1] : nullptr, page->graph[i]));
        row.set("details_url",
                ctx.repo_url("changelog_details/" + http::percent_encode(page->changesets[i].id)));
        rows.push_back(std::move(row));
    }
    std::vector<View> branches;
    for (const auto& name : page->branches) {
        View b;
        b.set("name", name).set("selected", name == query.branch);
        branches.push_back(std::move(b));
    }
    const std::string base = ctx.req.script_name + ctx.req.path;
    View view;
    view.set("empty", page->empty_repo)
        .set("rows", std::move(rows))
        .set("has_graph", !page->graph.empty())
        .set("branches", std::move(branches))
        .set("branch", query.branch)
        .set("all_branches", query.branch.empty())
        .set("size", std::to_string(page->size))
        .set("page", std::to_string(page->page))
        .set("path", query.path)
        .set("is_path_log", !query.path.empty())
        .set("changelog_url", ctx.repo_url("changelog"))
        .set("summary_url", ctx.repo_url());
    if (page->has_next)
        view.set("next_url", page_url(base, query, page->page + 1, size_given, page->size));
    if (page->page > 1)
        view.set("prev_url", page_url(base, query, page->page - 1, size_given, page->size));
    const std::string title = query.path.empty() ? "Changelog" : "History of " + query.path;
    return ctx.repo_page(200, "changelog", title, "changelog", std::move(view));
}

http::Response show_changelog_details(Ctx& ctx) {
    auto files = service::changeset_files(*ctx.repo, ctx.params.at("rev"));
    if (!files)
        return history_error(ctx, files.error());
    std::vector<View> list;
    for (const auto& file : files->diff.files) {
        View f;
        f.set("path", file.new_path)
            .set("old_path", file.old_path)
            .set("moved",
                 file.change == vcs::ChangeKind::renamed || file.change == vcs::ChangeKind::copied)
            .set("change", std::string(vcs::change_kind_name(file.change)));
        list.push_back(std::move(f));
    }
    View view = changeset_view(ctx, files->info);
    view.set("files", std::move(list)).set("file_count", std::to_string(files->diff.files.size()));
    http::Response response = http::Response::html(200, render("changelog_details", view));
    add_html_headers(response);
    return response;
}

}  // namespace kallithea::web
