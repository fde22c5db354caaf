// Path pattern matching for route tables: literals, {name} (one segment), {name:path} (one or
// more segments; the shortest candidate the caller accepts wins), {name:rest} (zero or more).
// Matching is linear in the path length: {name:path} candidates are bounded (Limits).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace kallithea::http {

class Router {
public:
    using RouteId = size_t;
    // Called for {name:path} candidates, e.g. to accept only names of existing repositories.
    // `value` is a substring of the path given to find() (so its offset there is known).
    using Acceptor = std::function<bool(std::string_view param, std::string_view value)>;

    struct Match {
        RouteId id = 0;
        std::map<std::string, std::string> params;
    };
    // Bounds on the work one find() does, whatever the path.
    struct Limits {
        size_t max_segments = 512;         // longer paths match no route
        size_t path_param_segments = 128;  // a {name:path} value has at most this many segments
        size_t path_param_bytes = 1024;    // ... and at most this many bytes
    };
    struct Lookup {
        std::optional<Match> match;  // the route for this method and path
        bool path_matched = false;   // some route has this path, possibly for other methods (405)
    };

    // Patterns start with '/' and consist of whole segments: literals, {name}, {name:path},
    // {name:rest} (last only). A malformed pattern is a bug: throws std::invalid_argument.
    RouteId add(std::vector<Method> methods, std::string pattern);
    // Routes are tried in the order they were added; a route with GET also answers HEAD.
    // `accept` is asked about {name:path} candidates (shortest first) whose remainder matches,
    // at most limits().path_param_segments per parameter and route. One trailing slash on
    // `path` is ignored. Thread-safe on a const Router.
    Lookup find(Method method, std::string_view path, const Acceptor& accept = {}) const;
    const std::string& pattern(RouteId id) const;
    size_t size() const;
    void set_limits(Limits limits);
    const Limits& limits() const;

private:
    struct Route;
    std::vector<Route> routes_;
    Limits limits_;

public:
    Router();
    ~Router();
    Router(Router&&) noexcept;
    Router& operator=(Router&&) noexcept;
};

}  // namespace kallithea::http
