// The file browser (/{repo}/files/{rev}/{path}), annotate and file history pages.
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/files/files.hpp"
#include "web/files/file_page_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

using namespace file_pages;

constexpr size_t kDefaultHistorySize = 20;

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string parent_path(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// Submodule URLs come from the repository: link only to web addresses.
bool is_web_url(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://");
}

size_t query_number(const Ctx& ctx, std::string_view name, size_t fallback) {
    auto text = ctx.req.query_param(name);
    size_t value = 0;
    if (!text || text->empty())
        return fallback;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    return ec == std::errc() && end == text->data() + text->size() && value > 0 ? value : fallback;
}

std::string display_kind(const service::FileSource& file) {
    if (file.symlink)
        return "symlink";
    if (file.image)
        return "image";
    if (file.binary)
        return "binary";
    if (file.too_large)
        return "too-large";
    if (file.size == 0)
        return "empty";
    return "text";
}

http::Response render_tree(const Ctx& ctx, const service::FilesPage& page) {
    const std::string rev = rev_segment(page.at);
    View view;
    view.set("empty_repository", false)
        .set("nav", render_nav(ctx, page.at, page.path, "files"))
        .set("path", page.path)
        .set("changeset_id", page.at.changeset.id)
        .set("submodule", page.kind == vcs::NodeKind::submodule);
    if (page.kind == vcs::NodeKind::submodule) {
        view.set("name", base_name(page.path))
            .set("submodule_url", page.submodule_url)
            .set("has_submodule_url", !page.submodule_url.empty())
            .set("has_submodule_href", is_web_url(page.submodule_url))
            .set("submodule_href", page.submodule_url);
    } else {
        view.set("has_parent", !page.path.empty())
            .set("parent_url", page_url(ctx, "files", rev, parent_path(page.path)))
            .set("has_entries", !page.entries.empty())
            .set("entry_rows", tree_rows(ctx, rev, page.entries));
    }
    const std::string title = page.path.empty() ? "Files" : "Files · " + page.path;
    return ctx.repo_page(200, "files_tree", title, "files", std::move(view));
}

// The parts of file_view shared by the source and annotate pages.
View file_view(const Ctx& ctx, const service::RevisionContext& at, const std::string& path,
               const service::FileSource& file, std::string_view kind) {
    const std::string rev = rev_segment(at);
    const bool binary_note = file.binary && !file.image && !file.symlink;
    View view;
    view.set("nav", render_nav(ctx, at, path, kind))
        .set("path", path)
        .set("name", base_name(path))
        .set("kind", file.symlink ? "symlink" : "file")
        .set("size", std::to_string(file.size))
        .set("size_text", format_size(file.size))
        .set("binary", file.binary ? "true" : "false")
        .set("language", file.language)
        .set("display", display_kind(file))
        .set("executable", file.executable)
        .set("symlink", file.symlink)
        .set("target", file.symlink ? file.text : std::string())
        .set("image", file.image)
        .set("binary_note", binary_note)
        .set("too_large", file.too_large && !binary_note && !file.image)
        .set("has_full_url", file.can_show_full)
        .set("full_url", page_url(ctx, kind, rev, path) + "?fulldiff=1")
        .set("empty_file", file.size == 0 && !file.symlink)
        .set("raw_url", page_url(ctx, "raw", rev, path))
        .set("rawfile_url", page_url(ctx, "rawfile", rev, path))
        .set("annotate_url", page_url(ctx, "annotate", rev, path))
        .set("source_url", page_url(ctx, "files", rev, path))
        .set("history_url", page_url(ctx, "history", rev, path))
        .set("asset_version", asset_version())
        .set("annotating", kind == "annotate")
        .set("last", false)
        .set("last_id", "");
    return view;
}

http::Response render_file(const Ctx& ctx, const service::FilesPage& page) {
    View view = file_view(ctx, page.at, page.path, page.file, "files");
    if (page.last_change)
        view.set("last", changeset_view(ctx, *page.last_change))
            .set("last_id", page.last_change->id);
    const bool has_lines = !page.file.symlink && !page.file.text.empty();
    view.set("has_lines", has_lines)
        .set("highlight", has_lines && !page.file.language.empty())
        .set("code_rows", has_lines ? source_rows(page.file.text) : std::string());
    return ctx.repo_page(200, "file_view", page.path, "files", std::move(view));
}

// Kallithea's select2 data for the file history box (requested with X-Partial-XHR).
http::Response history_json(const service::FileHistoryPage& page) {
    nlohmann::json changesets = nlohmann::json::array();
    for (const auto& changeset : page.changesets) {
        std::string text = changeset.short_id;
        if (!changeset.branches.empty())
            text += " (" + changeset.branches.front() + ")";
        changesets.push_back({{"id", changeset.id}, {"text", text}});
    }
    nlohmann::json branches = nlohmann::json::array();
    nlohmann::json tags = nlohmann::json::array();
    for (const auto& ref : page.at.refs) {
        if (ref.kind == vcs::RefKind::branch)
            branches.push_back({{"id", ref.target}, {"text", ref.name}});
        else if (ref.kind == vcs::RefKind::tag)
            tags.push_back({{"id", ref.target}, {"text", ref.name}});
    }
    nlohmann::json out = {{"more", page.has_more},
                          {"results",
                           {{{"text", "Changesets"}, {"children", changesets}},
                            {{"text", "Branches"}, {"children", branches}},
                            {{"text", "Tags"}, {"children", tags}}}}};
    return http::Response::json(200,
                                out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

http::Response show_files(Ctx& ctx) {
    if (auto redirect = switch_revision(ctx, "files"))
        return std::move(*redirect);
    const bool full = ctx.req.query_param("fulldiff").has_value();
    auto page = service::browse_files(ctx.app, *ctx.repo, ctx.params["rev"], path_param(ctx), full);
    if (!page)
        return error_response(ctx, page.error(), "files");
    if (page->empty_repository) {
        View view;
        view.set("empty_repository", true);
        return ctx.repo_page(200, "files_tree", "Files", "files", std::move(view));
    }
    if (page->kind == vcs::NodeKind::file || page->kind == vcs::NodeKind::symlink)
        return render_file(ctx, *page);
    return render_tree(ctx, *page);
}

http::Response show_annotate(Ctx& ctx) {
    if (auto redirect = switch_revision(ctx, "annotate"))
        return std::move(*redirect);
    const bool full = ctx.req.query_param("fulldiff").has_value();
    auto page =
        service::annotate_file(ctx.app, *ctx.repo, ctx.params["rev"], path_param(ctx), full);
    if (!page)
        return error_response(ctx, page.error(), "annotate");
    View view = file_view(ctx, page->at, page->path, page->file, "annotate");
    const bool has_lines = !page->lines.empty();
    view.set("has_lines", has_lines)
        .set("highlight", has_lines && !page->file.language.empty())
        .set("code_rows", annotate_rows(ctx, page->lines));
    return ctx.repo_page(200, "file_view", "Annotate · " + page->path, "files", std::move(view));
}

http::Response show_file_history(Ctx& ctx) {
    if (auto redirect = switch_revision(ctx, "history"))
        return std::move(*redirect);
    const size_t page_no = query_number(ctx, "page", 1);
    const size_t size = query_number(ctx, "size", kDefaultHistorySize);
    auto page = service::file_history(*ctx.repo, ctx.params["rev"], path_param(ctx), page_no, size);
    if (!page)
        return error_response(ctx, page.error(), "file history");
    if (!ctx.req.header("X-Partial-XHR").empty())
        return history_json(*page);
    const std::string rev = rev_segment(page->at);
    const bool is_file = page->kind == vcs::NodeKind::file || page->kind == vcs::NodeKind::symlink;
    std::vector<View> rows;
    for (const auto& changeset : page->changesets) {
        View row = changeset_view(ctx, changeset);
        row.set("view_url", page_url(ctx, "files", changeset.id, page->path))
            .set("annotate_url", page_url(ctx, "annotate", changeset.id, page->path))
            .set("is_file", is_file);
        rows.push_back(std::move(row));
    }
    const std::string here = page_url(ctx, "history", rev, page->path);
    const std::string size_query = "&size=" + std::to_string(page->size);
    View view;
    view.set("nav", render_nav(ctx, page->at, page->path, "history"))
        .set("path", page->path)
        .set("has_path", !page->path.empty())
        .set("page", std::to_string(page->page))
        .set("size", std::to_string(page->size))
        .set("changesets", std::move(rows))
        .set("has_prev", page->page > 1)
        .set("prev_url", here + "?page=" + std::to_string(page->page - 1) + size_query)
        .set("has_next", page->has_more)
        .set("next_url", here + "?page=" + std::to_string(page->page + 1) + size_query);
    return ctx.repo_page(200, "file_history", "History · " + page->path, "files", std::move(view));
}

}  // namespace kallithea::web
