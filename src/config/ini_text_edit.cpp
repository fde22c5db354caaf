// Line-level editing of ini text: replace, uncomment-next-to or append `key = value` lines.
#include "config/ini_text_edit.hpp"

#include <algorithm>
#include <optional>

#include "core/text.hpp"

namespace kallithea::config {
namespace {

constexpr std::string_view kWhitespace = " \t\r\f\v";

bool is_comment(std::string_view trimmed) {
    return trimmed.starts_with('#') || trimmed.starts_with(';');
}

// The section a header line opens, as ConfigParser reads it.
std::optional<std::string_view> header_name(std::string_view line) {
    const std::string_view text = text::trim(line, kWhitespace);
    const size_t close = text.rfind(']');
    if (!text.starts_with('[') || close == std::string_view::npos || close < 2)
        return std::nullopt;
    return text.substr(1, close - 1);
}

// The lower-case key a `key = value` text sets, or nothing.
std::optional<std::string> key_of(std::string_view text) {
    const size_t delimiter = text.find_first_of("=:");
    if (delimiter == std::string_view::npos)
        return std::nullopt;
    std::string key = text::ascii_lower(text::trim(text.substr(0, delimiter), kWhitespace));
    if (key.empty())
        return std::nullopt;
    return key;
}

std::optional<std::string> commented_key(std::string_view line) {
    std::string_view text = text::trim(line, kWhitespace);
    if (!is_comment(text))
        return std::nullopt;
    auto key = key_of(text::trim(text.substr(1), kWhitespace));
    if (key && key->find_first_of(kWhitespace) != std::string::npos)
        return std::nullopt;  // prose, not a commented-out setting
    return key;
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const size_t newline = std::min(text.find('\n'), text.size());
        lines.emplace_back(text.substr(0, newline));
        text.remove_prefix(std::min(newline + 1, text.size()));
    }
    return lines;
}

// What a line is to the parser (config/ini.cpp), which reads lines in order: an indented line
// continues the value above it when it is indented deeper than that value's key line.
struct LineRole {
    enum Kind { other, header, key, continuation } kind = other;
    std::string name;  // header: the section; key: the lower-case key
};

std::vector<LineRole> classify(const std::vector<std::string>& lines) {
    std::vector<LineRole> roles(lines.size());
    bool in_value = false;
    size_t option_indent = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string_view text = text::trim(lines[i], kWhitespace);
        if (text.empty() || is_comment(text))
            continue;  // neither ends a value
        const size_t indent = lines[i].find_first_not_of(kWhitespace);
        if (in_value && indent > option_indent) {
            roles[i].kind = LineRole::continuation;
            continue;
        }
        option_indent = indent;
        in_value = false;
        if (auto section = header_name(lines[i])) {
            roles[i] = {LineRole::header, std::string(*section)};
        } else if (auto key = key_of(text)) {
            roles[i] = {LineRole::key, std::move(*key)};
            in_value = true;
        }
    }
    return roles;
}

// The first line at or after `from` that is neither blank nor a comment, or lines.size().
size_t next_meaningful(const std::vector<std::string>& lines, size_t from) {
    while (from < lines.size() && (text::trim(lines[from], kWhitespace).empty() ||
                                   is_comment(text::trim(lines[from], kWhitespace))))
        ++from;
    return from;
}

// Past the continuation lines of the key line at `at` (blank and comment lines among them too).
size_t end_of_value(const std::vector<LineRole>& roles, size_t at) {
    size_t end = at + 1;
    for (size_t i = at + 1; i < roles.size(); ++i) {
        if (roles[i].kind == LineRole::continuation)
            end = i + 1;
        else if (roles[i].kind != LineRole::other)
            break;
    }
    return end;
}

// Where a new line for `key` goes in the section body [begin, end): after a commented example
// `#key = ...`, else after the section's last key and its value; never where the next line would
// read as a continuation of the new one.
size_t insert_position(const std::vector<std::string>& lines, const std::vector<LineRole>& roles,
                       size_t begin, size_t end, const std::string& key) {
    for (size_t i = begin; i < end; ++i) {
        if (commented_key(lines[i]) != key)
            continue;
        const size_t next = next_meaningful(lines, i + 1);
        if (next == lines.size() || roles[next].kind != LineRole::continuation)
            return i + 1;
    }
    size_t after_last_key = begin;
    for (size_t i = begin; i < end; ++i)
        if (roles[i].kind == LineRole::key)
            after_last_key = end_of_value(roles, i);
    return after_last_key;
}

// The indentation the line inserted at `at` needs so that the next line keeps its meaning.
std::string indent_before(const std::vector<std::string>& lines, size_t at) {
    const size_t next = next_meaningful(lines, at);
    if (next == lines.size())
        return {};
    return lines[next].substr(0, lines[next].find_first_not_of(kWhitespace));
}

void set_value(std::vector<std::string>& lines, std::string_view section, const std::string& key,
               const std::string& value) {
    const std::string line = value.empty() ? key + " =" : key + " = " + value;
    const std::string wanted = text::ascii_lower(key);
    const std::vector<LineRole> roles = classify(lines);
    size_t header = 0;
    while (header < lines.size() &&
           !(roles[header].kind == LineRole::header && roles[header].name == section))
        ++header;
    if (header == lines.size()) {
        if (!lines.empty() && !text::trim(lines.back(), kWhitespace).empty())
            lines.emplace_back();
        lines.push_back("[" + std::string(section) + "]");
        lines.push_back(line);
        return;
    }
    const size_t begin = header + 1;
    size_t end = begin;
    while (end < lines.size() && roles[end].kind != LineRole::header)
        ++end;
    for (size_t i = begin; i < end; ++i) {
        if (roles[i].kind == LineRole::key && roles[i].name == wanted) {
            // Same indentation as before; the old value's continuation lines go with it.
            const std::string indent = lines[i].substr(0, lines[i].find_first_not_of(kWhitespace));
            const size_t value_end = end_of_value(roles, i);
            lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                        lines.begin() + static_cast<std::ptrdiff_t>(value_end));
            lines[i] = indent + line;
            return;
        }
    }
    const size_t at = insert_position(lines, roles, begin, end, wanted);
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), indent_before(lines, at) + line);
}

}  // namespace

std::string set_ini_values(std::string_view text, std::string_view section, const IniPairs& pairs) {
    // A byte-order mark is not part of the first line (the parser skips it too).
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    const bool bom = text.starts_with(kBom);
    if (bom)
        text.remove_prefix(kBom.size());
    std::vector<std::string> lines = split_lines(text);
    for (const auto& [key, value] : pairs)
        set_value(lines, section, key, value);
    std::string out(bom ? kBom : std::string_view{});
    out.reserve(text.size() + 64 * pairs.size());
    for (const auto& line : lines) {
        out += line;
        out += '\n';
    }
    return out;
}

}  // namespace kallithea::config
