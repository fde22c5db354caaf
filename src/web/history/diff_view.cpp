// Renders per-file unified patches as HTML sections with table rows (line numbers and kinds),
// escaped in one pass here rather than through a template.
#include "web/history/diff_view.hpp"
#include "web/html_escape.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "web/history/history_views.hpp"

namespace kallithea::web {
namespace {

// Parses "@@ -a[,b] +c[,d] @@..." into the first old and new line numbers.
bool parse_hunk_header(std::string_view line, long& old_no, long& new_no) {
    const auto minus = line.find('-');
    const auto plus = line.find('+');
    if (minus == std::string_view::npos || plus == std::string_view::npos)
        return false;
    old_no = std::strtol(std::string(line.substr(minus + 1, 20)).c_str(), nullptr, 10);
    new_no = std::strtol(std::string(line.substr(plus + 1, 20)).c_str(), nullptr, 10);
    return true;
}

// True when every byte is below 0x80, checked a word at a time.
bool is_ascii(std::string_view text) {
    constexpr uint64_t kHighBits = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (word & kHighBits)
            return false;
    }
    for (; i < text.size(); ++i) {
        if (static_cast<unsigned char>(text[i]) >= 0x80)
            return false;
    }
    return true;
}

void append_number(std::string& out, long n) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
}

// One table row; kind is a fixed word, the numbers are digits, the text is escaped here.
void append_row(std::string& out, std::string_view kind, long old_no, long new_no,
                std::string_view text) {
    out += "<tr class=\"dl-";
    out += kind;
    out += "\"><td class=\"ln ln-old\">";
    if (old_no > 0)
        append_number(out, old_no);
    else if (old_no < 0)
        out += "...";
    out += "</td><td class=\"ln ln-new\">";
    if (new_no > 0)
        append_number(out, new_no);
    else if (new_no < 0)
        out += "...";
    out += "</td><td class=\"code\">";
    append_html(out, text);
    out += "</td></tr>\n";
}

// The rows of one file's patch after its header (everything before the first "@@"), appended
// to out. Built here rather than in a template: diffs have thousands of lines and this is
// their hot path.
void append_patch_rows(std::string& out, const std::string& raw_patch) {
    // Most patches are plain ASCII: only the others need (copying) repair of invalid UTF-8.
    std::string repaired;
    if (!is_ascii(raw_patch))
        repaired = vcs::to_valid_utf8(raw_patch);
    const std::string& patch = repaired.empty() ? raw_patch : repaired;
    out.reserve(out.size() + patch.size() * 2);
    long old_no = 0, new_no = 0;
    bool in_hunk = false;
    size_t pos = 0;
    while (pos < patch.size()) {
        auto end = patch.find('\n', pos);
        if (end == std::string::npos)
            end = patch.size();
        std::string_view line(patch.data() + pos, end - pos);
        pos = end + 1;
        if (line.starts_with("@@")) {
            in_hunk = parse_hunk_header(line, old_no, new_no);
            append_row(out, "hunk", -1, -1, line);
            continue;
        }
        if (!in_hunk || line.empty())
            continue;
        const std::string_view text = line.substr(1);
        switch (line[0]) {
            case '+':
                append_row(out, "add", 0, new_no++, text);
                break;
            case '-':
                append_row(out, "del", old_no++, 0, text);
                break;
            case ' ':
                append_row(out, "ctx", old_no++, new_no++, text);
                break;
            default:  // "\ No newline at end of file"
                append_row(out, "meta", 0, 0, line);
        }
    }
}

bool is_moved(const vcs::FileDiff& file) {
    return file.change == vcs::ChangeKind::renamed || file.change == vcs::ChangeKind::copied;
}

// The section's opening tag: anchor, path, change kind and the binary / too-large marks.
void append_file_open_tag(std::string& out, const vcs::FileDiff& file, std::string_view change,
                          const std::string& anchor) {
    out += "<section class=\"diff-file\" id=\"";
    append_html(out, anchor);
    out += "\" data-path=\"";
    append_html(out, file.new_path);
    out += "\" data-change=\"";
    append_html(out, change);
    out += "\"";
    if (file.binary)
        out += " data-binary=\"1\"";
    if (file.too_large)
        out += " data-too-large=\"1\"";
    out += ">\n";
}

// The file's header: change kind, paths, similarity, mode change, line counts.
void append_file_header(std::string& out, const vcs::FileDiff& file, std::string_view change,
                        const std::string& anchor) {
    const bool moved = is_moved(file);
    out += "  <header class=\"diff-file-head\">\n    <span class=\"change-kind change-";
    append_html(out, change);
    out += "\">";
    append_html(out, change);
    out += "</span>\n    ";
    if (moved) {
        out += "<span class=\"path old-path\">";
        append_html(out, file.old_path);
        out += "</span> → ";
    }
    out += "<a class=\"path\" href=\"#";
    append_html(out, anchor);
    out += "\">";
    append_html(out, file.new_path);
    out += "</a>\n";
    if (moved) {
        out += "    <span class=\"similarity\">";
        append_number(out, file.similarity);
        out += "%</span>\n";
    }
    if (!file.old_mode.empty() && !file.new_mode.empty() && file.old_mode != file.new_mode) {
        out += "    <span class=\"mode-change\">mode ";
        append_html(out, file.old_mode);
        out += " → ";
        append_html(out, file.new_mode);
        out += "</span>\n";
    }
    out += "    <span class=\"stats\"><span class=\"stat-add\">+";
    append_number(out, static_cast<long>(file.additions));
    out += "</span> <span class=\"stat-del\">-";
    append_number(out, static_cast<long>(file.deletions));
    out += "</span></span>\n  </header>\n";
}

// The file's notes (binary, cut off, no content changes) or its table of rows.
void append_file_body(std::string& out, const vcs::FileDiff& file) {
    if (file.binary)
        out += "  <p class=\"diff-note\" data-note=\"binary\">Binary file</p>\n";
    if (file.too_large)
        out +=
            "  <p class=\"diff-note\" data-note=\"cut-off\">This diff was cut off because it is "
            "too big.</p>\n";
    if (file.binary || file.too_large)
        return;
    const size_t before = out.size();
    out += "  <table class=\"diff-lines\">\n";
    const size_t rows_start = out.size();
    append_patch_rows(out, file.patch);
    if (out.size() == rows_start) {
        out.resize(before);
        out +=
            "  <p class=\"diff-note\" data-note=\"no-content\">No changes to the "
            "content.</p>\n";
    } else {
        out += "  </table>\n";
    }
}

// One file's section: header (change kind, paths, similarity, mode, counts), notes, rows.
void append_file(std::string& out, const vcs::FileDiff& file, const std::string& anchor) {
    const std::string_view change = vcs::change_kind_name(file.change);
    append_file_open_tag(out, file, change, anchor);
    append_file_header(out, file, change, anchor);
    append_file_body(out, file);
    out += "</section>\n";
}

// One table-of-contents entry (the changeset page's list of files).
void append_toc_entry(std::string& out, const vcs::FileDiff& file, const std::string& anchor) {
    const std::string_view change = vcs::change_kind_name(file.change);
    out += "    <li data-path=\"";
    append_html(out, file.new_path);
    out += "\" data-change=\"";
    append_html(out, change);
    out += "\"><span class=\"change-kind change-";
    append_html(out, change);
    out += "\">";
    append_html(out, change);
    out += "</span> <a href=\"#";
    append_html(out, anchor);
    out += "\">";
    if (is_moved(file)) {
        append_html(out, file.old_path);
        out += " → ";
    }
    append_html(out, file.new_path);
    out += "</a>";
    if (file.binary)
        out += " <span class=\"muted\">binary</span>";
    out += " <span class=\"stat-add\">+";
    append_number(out, static_cast<long>(file.additions));
    out += "</span> <span class=\"stat-del\">-";
    append_number(out, static_cast<long>(file.deletions));
    out += "</span></li>\n";
}

// The summary fields shared by both forms, the file sections under "diff_html" and, when
// toc is given, the table of contents HTML in it.
View summary_view(const vcs::Diff& diff, std::string_view changeset_id, std::string* toc) {
    std::string html;
    for (const auto& file : diff.files) {
        const std::string anchor = file_anchor(changeset_id, file.new_path);
        append_file(html, file, anchor);
        if (toc)
            append_toc_entry(*toc, file, anchor);
    }
    View v;
    v.set("has_files", !diff.files.empty())
        .set("file_count", std::to_string(diff.files.size()))
        .set("additions", std::to_string(diff.additions))
        .set("deletions", std::to_string(diff.deletions))
        .set("truncated", diff.truncated)
        .set("diff_html", std::move(html));
    return v;
}

}  // namespace

std::string file_anchor(std::string_view changeset_id, std::string_view path) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : path)
        h = (h ^ c) * 1099511628211ULL;
    char buf[40];
    std::snprintf(buf, sizeof buf, "-%012llx",
                  static_cast<unsigned long long>(h & 0xffffffffffffULL));
    return "C-" + std::string(changeset_id.substr(0, 12)) + buf;
}

View diff_view(const vcs::Diff& diff, std::string_view changeset_id) {
    View v = summary_view(diff, changeset_id, nullptr);
    std::vector<View> toc;
    for (const auto& file : diff.files) {
        View entry;
        entry.set("path", file.new_path)
            .set("old_path", file.old_path)
            .set("moved", is_moved(file))
            .set("change", std::string(vcs::change_kind_name(file.change)))
            .set("binary", file.binary)
            .set("additions", std::to_string(file.additions))
            .set("deletions", std::to_string(file.deletions))
            .set("anchor", file_anchor(changeset_id, file.new_path));
        toc.push_back(std::move(entry));
    }
    v.set("files", std::move(toc));
    return v;
}

View diff_page_view(const vcs::Diff& diff, std::string_view changeset_id) {
    std::string toc;
    View v = summary_view(diff, changeset_id, &toc);
    v.set("toc_html", std::move(toc));
    return v;
}

}  // namespace kallithea::web
