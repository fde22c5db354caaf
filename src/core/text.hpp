// Small ASCII text helpers shared by several layers (header names, config keys, URLs).
#pragma once

#include <string>
#include <string_view>

namespace kallithea::text {

inline char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive comparison of ASCII letters (other bytes compare exactly).
inline bool ascii_iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

// `s` without leading and trailing spaces and tabs (HTTP's optional whitespace).
inline std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Value of a hex digit, or -1.
inline int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Client-supplied text as a log line may show it: at most `max` bytes (cut at a UTF-8 character
// boundary), then "…" when something was cut. Keeps one hostile request from writing a 64 KB line.
inline constexpr size_t kLogTextMax = 512;
inline std::string clip_for_log(std::string_view s, size_t max = kLogTextMax) {
    if (s.size() <= max)
        return std::string(s);
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;  // do not split a multi-byte character
    std::string out(s.substr(0, cut));
    out += "\xE2\x80\xA6";
    return out;
}

}  // namespace kallithea::text
