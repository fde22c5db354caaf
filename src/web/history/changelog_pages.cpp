// The changelog (all branches, one branch, or one path's history) with its commit graph drawn
// as inline SVG, and the changelog_details fragment listing a changeset's files.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "service/history/history.hpp"
#include "web/history/history_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

constexpr int kLane = 14;       // px per graph column
constexpr int kRowHeight = 30;  // px; style.css gives changelog rows this height
constexpr int kColors = 8;

// Coordinates are kept in half pixels (integers) and printed with one decimal, as "%.1f"
// would print them, without the cost of floating-point formatting.
int lane_x2(int column2) {  // column2: twice the column (edges bend at half columns)
    return kLane * column2 + kLane;
}

void append_coord(std::string& out, int halves) {
    char buf[16];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, halves / 2);
    out.append(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
    out += halves % 2 ? ".5" : ".0";
}

void append_line(std::string& svg, int x1, int y1, int x2, int y2, int color) {
    svg += "<line x1=\"";
    append_coord(svg, x1);
    svg += "\" y1=\"";
    append_coord(svg, y1);
    svg += "\" x2=\"";
    append_coord(svg, x2);
    svg += "\" y2=\"";
    append_coord(svg, y2);
    svg += "\" class=\"g-c";
    svg += std::to_string(color % kColors);
    svg += "\"/>";
}

// One row of the graph: the lower halves of the edges from the row above, this row's dot, and
// the upper halves of its edges to the row below. Only numbers go in: no escaping needed.
void append_graph_svg(std::string& svg, const vcs::GraphRow* above, const vcs::GraphRow& row) {
    int lanes = std::max(row.width, row.column + 1);
    if (above)
        lanes = std::max(lanes, above->width);
    const int mid = kRowHeight;  // half pixels
    const int bottom = 2 * kRowHeight;
    char head[160];
    std::snprintf(head, sizeof head,
                  "<svg class=\"graph\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                  "aria-hidden=\"true\">",
                  lanes * kLane, kRowHeight, lanes * kLane, kRowHeight);
    svg += head;
    if (above) {
        for (const auto& e : above->edges)
            append_line(svg, lane_x2(e.from + e.to), 0, lane_x2(2 * e.to), mid, e.color);
    }
    for (const auto& e : row.edges)
        append_line(svg, lane_x2(2 * e.from), mid, lane_x2(e.from + e.to), bottom, e.color);
    svg += "<circle cx=\"";
    append_coord(svg, lane_x2(2 * row.column));
    svg += "\" cy=\"";
    append_coord(svg, mid);
    svg += "\" r=\"4\" class=\"g-d";
    svg += std::to_string(row.color % kColors);
    svg += "\"/>";
    svg += "</svg>";
}

// Ref labels after the summary: branches link to their changelog, tags and bookmarks to the
// changeset they name.
void append_labels(std::string& out, const std::string& repo_base, const vcs::ChangesetInfo& cs) {
    for (const auto& name : cs.branches) {
        out += " <a class=\"label label-branch\" href=\"";
        append_html(out, repo_base + "/changelog?branch=" + http::percent_encode(name));
        out += "\" data-branch=\"";
        append_html(out, name);
        out += "\">";
        append_html(out, name);
        out += "</a>";
    }
    for (const auto& name : cs.tags) {
        out += " <a class=\"label label-tag\" href=\"";
        append_html(out, repo_base + "/changeset/" + http::percent_encode(name));
        out += "\" data-tag=\"";
        append_html(out, name);
        out += "\">";
        append_html(out, name);
        out += "</a>";
    }
    for (const auto& name : cs.bookmarks) {
        out += " <a class=\"label label-bookmark\" href=\"";
        append_html(out, repo_base + "/changeset/" + http::percent_encode(name));
        out += "\">";
        append_html(out, name);
        out += "</a>";
    }
}

// One changelog table row. Built here with one escaping pass rather than in the template: a
// page has up to kChangelogMaxSize rows and this is the page's hot path.
void append_row(std::string& out, const std::string& repo_base, const vcs::ChangesetInfo& cs,
                const vcs::GraphRow* above, const vcs::GraphRow* graph) {
    const std::string id = http::percent_encode(cs.id);
    out += "      <tr data-changeset=\"";
    append_html(out, cs.id);
    out += cs.is_merge() ? "\" data-merge=\"1\">\n        " : "\">\n        ";
    if (graph) {
        out += "<td class=\"graph-cell\">";
        append_graph_svg(out, above, *graph);
        out += "</td>";
    }
    out += "\n        <td class=\"cs-id\"><a href=\"";
    append_html(out, repo_base + "/changeset/" + id);
    out += "\"><code>";
    append_html(out, cs.short_id);
    out += "</code></a></td>\n        <td class=\"cs-summary\" title=\"";
    append_html(out, cs.message);
    out += "\">";
    append_html(out, cs.summary());
    append_labels(out, repo_base, cs);
    out += "</td>\n        <td class=\"cs-author\" title=\"";
    append_html(out, cs.author.full());
    out += "\">";
    append_html(out, cs.author.name.empty() ? cs.author.email : cs.author.name);
    out += "</td>\n        <td class=\"cs-date\"><time datetime=\"";
    append_html(out, service::rfc3339_date(cs.author));
    out += "\">";
    append_html(out, service::display_date(cs.author));
    out += "</time></td>\n        <td class=\"cs-files\"><a href=\"";
    append_html(out, repo_base + "/changelog_details/" + id);
    out += "\" data-details>files</a></td>\n      </tr>\n";
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

    const std::string repo_base = ctx.repo_url();
    std::string rows;
    rows.reserve(page->changesets.size() * 1200);
    for (size_t i = 0; i < page->changesets.size(); ++i) {
        const bool drawn = i < page->graph.size();
        append_row(rows, repo_base, page->changesets[i],
                   drawn && i > 0 ? &page->graph[i - 1] : nullptr,
                   drawn ? &page->graph[i] : nullptr);
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
        .set("rows_html", std::move(rows))
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
