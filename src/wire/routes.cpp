// The route table and path matching of the Git smart-HTTP surface.
#include "wire/routes.hpp"

#include "wire/context.hpp"

namespace kallithea::wire {
namespace {

using http::Method;
using service::GitService;

constexpr std::string_view kInfoRefs = "/info/refs";

// The route suffix a path ends with, for this method; "" when none.
std::string_view suffix_of(const http::Request& request) {
    for (const auto& route : route_table()) {
        bool method_ok = false;
        for (auto m : route.methods)
            method_ok = method_ok || m == request.method;
        if (method_ok && request.path.size() > route.suffix.size() + 1 &&
            std::string_view(request.path).ends_with(route.suffix))
            return route.suffix;
    }
    return {};
}

bool valid_repo_name(std::string_view name) {
    if (name.empty())
        return false;
    while (true) {
        const auto slash = name.find('/');
        const std::string_view segment = name.substr(0, slash);
        if (segment.empty() || segment == "." || segment == "..")
            return false;
        if (slash == std::string_view::npos)
            return true;
        name.remove_prefix(slash + 1);
    }
}

}  // namespace

const std::vector<WireRoute>& route_table() {
    static const std::vector<WireRoute> table = {
        {{Method::get, Method::head},
         kInfoRefs,
         "git-upload-pack",
         GitService::upload_pack,
         Need::repo_read,
         advertise_refs},
        {{Method::get, Method::head},
         kInfoRefs,
         "git-receive-pack",
         GitService::receive_pack,
         Need::repo_write,
         advertise_refs},
        {{Method::post}, "/git-upload-pack", "", GitService::upload_pack, Need::repo_read, run_rpc},
        {{Method::post},
         "/git-receive-pack",
         "",
         GitService::receive_pack,
         Need::repo_write,
         run_rpc},
    };
    return table;
}

bool claims(const http::Request& request) {
    const std::string_view suffix = suffix_of(request);
    if (suffix.empty())
        return false;
    return suffix != kInfoRefs || request.query_param("service").has_value();
}

WireMatch match_route(const http::Request& request) {
    WireMatch match;
    const std::string_view suffix = suffix_of(request);
    if (suffix.empty())
        return match;
    const std::string_view path = request.path;
    const std::string_view name = path.substr(1, path.size() - 1 - suffix.size());
    if (valid_repo_name(name))
        match.repo_name = std::string(name);
    const std::string service = request.query_param("service").value_or("");
    for (const auto& route : route_table()) {
        bool method_ok = false;
        for (auto m : route.methods)
            method_ok = method_ok || m == request.method;
        if (method_ok && route.suffix == suffix &&
            (route.suffix != kInfoRefs || route.service == service)) {
            match.route = &route;
            break;
        }
    }
    return match;
}

}  // namespace kallithea::wire
