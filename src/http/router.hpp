// Path pattern matching for route tables: literals, {name} (one segment), {name:path} (one or
// more segments; the shortest candidate the caller accepts wins), {name:rest} (zero or more).
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
    using Acceptor = std::function<bool(std::string_view param, std::string_view value)>;

    struct Match {
        RouteId id = 0;
        std::map<std::string, std::string> params;
    };
    struct Lookup {
        std::optional<Match> match;  // the route for this method and path
        bool path_matched = false;   // some route has this path, possibly for other methods (405)
    };

    // Patterns start with '/' and consist of whole segments: literals, {name}, {name:path},
    // {name:rest} (last only). A malformed pattern is a bug: throws std::invalid_argument.
    RouteId add(std::vector<Method> methods, std::string pattern);
    // Routes are tried in the order they were added; a route with GET also answers HEAD.
    // `accept` is asked about {name:path} candidates (shortest first) whose remainder matches.
    // One trailing slash on `path` is ignored. Thread-safe on a const Router.
    Lookup find(Method method, std::string_view path, const Acceptor& accept = {}) const;
    const std::string& pattern(RouteId id) const;
    size_t size() const;

private:
    struct Route;
    std::vector<Route> routes_;

public:
    Router();
    ~Router();
    Router(Router&&) noexcept;
    Router& operator=(Router&&) noexcept;
};

}  // namespace kallithea::http
