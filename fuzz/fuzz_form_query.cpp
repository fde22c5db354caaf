// Fuzz target: application/x-www-form-urlencoded parsing (http::parse_form) and the query
// helpers of http::Request built on it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/message.hpp"

using namespace kallithea;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto pairs = http::parse_form(input);

    // One pair per non-empty '&'-separated part.
    size_t parts = 0;
    for (std::string_view rest = input;;) {
        const size_t amp = rest.find('&');
        if (!rest.substr(0, amp).empty())
            ++parts;
        if (amp == std::string_view::npos)
            break;
        rest.remove_prefix(amp + 1);
    }
    FUZZ_CHECK(pairs.size() == parts);
    // Decoding never makes text longer.
    for (const auto& [key, value] : pairs)
        FUZZ_CHECK(key.size() + value.size() <= input.size());

    // Encoding the pairs again and parsing that gives the same pairs.
    std::string encoded;
    for (const auto& [key, value] : pairs) {
        if (!encoded.empty())
            encoded += '&';
        encoded += http::percent_encode(key) + "=" + http::percent_encode(value);
    }
    FUZZ_CHECK(http::parse_form(encoded) == pairs);

    // A single field without separators decodes like the strict decoder wherever that one
    // accepts the text (the form decoder keeps malformed escapes instead of failing).
    if (input.find_first_of("&=") == std::string_view::npos && !input.empty()) {
        if (const auto strict = http::percent_decode(input, true)) {
            FUZZ_CHECK(pairs.size() == 1 && pairs[0].first == *strict && pairs[0].second.empty());
        }
    }

    // The query helpers of a request see the same pairs; query_param takes the first value.
    http::Request request;
    request.raw_query = std::string(input);
    FUZZ_CHECK(request.query() == pairs);
    for (const auto& pair : pairs) {
        const auto first = std::find_if(pairs.begin(), pairs.end(),
                                        [&](const auto& p) { return p.first == pair.first; });
        FUZZ_CHECK(request.query_param(pair.first) == first->second);
    }
    if (std::none_of(pairs.begin(), pairs.end(), [](const auto& p) { return p.first == "x"; }))
        FUZZ_CHECK(!request.query_param("x"));
    return 0;
}
