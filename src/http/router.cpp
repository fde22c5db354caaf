// Route table matching: splits paths into segments and matches them against parsed patterns.
#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace kallithea::http {
namespace {

enum class SegmentKind { literal, param, path, rest };

struct Segment {
    SegmentKind kind = SegmentKind::literal;
    std::string text;  // the literal, or the parameter name
};

using Parts = std::vector<std::string_view>;

// Splits "/a/b/c" into {"a","b","c"}; "/" gives no parts. One trailing slash is ignored.
Parts split_path(std::string_view path) {
    Parts parts;
    if (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    if (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    if (path.empty())
        return parts;
    for (;;) {
        const size_t slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            break;
        path.remove_prefix(slash + 1);
    }
    return parts;
}

std::string join(const Parts& parts, size_t begin, size_t end) {
    std::string out;
    for (size_t i = begin; i < end; ++i) {
        if (i != begin)
            out.push_back('/');
        out.append(parts[i]);
    }
    return out;
}

std::vector<Segment> parse_pattern(const std::string& pattern) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': " + pattern);
    std::vector<Segment> segments;
    for (std::string_view part : split_path(pattern)) {
        Segment segment;
        if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
            std::string_view inner = part.substr(1, part.size() - 2);
            const size_t colon = inner.find(':');
            segment.kind = SegmentKind::param;
            if (colon != std::string_view::npos) {
                const std::string_view kind = inner.substr(colon + 1);
                if (kind == "path")
                    segment.kind = SegmentKind::path;
                else if (kind == "rest")
                    segment.kind = SegmentKind::rest;
                else
                    throw std::invalid_argument("unknown parameter kind in route: " + pattern);
                inner = inner.substr(0, colon);
            }
            if (inner.empty())
                throw std::invalid_argument("unnamed parameter in route: " + pattern);
            segment.text = std::string(inner);
        } else {
            if (part.find_first_of("{}") != std::string_view::npos)
                throw std::invalid_argument("partial parameter segment in route: " + pattern);
            segment.text = std::string(part);
        }
        if (!segments.empty() && segments.back().kind == SegmentKind::rest)
            throw std::invalid_argument("{name:rest} must be the last segment: " + pattern);
        segments.push_back(std::move(segment));
    }
    return segments;
}

using Params = std::map<std::string, std::string>;

// Matches segments[si..] against parts[pi..], filling params; backtracks over {name:path}
// lengths, shortest first, asking `accept` only about candidates whose remainder matches.
bool match_from(const std::vector<Segment>& segments, size_t si, const Parts& parts, size_t pi,
                const Router::Acceptor& accept, Params& params) {
    if (si == segments.size())
        return pi == parts.size();
    const Segment& segment = segments[si];
    switch (segment.kind) {
        case SegmentKind::literal:
            return pi < parts.size() && parts[pi] == segment.text &&
                   match_from(segments, si + 1, parts, pi + 1, accept, params);
        case SegmentKind::param:
            if (pi >= parts.size() || parts[pi].empty())
                return false;
            if (!match_from(segments, si + 1, parts, pi + 1, accept, params))
                return false;
            params[segment.text] = std::string(parts[pi]);
            return true;
        case SegmentKind::rest:
            params[segment.text] = join(parts, pi, parts.size());
            return true;
        case SegmentKind::path:
            for (size_t end = pi + 1; end <= parts.size(); ++end) {
                if (parts[end - 1].empty())
                    return false;  // an empty segment cannot be part of a longer candidate
                if (!match_from(segments, si + 1, parts, end, accept, params))
                    continue;
                std::string value = join(parts, pi, end);
                if (accept && !accept(segment.text, value))
                    continue;
                params[segment.text] = std::move(value);
                return true;
            }
            return false;
    }
    return false;
}

}  // namespace

struct Router::Route {
    std::vector<Method> methods;
    std::string pattern;
    std::vector<Segment> segments;
};

Router::Router() = default;
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Router::RouteId Router::add(std::vector<Method> methods, std::string pattern) {
    Route route;
    route.segments = parse_pattern(pattern);
    route.methods = std::move(methods);
    route.pattern = std::move(pattern);
    routes_.push_back(std::move(route));
    return routes_.size() - 1;
}

Router::Lookup Router::find(Method method, std::string_view path, const Acceptor& accept) const {
    Lookup lookup;
    const Parts parts = split_path(path);
    for (size_t id = 0; id < routes_.size(); ++id) {
        const Route& route = routes_[id];
        Params params;
        if (!match_from(route.segments, 0, parts, 0, accept, params))
            continue;
        lookup.path_matched = true;
        const auto& ms = route.methods;
        const bool allowed =
            std::find(ms.begin(), ms.end(), method) != ms.end() ||
            (method == Method::head && std::find(ms.begin(), ms.end(), Method::get) != ms.end());
        if (allowed) {
            lookup.match = Match{id, std::move(params)};
            return lookup;
        }
    }
    return lookup;
}

const std::string& Router::pattern(RouteId id) const {
    return routes_.at(id).pattern;
}

size_t Router::size() const {
    return routes_.size();
}

}  // namespace kallithea::http
