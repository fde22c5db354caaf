// Fuzz target: request-target parsing (http::parse_request_target), percent-encoding and the
// UTF-8 check every path goes through before routing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/message.hpp"
#include "http/request_target.hpp"

using namespace kallithea;

namespace {

// Well-formed UTF-8 by the byte ranges of Unicode Table 3-7, independent of the code under test.
bool reference_utf8(std::string_view s) {
    size_t i = 0;
    const auto in = [&](size_t k, unsigned lo, unsigned hi) {
        if (i + k >= s.size())
            return false;
        const auto c = static_cast<unsigned char>(s[i + k]);
        return c >= lo && c <= hi;
    };
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = 0;
        bool ok = false;
        if (c <= 0x7F) {
            len = 1, ok = true;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2, ok = in(1, 0x80, 0xBF);
        } else if (c == 0xE0) {
            len = 3, ok = in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF);
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            len = 3, ok = in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF);
        } else if (c == 0xED) {
            len = 3, ok = in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF);
        } else if (c == 0xF0) {
            len = 4, ok = in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF);
        } else if (c >= 0xF1 && c <= 0xF3) {
            len = 4, ok = in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF);
        } else if (c == 0xF4) {
            len = 4, ok = in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF);
        }
        if (!ok)
            return false;
        i += len;
    }
    return true;
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Whether every '%' starts a two-hex-digit escape, and how many escapes there are.
bool well_formed_escapes(std::string_view s, size_t& escapes) {
    escapes = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%')
            continue;
        if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
            return false;
        ++escapes;
        i += 2;
    }
    return true;
}

void check_encoding(std::string_view input) {
    for (const bool keep_slash : {false, true}) {
        const std::string encoded = http::percent_encode(input, keep_slash);
        for (size_t i = 0; i < encoded.size(); ++i) {
            const char c = encoded[i];
            const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                               c == '~' || c == '%' || (keep_slash && c == '/');
            FUZZ_CHECK(plain);
            if (c == '%')
                FUZZ_CHECK(i + 2 < encoded.size() && is_hex(encoded[i + 1]) &&
                           is_hex(encoded[i + 2]));
        }
        const auto decoded = http::percent_decode(encoded);
        FUZZ_CHECK(decoded && *decoded == input);
        const auto decoded_plus = http::percent_decode(encoded, true);
        FUZZ_CHECK(decoded_plus && *decoded_plus == input);
    }
    size_t escapes = 0;
    const bool well_formed = well_formed_escapes(input, escapes);
    const auto decoded = http::percent_decode(input);
    FUZZ_CHECK(decoded.has_value() == well_formed);
    if (decoded) {
        FUZZ_CHECK(decoded->size() == input.size() - 2 * escapes);
        FUZZ_CHECK(http::percent_decode(http::percent_encode(*decoded)) == decoded);
    }
}

void check_target(std::string_view input) {
    const auto target = http::parse_request_target(input);
    if (!target) {
        FUZZ_CHECK(!target.error().message.empty());
        return;
    }
    const std::string& path = target->path;
    FUZZ_CHECK(!input.empty() && input.front() == '/');
    FUZZ_CHECK(!path.empty() && path.front() == '/');
    FUZZ_CHECK(path.find('\0') == std::string::npos);
    FUZZ_CHECK(path.find('\\') == std::string::npos);
    FUZZ_CHECK(reference_utf8(path));
    // No "." or ".." segment survives, however it was spelled (%2e, %2E%2e, ...).
    const std::string framed = path + "/";
    FUZZ_CHECK(framed.find("/./") == std::string::npos);
    FUZZ_CHECK(framed.find("/../") == std::string::npos);
    const size_t question = input.find('?');
    FUZZ_CHECK(target->raw_query ==
               (question == std::string_view::npos ? "" : input.substr(question + 1)));
    // The decoded path, encoded again, is a target that means the same.
    std::string again = http::percent_encode(path, true);
    if (question != std::string_view::npos)
        again += "?" + target->raw_query;
    const auto reparsed = http::parse_request_target(again);
    FUZZ_CHECK(reparsed && reparsed->path == path && reparsed->raw_query == target->raw_query);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    FUZZ_CHECK(http::is_valid_utf8(input) == reference_utf8(input));
    check_encoding(input);
    check_target(input);
    return 0;
}
