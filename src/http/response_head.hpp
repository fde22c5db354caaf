// The wire form of a response head (status line, headers, framing) and the server's own plain
// error responses; kept apart from the socket code so it can be tested and reused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace kallithea::http {

enum class BodyFraming {
    none,            // status without a body (1xx, 204, 304)
    content_length,  // Content-Length: length
    chunked,         // Transfer-Encoding: chunked
    until_close,  // HTTP/1.0 client and unknown length: the end of the body closes the connection
};

struct ResponsePlan {
    BodyFraming framing = BodyFraming::content_length;
    uint64_t length = 0;     // for content_length
    bool send_body = true;   // false for HEAD and body-less statuses
    bool keep_alive = true;  // the Connection header to send
};

// Decides framing for `response` to a request of that method and HTTP version (10 or 11).
// keep_alive starts as `keep_alive` and is cleared when the framing needs the connection closed.
ResponsePlan plan_response(const Response& response, bool head_request, int version,
                           bool keep_alive);

// Status line and headers up to and including the blank line. Handler headers that would break
// framing (Content-Length, Transfer-Encoding, Connection) are replaced by the plan's; headers
// with CR, LF or NUL in them are dropped (logged).
std::string serialize_response_head(const Response& response, const ResponsePlan& plan, int version,
                                    const std::string& request_id);

// The fallback error page: "<code> <reason>\n", plus "Request id: <id>\n" for 500.
Response plain_error_response(int status, const std::string& request_id);

}  // namespace kallithea::http
