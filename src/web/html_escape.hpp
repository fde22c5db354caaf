// The one HTML escaper for markup built in C++ (same entities as mustache's {{ }}).
#pragma once

#include <string>
#include <string_view>

namespace kallithea::web {

// Appends text with & < > " ' escaped, copying runs of plain characters in one go.
inline void append_html(std::string& out, std::string_view text) {
    size_t plain = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        std::string_view entity;
        switch (text[i]) {
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
            case '\'':
                entity = "&apos;";
                break;
            default:
                continue;
        }
        out.append(text.data() + plain, i - plain);
        out.append(entity);
        plain = i + 1;
    }
    out.append(text.data() + plain, text.size() - plain);
}

}  // namespace kallithea::web
