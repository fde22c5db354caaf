// Fuzz target: the route matcher (http::Router::find) over the web surface's route table, with
// an acceptor that knows a few repository and group names, behind request-target parsing as in
// the server. The table is fuzz/web_routes.txt, which src/web/routes_test.cpp keeps equal to
// web::route_table() (the fuzz build does not link the web layer).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "http/request_target.hpp"
#include "http/router.hpp"

using namespace kallithea;

namespace {

struct Table {
    http::Router router;
    std::vector<std::vector<http::Method>> methods;
};

Table* table = nullptr;

const std::set<std::string, std::less<>> kRepos = {"r", "g/r", "g/h/r", "files", "g/raw", "_admin"};
const std::set<std::string, std::less<>> kGroups = {"g", "g/h", "files"};

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        const size_t at = text.find(sep);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return out;
        text.remove_prefix(at + 1);
    }
}

// "/a/b/" -> "a/b": how the router sees a path (one leading and one trailing slash dropped).
std::string_view router_view(std::string_view path) {
    path.remove_prefix(1);
    if (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    return path;
}

// The path a pattern stands for with these parameter values (as the router sees paths).
std::string substitute(const std::string& pattern,
                       const std::map<std::string, std::string>& params) {
    std::string out;
    const std::string_view view = router_view(pattern);
    if (view.empty())
        return out;  // the pattern "/"
    bool first = true;
    for (const auto segment : split(view, '/')) {
        std::string piece(segment);
        if (segment.front() == '{') {
            const size_t end = std::min(segment.find(':'), segment.size() - 1);
            const auto it = params.find(std::string(segment.substr(1, end - 1)));
            FUZZ_CHECK(it != params.end());
            piece = it->second;
            if (segment.ends_with(":rest}") && piece.empty())
                continue;
        }
        if (!first)
            out += '/';
        out += piece;
        first = false;
    }
    return out;
}

bool has_empty_rest(const std::string& pattern, const std::map<std::string, std::string>& params) {
    const size_t open = pattern.rfind('{');
    if (open == std::string::npos || !pattern.ends_with(":rest}"))
        return false;
    const auto it = params.find(pattern.substr(open + 1, pattern.size() - open - 7));
    return it != params.end() && it->second.empty();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::ifstream in(KALLITHEA_WEB_ROUTES_FILE);
    FUZZ_CHECK(in);
    table = new Table;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#')
            continue;
        const size_t space = line.find(' ');
        FUZZ_CHECK(space != std::string::npos);
        std::vector<http::Method> methods;
        for (auto name : split(std::string_view(line).substr(0, space), ','))
            methods.push_back(http::parse_method(name));
        table->router.add(methods, line.substr(space + 1));
        table->methods.push_back(methods);
    }
    FUZZ_CHECK(table->router.size() > 20);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    static constexpr http::Method kMethods[] = {http::Method::get, http::Method::head,
                                                http::Method::post, http::Method::put};
    const http::Method method = kMethods[data[0] % 4];
    const auto target = http::parse_request_target(
        std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    if (!target)
        return 0;
    size_t asked = 0;
    const auto accept = [&](std::string_view param, std::string_view value) {
        ++asked;
        FUZZ_CHECK(!value.empty() && value.front() != '/' && value.back() != '/');
        if (param == "repo")
            return kRepos.contains(value);
        if (param == "group")
            return kGroups.contains(value);
        return true;
    };
    const auto lookup = table->router.find(method, target->path, accept);
    if (!lookup.match)
        return 0;
    FUZZ_CHECK(lookup.path_matched);
    const auto& match = *lookup.match;
    FUZZ_CHECK(match.id < table->methods.size());
    const auto& allowed = table->methods[match.id];
    const auto allows = [&](http::Method m) {
        return std::find(allowed.begin(), allowed.end(), m) != allowed.end();
    };
    FUZZ_CHECK(allows(method) || (method == http::Method::head && allows(http::Method::get)));
    for (const auto& [name, value] : match.params) {
        // Parameters never hold a dot segment, and only {name:rest} may hold an empty one.
        for (const auto segment : split(value, '/'))
            FUZZ_CHECK(segment != "." && segment != "..");
        if (name == "repo")
            FUZZ_CHECK(kRepos.contains(value));
        if (name == "group")
            FUZZ_CHECK(kGroups.contains(value));
    }
    // The parameters put back into the pattern give the path (an empty {name:rest} stands for
    // no segment or for one empty one: "/r/files/tip" and "/r/files/tip//").
    const std::string rebuilt = substitute(table->router.pattern(match.id), match.params);
    const std::string_view path = router_view(target->path);
    FUZZ_CHECK(rebuilt == path || (has_empty_rest(table->router.pattern(match.id), match.params) &&
                                   rebuilt + "/" == path));
    return 0;
}
