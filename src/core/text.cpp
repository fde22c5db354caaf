// Implementation of the out-of-line parts of core/text.hpp.
#include "core/text.hpp"

#include <array>

namespace kallithea::text {
namespace {

// Decodes `s`; a malformed escape fails (strict) or is copied as it is.
std::optional<std::string> decode(std::string_view s, bool plus_is_space, bool strict) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else if (c == '%' && strict) {
            return std::nullopt;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

constexpr std::array<std::string_view, 6> kTrueWords{"t", "true", "y", "yes", "on", "1"};
constexpr std::array<std::string_view, 6> kFalseWords{"f", "false", "n", "no", "off", "0"};

bool one_of(std::string_view word, const std::array<std::string_view, 6>& words) {
    for (std::string_view w : words)
        if (ascii_iequals(word, w))
            return true;
    return false;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    return decode(s, plus_is_space, true);
}

std::string percent_decode_lenient(std::string_view s, bool plus_is_space) {
    return *decode(s, plus_is_space, false);
}

bool str2bool(std::optional<std::string_view> s) {
    return s && one_of(trim(*s), kTrueWords);
}

std::optional<bool> parse_bool(std::string_view s) {
    const std::string_view word = trim(s);
    if (one_of(word, kTrueWords))
        return true;
    if (one_of(word, kFalseWords))
        return false;
    return std::nullopt;
}

}  // namespace kallithea::text
