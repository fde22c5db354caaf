// Shared pieces of the file pages (see file_page_views.hpp).
#include "web/files/file_page_views.hpp"
#include "core/time.hpp"
#include "web/html_escape.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/log.hpp"

namespace kallithea::web::file_pages {
namespace {

void append_number(std::string& out, int n) {
    char digits[16];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out.append(digits, end);
}

// Line text without a CR before the newline (HTML would show it as a line break of its own).
std::string_view line_text(std::string_view text) {
    if (!text.empty() && text.back() == '\r')
        text.remove_suffix(1);
    return text;
}

void append_row_end(std::string& out, int n, std::string_view text) {
    out += "<td class=\"lineno\"><a href=\"#L";
    append_number(out, n);
    out += "\">";
    append_number(out, n);
    out += "</a></td><td class=\"line\"><code>";
    append_html(out, line_text(text));
    out += "</code></td></tr>\n";
}

std::string person(const vcs::Signature& who) {
    return who.name.empty() ? who.email : who.name;
}

std::string ref_value(const vcs::Ref& ref) {
    return ref.name.find('/') == std::string::npos ? ref.name : ref.target;
}

std::string group_label(vcs::RefKind kind, bool closed) {
    switch (kind) {
        case vcs::RefKind::branch:
            return closed ? "Closed branches" : "Branches";
        case vcs::RefKind::tag:
            return "Tags";
        case vcs::RefKind::bookmark:
            return "Bookmarks";
    }
    return "Refs";
}

// The switcher's options and the links below it, grouped in Kallithea's order: branches, closed
// branches, tags, bookmarks. Written straight into two strings: a repository may have thousands
// of tags, and a template view per ref costs more than the rest of the page.
struct RefMenus {
    std::string options;  // <optgroup>s of the <select>
    std::string links;    // <div class="rev-group">s
    bool any_selected = false;
};

RefMenus ref_menus(const Ctx& ctx, const service::RevisionContext& at, std::string_view path,
                   std::string_view kind) {
    struct Group {
        vcs::RefKind kind;
        bool closed;
    };
    const Group order[] = {{vcs::RefKind::branch, false},
                           {vcs::RefKind::branch, true},
                           {vcs::RefKind::tag, false},
                           {vcs::RefKind::bookmark, false}};
    RefMenus out;
    out.options.reserve(at.refs.size() * 60);
    out.links.reserve(at.refs.size() * (160 + ctx.repo->name.size() + path.size()));
    for (const auto& group : order) {
        bool started = false;
        for (const auto& ref : at.refs) {
            if (ref.kind != group.kind || ref.closed != group.closed)
                continue;
            if (!started) {
                started = true;
                const std::string label = group_label(group.kind, group.closed);
                out.options += "<optgroup label=\"";
                append_html(out.options, label);
                out.options += "\">";
                out.links += "<div class=\"rev-group\"><span class=\"rev-group-label\">";
                append_html(out.links, label);
                out.links += ":</span> ";
            }
            const bool selected = ref.name == at.rev;
            out.any_selected = out.any_selected || selected;
            const std::string value = ref_value(ref);
            out.options += "<option value=\"";
            append_html(out.options, value);
            out.options += selected ? "\" selected>" : "\">";
            append_html(out.options, ref.name);
            out.options += "</option>";
            out.links += "<a href=\"";
            append_html(out.links, page_url(ctx, kind, value, path));
            out.links += "\" data-ref=\"";
            append_html(out.links, ref.name);
            out.links += "\" data-ref-kind=\"";
            append_html(out.links, vcs::ref_kind_name(ref.kind));
            out.links += "\">";
            append_html(out.links, ref.name);
            out.links += "</a> ";
        }
        if (started) {
            out.options += "</optgroup>";
            out.links += "</div>";
        }
    }
    return out;
}

}  // namespace

std::string rev_segment(const service::RevisionContext& at) {
    return at.rev.find('/') == std::string::npos ? at.rev : at.changeset.id;
}

std::string page_url(const Ctx& ctx, std::string_view kind, std::string_view rev,
                     std::string_view path) {
    std::string suffix(kind);
    suffix += '/';
    suffix += http::percent_encode(rev);
    suffix += '/';
    suffix += http::percent_encode(path, true);
    return ctx.repo_url(suffix);
}

std::string changeset_url(const Ctx& ctx, std::string_view id) {
    return ctx.repo_url("changeset/" + std::string(id));
}

std::string format_size(uint64_t bytes) {
    if (bytes < 1024)
        return fmt::format("{} B", bytes);
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes) / 1024.0;
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(units)) {
        value /= 1024.0;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, units[unit]);
}

std::string format_date(int64_t seconds) {
    return timefmt::CivilTime::from_unix(seconds).display_minutes();
}

std::string iso_date(int64_t seconds) {
    return timefmt::CivilTime::from_unix(seconds).iso8601() + "Z";
}

std::string source_rows(std::string_view text) {
    // One row of two cells, as Kallithea's (Pygments') line-number tables: the numbers, each an
    // anchor, and the whole text in one <code> block (one escape pass; highlight.js sees the whole
    // file, so multi-line tokens come out right). Both cells use white-space: pre.
    if (text.ends_with('\n'))
        text.remove_suffix(1);
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::string out;
    out.reserve(text.size() + text.size() / 16 + lines * 32 + 128);
    out += "<tr class=\"source\"><td class=\"lineno\">";
    char digits[16];
    for (size_t n = 1; n <= lines; ++n) {
        const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
        const std::string_view number(digits, static_cast<size_t>(end - digits));
        out += "<a id=\"L";
        out += number;
        out += "\" href=\"#L";
        out += number;
        out += "\">";
        out += number;
        out += n == lines ? "</a>" : "</a>\n";
    }
    out += "</td><td class=\"line\"><code>";
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        // A CR inside a line would start a new line in HTML (and shift every line number after
        // it): as a character reference it shows as a space.
        const std::string_view line = line_text(text.substr(start, end - start));
        for (size_t from = 0; from <= line.size();) {
            const size_t cr = std::min(line.find('\r', from), line.size());
            append_html(out, line.substr(from, cr - from));
            if (cr < line.size())
                out += "&#13;";
            from = cr + 1;
        }
        if (end < text.size())
            out += '\n';
        start = end + 1;
    }
    out += "</code></td></tr>\n";
    return out;
}

namespace {

// Submodule URLs come from the repository: link only to web addresses.
bool is_web_url(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

// Appends ` name="escaped value"`.
void append_attr(std::string& out, std::string_view name, std::string_view value) {
    out += ' ';
    out += name;
    out += "=\"";
    append_html(out, value);
    out += '"';
}

void append_submodule_cell(std::string& out, const vcs::NodeEntry& node) {
    out += " <span class=\"badge\">submodule</span> <span class=\"submodule-url\">";
    if (is_web_url(node.submodule_url)) {
        out += "<a";
        append_attr(out, "href", node.submodule_url);
        out += " rel=\"nofollow noopener\">";
        append_html(out, node.submodule_url);
        out += "</a>";
    } else {
        append_html(out, node.submodule_url);
    }
    out += "</span>";
}

void append_last_cells(std::string& out, const Ctx& ctx, const vcs::ChangesetInfo* last) {
    if (!last) {
        out += "    <td></td>\n    <td></td>\n    <td></td>\n";
        return;
    }
    out += "    <td><a";
    append_attr(out, "href", changeset_url(ctx, last->id));
    append_attr(out, "title", last->summary());
    out += " class=\"changeset-id\">";
    append_html(out, last->short_id);
    out += "</a></td>\n    <td><time";
    append_attr(out, "datetime", iso_date(last->author.time));
    out += '>';
    out += format_date(last->author.time);
    out += "</time></td>\n    <td><span";
    append_attr(out, "title", last->author.full());
    out += '>';
    append_html(out, person(last->author));
    out += "</span></td>\n";
}

void append_tree_row(std::string& out, const Ctx& ctx, std::string_view rev,
                     const service::DirEntry& entry) {
    const vcs::NodeEntry& node = entry.node;
    const bool has_size = node.kind == vcs::NodeKind::file || node.kind == vcs::NodeKind::symlink;
    const std::string_view kind = vcs::node_kind_name(node.kind);
    out += "  <tr";
    append_attr(out, "data-name", node.name);
    append_attr(out, "data-path", node.path);
    append_attr(out, "data-kind", kind);
    append_attr(out, "data-size", has_size ? std::to_string(node.size) : std::string());
    append_attr(out, "data-last-changeset",
                entry.last_change ? std::string_view(entry.last_change->id) : "");
    if (node.kind == vcs::NodeKind::submodule)
        append_attr(out, "data-submodule-url", node.submodule_url);
    out += ">\n    <td class=\"name\"><a";
    append_attr(out, "href", page_url(ctx, "files", rev, node.path));
    out += " class=\"node-";
    append_html(out, kind);
    out += "\">";
    append_html(out, node.name);
    if (node.kind == vcs::NodeKind::dir)
        out += '/';
    out += "</a>";
    if (node.kind == vcs::NodeKind::symlink)
        out += " <span class=\"badge\">symlink</span>";
    if (node.kind == vcs::NodeKind::submodule)
        append_submodule_cell(out, node);
    out += "</td>\n    <td class=\"size\">";
    if (has_size)
        out += format_size(node.size);
    out += "</td>\n";
    append_last_cells(out, ctx, entry.last_change.get());
    out += "  </tr>\n";
}

}  // namespace

std::string tree_rows(const Ctx& ctx, std::string_view rev,
                      const std::vector<service::DirEntry>& entries) {
    std::string out;
    out.reserve(entries.size() * 700);
    for (const auto& entry : entries)
        append_tree_row(out, ctx, rev, entry);
    return out;
}

std::string annotate_rows(const Ctx& ctx, const std::vector<service::AnnotatedLine>& lines) {
    std::string out;
    out.reserve(lines.size() * 220);
    for (size_t i = 0; i < lines.size(); ++i) {
        const vcs::ChangesetInfo& cs = *lines[i].changeset;
        const bool start = i == 0 || lines[i].changeset != lines[i - 1].changeset;
        fmt::format_to(std::back_inserter(out),
                       "<tr id=\"L{0}\" data-line=\"{0}\" data-changeset=\"{1}\" data-author=\"",
                       lines[i].line_no, cs.id);
        append_html(out, person(cs.author));
        out += '"';
        if (start) {
            size_t group = 1;
            while (i + group < lines.size() && lines[i + group].changeset == lines[i].changeset)
                ++group;
            fmt::format_to(std::back_inserter(out),
                           " class=\"group-start\"><td class=\"blame\" rowspan=\"{}\"><a href=\"",
                           group);
            append_html(out, changeset_url(ctx, cs.id));
            out += "\" class=\"changeset-id\" title=\"";
            append_html(out, cs.summary());
            out += "\">" + cs.short_id + "</a> <span class=\"author\" title=\"";
            append_html(out, cs.author.full());
            out += "\">";
            append_html(out, person(cs.author));
            out += "</span> <time datetime=\"" + iso_date(cs.author.time) + "\">" +
                   format_date(cs.author.time) + "</time></td>";
        } else {
            out += '>';
        }
        append_row_end(out, lines[i].line_no, lines[i].text);
    }
    return out;
}

View changeset_view(const Ctx& ctx, const vcs::ChangesetInfo& changeset) {
    View view;
    view.set("id", changeset.id)
        .set("short_id", changeset.short_id)
        .set("url", changeset_url(ctx, changeset.id))
        .set("summary", changeset.summary())
        .set("author", person(changeset.author))
        .set("author_full", changeset.author.full())
        .set("date", format_date(changeset.author.time))
        .set("iso", iso_date(changeset.author.time));
    return view;
}

std::string render_nav(const Ctx& ctx, const service::RevisionContext& at, std::string_view path,
                       std::string_view kind) {
    const std::string rev = rev_segment(at);
    std::vector<View> crumbs;
    size_t start = 0;
    while (start < path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos)
            slash = path.size();
        const bool last = slash == path.size();
        View crumb;
        crumb.set("name", std::string(path.substr(start, slash - start)))
            .set("path", std::string(path.substr(0, slash)))
            .set("link", !last || kind != "files")
            .set("url", page_url(ctx, "files", rev, path.substr(0, slash)));
        crumbs.push_back(std::move(crumb));
        start = slash + 1;
    }
    RefMenus menus = ref_menus(ctx, at, path, kind);
    const std::string& name = ctx.repo->name;
    const auto slash = name.rfind('/');
    View nav;
    nav.set("rev", at.rev)
        .set("changeset", changeset_view(ctx, at.changeset))
        .set("path", std::string(path))
        .set("repo_short", slash == std::string::npos ? name : name.substr(slash + 1))
        .set("root_url", page_url(ctx, "files", rev, ""))
        .set("root_link", !path.empty() || kind != "files")
        .set("crumbs", std::move(crumbs))
        .set("switch_action", page_url(ctx, kind, rev, path))
        .set("current_option", !menus.any_selected)
        .set("current_value", rev)
        .set("current_label", at.rev == at.changeset.id ? at.changeset.short_id
                                                        : at.rev + " at " + at.changeset.short_id)
        .set("has_refs", !menus.options.empty())
        .set("ref_options", std::move(menus.options))
        .set("ref_links", std::move(menus.links))
        .set("permalink", page_url(ctx, kind, at.changeset.id, path));
    return render("files_nav", nav);
}

std::optional<http::Response> switch_revision(const Ctx& ctx, std::string_view kind) {
    auto target = ctx.req.query_param("at_rev");
    if (!target || target->empty())
        return std::nullopt;
    return http::Response::redirect(page_url(ctx, kind, *target, path_param(ctx)));
}

http::Response error_response(const Ctx& ctx, const Error& error, std::string_view what) {
    int status = 500;
    switch (error.code) {
        case Errc::not_found:
            status = 404;
            break;
        case Errc::forbidden:
            status = 403;
            break;
        case Errc::invalid_argument:
            status = 400;
            break;
        case Errc::unavailable:
        case Errc::database:
            status = 503;
            break;
        default:
            break;
    }
    if (status >= 500) {
        log::error("request {}: {} in {}: {} ({})", ctx.req.request_id, what, ctx.repo->name,
                   error.message, error.detail);
        return http::Response::html(status, {});
    }
    View view;
    view.set("status", std::to_string(status))
        .set("reason", std::string(http::status_reason(status)))
        .set("explanation", error.message)
        .set("request_id", ctx.req.request_id);
    return ctx.repo_page(status, "error", http::status_reason(status), "files", std::move(view));
}

std::string path_param(const Ctx& ctx) {
    auto it = ctx.params.find("path");
    if (it == ctx.params.end())
        return {};
    std::string_view path = it->second;
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    return std::string(path);
}

std::string attachment_disposition(std::string_view file_name) {
    std::string ascii;
    bool plain = true;
    for (const char c : file_name) {
        const auto u = static_cast<unsigned char>(c);
        const bool safe = u >= 0x20 && u < 0x7f && c != '"' && c != '\\' && c != ';';
        plain = plain && safe;
        ascii.push_back(safe ? c : '_');
    }
    if (ascii.empty())
        ascii = "download";
    std::string out = "attachment; filename=\"" + ascii + "\"";
    if (!plain)
        out += "; filename*=UTF-8''" + http::percent_encode(file_name);
    return out;
}

}  // namespace kallithea::web::file_pages
