// The one text toolkit of every layer: ASCII case, trimming, percent-decoding, Kallithea's
// str2bool, log clipping.
#pragma once

#include <optional>
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

// `s` with ASCII letters lowered (other bytes, UTF-8 included, stay as they are; no locale).
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = ascii_lower(c);
    return out;
}

// ASCII white space: C's isspace() in the "C" locale (Python's str.strip() also drops the
// separators \x1c-\x1f, which no form or setting carries).
inline constexpr std::string_view kAsciiSpace = " \t\n\v\f\r";

// `s` without leading and trailing bytes from `chars` (by default all ASCII white space, close to
// Python's strip(); a caller with a narrower rule passes its own set).
inline std::string_view trim(std::string_view s, std::string_view chars = kAsciiSpace) {
    const size_t begin = s.find_first_not_of(chars);
    if (begin == std::string_view::npos)
        return {};
    return s.substr(begin, s.find_last_not_of(chars) - begin + 1);
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

// Percent-decodes `s` ('+' as a space when plus_is_space, for form and query encoding); nullopt
// on a malformed escape ('%' not followed by two hex digits). For request paths.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false);
// The same, but a malformed escape stays as it is, like Python's urllib.parse.unquote and
// parse_qsl (browsers do the same for form data). Never fails.
std::string percent_decode_lenient(std::string_view s, bool plus_is_space = false);

// Kallithea's str2bool (kallithea/lib/utils2.py), the meaning of every boolean setting and form
// value: true when `s`, stripped of ASCII white space and lowered, is one of "t", "true", "y",
// "yes", "on", "1"; false for anything else: the empty string, and a missing value (None).
bool str2bool(std::optional<std::string_view> s);
// The strict form for settings that must be a boolean (paste.deploy's asbool): true for the
// str2bool words, false for "f", "false", "n", "no", "off", "0" (same stripping and case rule),
// nullopt for anything else.
std::optional<bool> parse_bool(std::string_view s);

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
