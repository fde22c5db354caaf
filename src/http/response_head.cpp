// Implementation of response head serialization and response framing decisions.
#include "http/response_head.hpp"
#include "core/text.hpp"

#include <charconv>

#include "core/log.hpp"

namespace kallithea::http {
namespace {

using text::ascii_iequals;
using text::hex_value;

bool header_is_safe(std::string_view name, std::string_view value) {
    if (name.empty())
        return false;
    for (const char c : name) {
        if (c <= ' ' || c == ':' || c == 0x7f)
            return false;
    }
    for (const char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

bool is_framing_header(std::string_view name) {
    return ascii_iequals(name, "Content-Length") || ascii_iequals(name, "Transfer-Encoding") ||
           ascii_iequals(name, "Connection") || ascii_iequals(name, "X-Request-Id");
}

std::optional<uint64_t> parse_length(std::string_view text) {
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

}  // namespace

ResponsePlan plan_response(const Response& response, bool head_request, int version,
                           bool keep_alive) {
    ResponsePlan plan;
    plan.keep_alive = keep_alive;
    const int status = response.status;
    if ((status >= 100 && status < 200) || status == 204 || status == 304) {
        plan.framing = BodyFraming::none;
        plan.send_body = false;
        return plan;
    }
    plan.send_body = !head_request;
    if (!response.stream) {
        plan.framing = BodyFraming::content_length;
        plan.length = response.body.size();
        return plan;
    }
    if (auto declared = response.headers.get("Content-Length")) {
        if (auto length = parse_length(*declared)) {
            plan.framing = BodyFraming::content_length;
            plan.length = *length;
            return plan;
        }
        log::warn("ignoring malformed Content-Length '{}' set by a handler", *declared);
    }
    if (version >= 11) {
        plan.framing = BodyFraming::chunked;
    } else {
        plan.framing = BodyFraming::until_close;
        plan.keep_alive = false;
    }
    return plan;
}

std::string serialize_response_head(const Response& response, const ResponsePlan& plan, int version,
                                    const std::string& request_id) {
    std::string out;
    out.reserve(256);
    out.append("HTTP/1.1 ");
    out.append(std::to_string(response.status));
    out.push_back(' ');
    out.append(status_reason(response.status));
    out.append("\r\n");
    for (const auto& [name, value] : response.headers.items()) {
        if (is_framing_header(name))
            continue;
        if (!header_is_safe(name, value)) {
            log::warn("dropping response header '{}' with forbidden characters", name);
            continue;
        }
        out.append(name);
        out.append(": ");
        out.append(value);
        out.append("\r\n");
    }
    if (!request_id.empty()) {
        out.append("X-Request-Id: ");
        out.append(request_id);
        out.append("\r\n");
    }
    switch (plan.framing) {
        case BodyFraming::content_length:
            out.append("Content-Length: ");
            out.append(std::to_string(plan.length));
            out.append("\r\n");
            break;
        case BodyFraming::chunked:
            out.append("Transfer-Encoding: chunked\r\n");
            break;
        case BodyFraming::none:
        case BodyFraming::until_close:
            break;
    }
    if (!plan.keep_alive)
        out.append("Connection: close\r\n");
    else if (version < 11)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
    return out;
}

Response plain_error_response(int status, const std::string& request_id) {
    std::string body = std::to_string(status) + " " + std::string(status_reason(status)) + "\n";
    if (status == 500 && !request_id.empty())
        body += "Request id: " + request_id + "\n";
    return Response::text(status, std::move(body));
}

}  // namespace kallithea::http
