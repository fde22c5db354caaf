// Line-level editing of ini text: replace, uncomment-next-to or append `key = value` lines.
#include "config/ini_text_edit.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace kallithea::config {
namespace {

constexpr std::string_view kWhitespace = " \t\r\f\v";

std::string_view trim(std::string_view text) {
    const size_t begin = text.find_first_not_of(kWhitespace);
    if (begin == std::string_view::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(kWhitespace) - begin + 1);
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_comment(std::string_view trimmed) {
    return trimmed.starts_with('#') || trimmed.starts_with(';');
}

bool is_indented(std::string_view line) {
    return !line.empty() && kWhitespace.find(line.front()) != std::string_view::npos;
}

// The section a header line opens, as ConfigParser reads it.
std::optional<std::string_view> header_name(std::string_view line) {
    const std::string_view text = trim(line);
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
    std::string key = lower(trim(text.substr(0, delimiter)));
    if (key.empty())
        return std::nullopt;
    return key;
}

std::optional<std::string> active_key(std::string_view line) {
    const std::string_view text = trim(line);
    if (text.empty() || is_comment(text) || is_indented(line) || header_name(line))
        return std::nullopt;
    return key_of(text);
}

std::optional<std::string> commented_key(std::string_view line) {
    std::string_view text = trim(line);
    if (!is_comment(text))
        return std::nullopt;
    auto key = key_of(trim(text.substr(1)));
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

// Where a new line for `key` goes in the section body lines [begin, end).
size_t insert_position(const std::vector<std::string>& lines, size_t begin, size_t end,
                       const std::string& key) {
    for (size_t i = begin; i < end; ++i)
        if (commented_key(lines[i]) == key)
            return i + 1;
    size_t after_last_key = begin;
    for (size_t i = begin; i < end; ++i)
        if (active_key(lines[i]))
            after_last_key = i + 1;
    while (after_last_key < end && is_indented(lines[after_last_key]) &&
           !trim(lines[after_last_key]).empty())
        ++after_last_key;  // continuation lines of that key
    return after_last_key;
}

void set_value(std::vector<std::string>& lines, std::string_view section, const std::string& key,
               const std::string& value) {
    const std::string line = value.empty() ? key + " =" : key + " = " + value;
    const std::string wanted = lower(key);
    auto header = std::find_if(lines.begin(), lines.end(),
                               [&](const std::string& l) { return header_name(l) == section; });
    if (header == lines.end()) {
        if (!lines.empty() && !trim(lines.back()).empty())
            lines.emplace_back();
        lines.push_back("[" + std::string(section) + "]");
        lines.push_back(line);
        return;
    }
    const size_t begin = static_cast<size_t>(header - lines.begin()) + 1;
    size_t end = begin;
    while (end < lines.size() && !header_name(lines[end]))
        ++end;
    for (size_t i = begin; i < end; ++i) {
        if (active_key(lines[i]) == wanted) {
            lines[i] = line;
            return;
        }
    }
    const size_t at = insert_position(lines, begin, end, wanted);
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), line);
}

}  // namespace

std::string set_ini_values(std::string_view text, std::string_view section, const IniPairs& pairs) {
    std::vector<std::string> lines = split_lines(text);
    for (const auto& [key, value] : pairs)
        set_value(lines, section, key, value);
    std::string out;
    out.reserve(text.size() + 64 * pairs.size());
    for (const auto& line : lines) {
        out += line;
        out += '\n';
    }
    return out;
}

}  // namespace kallithea::config
