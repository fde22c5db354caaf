// Implementation of request-target validation: the path checks every front end applies.
#include "http/request_target.hpp"

#include "http/message.hpp"

namespace kallithea::http {

bool is_valid_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len = 0;
        uint32_t cp = 0;
        uint32_t min = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (i + len > s.size())
            return false;
        for (size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

Result<RequestTarget> parse_request_target(std::string_view target) {
    if (target.empty() || target.front() != '/')
        return fail(Errc::invalid_argument, "Bad request target", "target is not origin-form");
    RequestTarget out;
    std::string_view raw_path = target;
    const size_t question = target.find('?');
    if (question != std::string_view::npos) {
        raw_path = target.substr(0, question);
        out.raw_query = std::string(target.substr(question + 1));
    }
    auto decoded = percent_decode(raw_path);
    if (!decoded)
        return fail(Errc::invalid_argument, "Bad request target", "malformed percent escape");
    out.path = std::move(*decoded);
    if (out.path.find('\0') != std::string::npos)
        return fail(Errc::invalid_argument, "Bad request target", "NUL in path");
    if (out.path.find('\\') != std::string::npos)
        return fail(Errc::invalid_argument, "Bad request target", "backslash in path");
    if (!is_valid_utf8(out.path))
        return fail(Errc::invalid_argument, "Bad request target", "path is not UTF-8");
    std::string_view rest = out.path;
    while (!rest.empty()) {
        rest.remove_prefix(1);  // the '/'
        const size_t slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        if (segment == "." || segment == "..")
            return fail(Errc::invalid_argument, "Bad request target", "dot segment in path");
        if (slash == std::string_view::npos)
            break;
        rest.remove_prefix(slash);
    }
    return out;
}

}  // namespace kallithea::http
