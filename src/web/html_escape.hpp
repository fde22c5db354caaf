// The one HTML escaper for markup built in C++ (same entities as mustache's {{ }}).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace kallithea::web {

namespace detail {

// Extra output bytes per input byte: "&amp;" +4, "&lt;" "&gt;" +3, "&quot;" "&apos;" +5.
inline constexpr auto kEscapeExtra = [] {
    std::array<uint8_t, 256> t{};
    t['&'] = 4;
    t['<'] = 3;
    t['>'] = 3;
    t['"'] = 5;
    t['\''] = 5;
    return t;
}();

}  // namespace detail

// Appends text with & < > " ' as entities. Two passes: the output size, then one resize and
// plain stores (no per-entity append calls).
inline void append_html(std::string& out, std::string_view text) {
    size_t extra = 0;
    for (unsigned char c : text)
        extra += detail::kEscapeExtra[c];
    const size_t at = out.size();
    if (extra == 0) {
        out.append(text);
        return;
    }
    out.resize(at + text.size() + extra);
    char* p = out.data() + at;
    for (unsigned char c : text) {
        if (detail::kEscapeExtra[c] == 0) {
            *p++ = static_cast<char>(c);
            continue;
        }
        std::string_view entity;
        switch (c) {
            case '&':
                entity = "&amp;";
                break;
            case '<':
                entity = "&lt;";
                break;
            case '>':
                entity = "&gt;";
                break;
            case '"':
                entity = "&quot;";
                break;
            default:
                entity = "&apos;";
                break;
        }
        std::memcpy(p, entity.data(), entity.size());
        p += entity.size();
    }
}

}  // namespace kallithea::web
