// Fuzz target: reading cookies from Cookie headers (http::cookie_value, which the web surface's
// session, flash and reset cookies go through).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_check.hpp"
#include "http/cookie.hpp"
#include "http/message.hpp"

using namespace kallithea;

namespace {

// A name the lookup can find when it is written as `name=value`.
bool findable_name(std::string_view name) {
    return !name.empty() && name.front() != ' ' && name.find_first_of("=;") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    const std::string name = in.ConsumeRandomLengthString(40);
    const std::string planted = in.ConsumeRandomLengthString(40);
    http::Request request;
    static constexpr const char* kNames[] = {"Cookie", "cookie", "COOKIE", "Cookie2", "X-Cookie"};
    while (in.remaining_bytes() > 0) {
        const char* header = kNames[in.ConsumeIntegralInRange<size_t>(0, 4)];
        request.headers.add(header, in.ConsumeRandomLengthString(200));
    }

    const std::string value = http::cookie_value(request, name);
    // A value found is a piece of one Cookie header, right after "name=".
    if (!value.empty()) {
        FUZZ_CHECK(value.find(';') == std::string::npos);
        bool seen = false;
        for (const auto& [header, text] : request.headers.items()) {
            if (header.size() == 6 && (header[0] == 'C' || header[0] == 'c'))
                seen = seen || text.find(name + "=" + value) != std::string::npos;
        }
        FUZZ_CHECK(seen);
    }

    // A cookie planted in a first Cookie header is the one found.
    if (findable_name(name) && planted.find(';') == std::string::npos) {
        http::Request first;
        first.headers.add("Cookie", "a_=1; " + name + "=" + planted + "; z_=2");
        for (const auto& [header, text] : request.headers.items())
            first.headers.add(header, text);
        const bool shadowed = name == "a_";
        if (!shadowed)
            FUZZ_CHECK(http::cookie_value(first, name) == planted);
    }
    return 0;
}
