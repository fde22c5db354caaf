// Fuzz target: the Git smart-HTTP surface's path matching (wire::claims, wire::match_route:
// repository name + /info/refs, /git-upload-pack, /git-receive-pack), behind request-target
// parsing as in the server. The handlers are stand-ins: only the table is linked.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/request_target.hpp"
#include "wire/routes.hpp"

using namespace kallithea;

namespace kallithea::wire {
// The route table points at the handlers; the fuzz build does not link them.
http::Response advertise_refs(WireCtx&) {
    std::abort();
}
http::Response run_rpc(WireCtx&) {
    std::abort();
}
}  // namespace kallithea::wire

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    static constexpr http::Method kMethods[] = {http::Method::get, http::Method::head,
                                                http::Method::post, http::Method::put};
    const auto target = http::parse_request_target(
        std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    if (!target)
        return 0;
    http::Request request;
    request.method = kMethods[data[0] % 4];
    request.path = target->path;
    request.raw_query = target->raw_query;

    const bool claimed = wire::claims(request);
    const wire::WireMatch match = wire::match_route(request);
    if (!claimed)
        FUZZ_CHECK(match.route == nullptr);
    if (match.route) {
        const auto& methods = match.route->methods;
        FUZZ_CHECK(std::find(methods.begin(), methods.end(), request.method) != methods.end());
        FUZZ_CHECK(request.path.ends_with(match.route->suffix));
        if (!match.route->service.empty())
            FUZZ_CHECK(request.query_param("service") == std::string(match.route->service));
    }
    if (!match.repo_name.empty()) {
        // The name is the path between the leading '/' and a route's suffix, with no empty,
        // "." or ".." segment.
        bool framed = false;
        for (const auto& route : wire::route_table())
            framed = framed || request.path == "/" + match.repo_name + std::string(route.suffix);
        FUZZ_CHECK(framed);
        const std::string segments = "/" + match.repo_name + "/";
        FUZZ_CHECK(segments.find("//") == std::string::npos);
        FUZZ_CHECK(segments.find("/./") == std::string::npos);
        FUZZ_CHECK(segments.find("/../") == std::string::npos);
    }
    return 0;
}
