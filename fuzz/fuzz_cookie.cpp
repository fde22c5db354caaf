// Fuzz target: reading cookies from Cookie headers (http::cookie_value, which the web surface's
// session, flash and reset cookies go through) and the client address and scheme from proxy
// headers (http::client_address, http::client_used_https).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_check.hpp"
#include "http/client_address.hpp"
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
    request.remote_addr = "192.0.2.1";
    static constexpr const char* kNames[] = {
        "Cookie",   "cookie",          "COOKIE",          "Cookie2",
        "X-Cookie", "X-Forwarded-For", "x-forwarded-for", "X-Forwarded-Proto"};
    while (in.remaining_bytes() > 0) {
        const char* header = kNames[in.ConsumeIntegralInRange<size_t>(0, 7)];
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

    // The client address behind a proxy: the last entry of the first X-Forwarded-For header,
    // trimmed, else the peer.
    const std::string address = http::client_address(request, "HTTP_X_FORWARDED_FOR");
    const std::string_view forwarded = request.header("X-Forwarded-For");
    const std::string_view last = forwarded.substr(forwarded.rfind(',') + 1);
    if (last.find_first_not_of(" \t") == std::string_view::npos) {
        FUZZ_CHECK(address == request.remote_addr);
    } else {
        FUZZ_CHECK(last.find(address) != std::string_view::npos);
        FUZZ_CHECK(address.find(',') == std::string::npos);
        FUZZ_CHECK(address.front() != ' ' && address.front() != '\t');
        FUZZ_CHECK(address.back() != ' ' && address.back() != '\t');
    }
    const bool https = http::client_used_https(request, "HTTP_X_FORWARDED_PROTO");
    FUZZ_CHECK(!https ||
               request.header("X-Forwarded-Proto").find("https") != std::string_view::npos);
    return 0;
}
