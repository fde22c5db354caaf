// Implementation of the HTTP message types: headers, request helpers, response factories and
// the percent-encoding/form helpers every surface uses.
#include "http/message.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>

namespace kallithea::http {
namespace {

using text::ascii_iequals;

// The reason phrases of the statuses we send, by status (sorted: status_reason searches it).
struct StatusReason {
    int status;
    std::string_view reason;
};
constexpr StatusReason kStatusReasons[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {204, "No Content"},
    {206, "Partial Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Payload Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {422, "Unprocessable Entity"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
};
static_assert(std::ranges::is_sorted(kStatusReasons, {}, &StatusReason::status));

}  // namespace

Method parse_method(std::string_view name) {
    if (name == "GET")
        return Method::get;
    if (name == "HEAD")
        return Method::head;
    if (name == "POST")
        return Method::post;
    if (name == "PUT")
        return Method::put;
    if (name == "DELETE")
        return Method::del;
    if (name == "OPTIONS")
        return Method::options;
    if (name == "PATCH")
        return Method::patch;
    return Method::other;
}

std::string_view method_name(Method method) {
    switch (method) {
        case Method::get:
            return "GET";
        case Method::head:
            return "HEAD";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::del:
            return "DELETE";
        case Method::options:
            return "OPTIONS";
        case Method::patch:
            return "PATCH";
        case Method::other:
            return "OTHER";
    }
    return "OTHER";
}

void Headers::add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
    remove(name);
    items_.emplace_back(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    std::erase_if(items_, [&](const auto& item) { return ascii_iequals(item.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& [key, value] : items_) {
        if (ascii_iequals(key, name))
            return std::string_view(value);
    }
    return std::nullopt;
}

Result<std::string> Request::read_body(size_t limit) {
    std::string out;
    if (body == nullptr)
        return out;
    if (content_length && *content_length <= limit)
        out.reserve(static_cast<size_t>(*content_length));
    std::array<char, 64 * 1024> chunk;
    for (;;) {
        auto n = body->read(chunk.data(), chunk.size());
        RETURN_IF_ERROR(n);
        if (*n == 0)
            return out;
        if (out.size() + *n > limit)
            return fail(Errc::too_large, "Request body too large",
                        "body longer than " + std::to_string(limit) + " bytes");
        out.append(chunk.data(), *n);
    }
}

std::vector<std::pair<std::string, std::string>> Request::query() const {
    return parse_form(raw_query);
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    for (auto& [key, value] : query()) {
        if (key == name)
            return std::move(value);
    }
    return std::nullopt;
}

std::string Request::host() const {
    auto value = headers.get("Host");
    if (!value || value->empty())
        return "localhost";
    return std::string(*value);
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.headers.add("Content-Type", std::move(content_type));
    // Browsers must take the type as given (JSON, feeds, plain text are never run as HTML).
    r.headers.add("X-Content-Type-Options", "nosniff");
    r.body = std::move(body);
    return r;
}

Response Response::html(int status, std::string body) {
    return text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::json(int status, std::string body) {
    return text(status, std::move(body), "application/json; charset=utf-8");
}

Response Response::redirect(std::string location, int status) {
    Response r;
    r.status = status;
    r.headers.add("Location", std::move(location));
    return r;
}

std::string_view status_reason(int status) {
    const auto* it = std::ranges::lower_bound(kStatusReasons, status, {}, &StatusReason::status);
    if (it != std::end(kStatusReasons) && it->status == status)
        return it->reason;
    return "Unknown";
}

std::string percent_encode(std::string_view s, bool keep_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                                (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' ||
                                u == '~' || (keep_slash && u == '/');
        if (unreserved) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kDigits[u >> 4]);
            out.push_back(kDigits[u & 15]);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!body.empty()) {
        const size_t amp = body.find('&');
        const std::string_view part = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (part.empty())
            continue;
        const size_t eq = part.find('=');
        if (eq == std::string_view::npos) {
            out.emplace_back(text::percent_decode_lenient(part, true), std::string());
        } else {
            out.emplace_back(text::percent_decode_lenient(part.substr(0, eq), true),
                             text::percent_decode_lenient(part.substr(eq + 1), true));
        }
    }
    return out;
}

}  // namespace kallithea::http
