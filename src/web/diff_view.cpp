// Splits per-file unified patches into table rows with line numbers and kinds; diff.mustache
// renders the files around them.
#include "web/diff_view.hpp"

#include <cstdio>
#include <cstdlib>

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

void append_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out.push_back(c);
        }
    }
}

// One table row; kind is a fixed word, the numbers are digits, the text is escaped here.
void append_row(std::string& out, const char* kind, long old_no, long new_no,
                std::string_view text) {
    out += "<tr class=\"dl-";
    out += kind;
    out += "\"><td class=\"ln ln-old\">";
    if (old_no > 0)
        out += std::to_string(old_no);
    else if (old_no < 0)
        out += "...";
    out += "</td><td class=\"ln ln-new\">";
    if (new_no > 0)
        out += std::to_string(new_no);
    else if (new_no < 0)
        out += "...";
    out += "</td><td class=\"code\">";
    append_escaped(out, text);
    out += "</td></tr>\n";
}

// The rows of one file's patch after its header (everything before the first "@@"). Built
// here rather than in the template: diffs have thousands of lines and this is their hot path.
std::string patch_rows(const std::string& raw_patch) {
    const std::string patch = vcs::to_valid_utf8(raw_patch);
    std::string out;
    out.reserve(patch.size() + patch.size() / 2);
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
    return out;
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
    std::vector<View> files, toc;
    for (const auto& file : diff.files) {
        const bool moved =
            file.change == vcs::ChangeKind::renamed || file.change == vcs::ChangeKind::copied;
        const bool mode_changed =
            !file.old_mode.empty() && !file.new_mode.empty() && file.old_mode != file.new_mode;
        std::string rows;
        if (!file.binary && !file.too_large)
            rows = patch_rows(file.patch);
        View f;
        f.set("path", file.new_path)
            .set("old_path", file.old_path)
            .set("moved", moved)
            .set("similarity", std::to_string(file.similarity))
            .set("change", std::string(vcs::change_kind_name(file.change)))
            .set("binary", file.binary)
            .set("too_large", file.too_large)
            .set("additions", std::to_string(file.additions))
            .set("deletions", std::to_string(file.deletions))
            .set("anchor", file_anchor(changeset_id, file.new_path))
            .set("mode_changed", mode_changed)
            .set("old_mode", file.old_mode)
            .set("new_mode", file.new_mode)
            .set("no_content", rows.empty() && !file.binary && !file.too_large)
            .set("has_lines", !rows.empty())
            .set("rows_html", std::move(rows));
        View entry;
        entry.set("path", file.new_path)
            .set("old_path", file.old_path)
            .set("moved", moved)
            .set("change", std::string(vcs::change_kind_name(file.change)))
            .set("binary", file.binary)
            .set("additions", std::to_string(file.additions))
            .set("deletions", std::to_string(file.deletions))
            .set("anchor", file_anchor(changeset_id, file.new_path));
        toc.push_back(std::move(entry));
        files.push_back(std::move(f));
    }
    View v;
    v.set("has_files", !files.empty())
        .set("file_count", std::to_string(files.size()))
        .set("additions", std::to_string(diff.additions))
        .set("deletions", std::to_string(diff.deletions))
        .set("truncated", diff.truncated);
    View body = v;
    body.set("files", std::move(files));
    v.set("diff_html", render("diff", body));
    v.set("files", std::move(toc));
    return v;
}

}  // namespace kallithea::web
