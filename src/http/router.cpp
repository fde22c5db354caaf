// Route table matching: splits paths into segments and matches them against parsed patterns,
// in time linear in the path length (bounded {name:path} candidates, no copies while matching).
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

// A path cut into segments; every part and every run of parts is a view into `whole`, so a run
// of segments is a substring of the path and never needs joining.
struct Parts {
    std::string_view whole;  // the path without its leading and one trailing slash
    std::vector<std::string_view> list;

    size_t size() const { return list.size(); }
    std::string_view operator[](size_t i) const { return list[i]; }
    // parts[begin..end) as one view (including the slashes between them).
    std::string_view run(size_t begin, size_t end) const {
        if (begin >= end)
            return whole.substr(whole.size());
        const char* first = list[begin].data();
        const char* last = list[end - 1].data() + list[end - 1].size();
        return {first, static_cast<size_t>(last - first)};
    }
};

// Splits "/a/b/c" into {"a","b","c"}; "/" gives no parts. One trailing slash is ignored.
// Stops after max_parts + 1 parts (the caller refuses such paths).
Parts split_path(std::string_view path, size_t max_parts) {
    Parts parts;
    if (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    if (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    parts.whole = path;
    if (path.empty())
        return parts;
    for (;;) {
        const size_t slash = path.find('/');
        parts.list.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos || parts.list.size() > max_parts)
            break;
        path.remove_prefix(slash + 1);
    }
    return parts;
}

std::vector<Segment> parse_pattern(const std::string& pattern) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': " + pattern);
    std::vector<Segment> segments;
    const Parts parts = split_path(pattern, pattern.size());
    for (std::string_view part : parts.list) {
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

// One matching attempt of a route against a path; values[i] is segment i's parameter value.
struct Attempt {
    const std::vector<Segment>& segments;
    const Parts& parts;
    const Router::Acceptor& accept;
    const Router::Limits& limits;
    std::vector<std::string_view> values;

    // Matches segments[si..] against parts[pi..]; backtracks over {name:path} lengths, shortest
    // first, at most limits.path_param_segments of them and none longer than
    // limits.path_param_bytes, asking `accept` only about candidates whose remainder matches.
    bool match_from(size_t si, size_t pi) {
        if (si == segments.size())
            return pi == parts.size();
        const Segment& segment = segments[si];
        switch (segment.kind) {
            case SegmentKind::literal:
                return pi < parts.size() && parts[pi] == segment.text && match_from(si + 1, pi + 1);
            case SegmentKind::param:
                if (pi >= parts.size() || parts[pi].empty() || !match_from(si + 1, pi + 1))
                    return false;
                values[si] = parts[pi];
                return true;
            case SegmentKind::rest:
                values[si] = parts.run(pi, parts.size());
                return true;
            case SegmentKind::path: {
                const size_t last = std::min(parts.size(), pi + limits.path_param_segments);
                for (size_t end = pi + 1; end <= last; ++end) {
                    if (parts[end - 1].empty())
                        return false;  // an empty segment cannot be part of a longer candidate
                    const std::string_view value = parts.run(pi, end);
                    if (value.size() > limits.path_param_bytes)
                        return false;
                    if (!match_from(si + 1, end))
                        continue;
                    if (accept && !accept(segment.text, value))
                        continue;
                    values[si] = value;
                    return true;
                }
                return false;
            }
        }
        return false;
    }
};

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

void Router::set_limits(Limits limits) {
    limits_ = limits;
}

const Router::Limits& Router::limits() const {
    return limits_;
}

Router::Lookup Router::find(Method method, std::string_view path, const Acceptor& accept) const {
    Lookup lookup;
    const Parts parts = split_path(path, limits_.max_segments);
    if (parts.size() > limits_.max_segments)
        return lookup;
    for (size_t id = 0; id < routes_.size(); ++id) {
        const Route& route = routes_[id];
        Attempt attempt{route.segments, parts, accept, limits_, {}};
        attempt.values.resize(route.segments.size());
        if (!attempt.match_from(0, 0))
            continue;
        lookup.path_matched = true;
        const auto& ms = route.methods;
        const bool allowed =
            std::find(ms.begin(), ms.end(), method) != ms.end() ||
            (method == Method::head && std::find(ms.begin(), ms.end(), Method::get) != ms.end());
        if (allowed) {
            Match match{id, {}};
            for (size_t i = 0; i < route.segments.size(); ++i)
                if (route.segments[i].kind != SegmentKind::literal)
                    match.params[route.segments[i].text] = std::string(attempt.values[i]);
            lookup.match = std::move(match);
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
