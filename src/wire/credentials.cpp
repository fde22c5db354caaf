// HTTP Basic parsing and client address selection for the Git surface.
#include "wire/credentials.hpp"

#include "core/text.hpp"

namespace kallithea::wire {
namespace {

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = base64_value(c);
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

std::optional<BasicCredentials> parse_basic_authorization(std::string_view header) {
    header = text::trim_blanks(header);
    const auto space = header.find(' ');
    if (space == std::string_view::npos || !text::ascii_iequals(header.substr(0, space), "basic"))
        return std::nullopt;
    auto decoded = base64_decode(text::trim_blanks(header.substr(space + 1)));
    if (!decoded)
        return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::string basic_challenge(std::string_view realm) {
    std::string out = "Basic realm=\"";
    for (char c : realm)
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7F)
            out += c;
    out += '"';
    return out;
}

}  // namespace kallithea::wire
