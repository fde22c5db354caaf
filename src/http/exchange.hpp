// One request/response exchange on a worker thread: request validation, the handler call (the
// one place handler exceptions are caught), response framing and writing. Independent of the
// socket library; the connection supplies an ExchangeIo.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "http/message.hpp"
#include "http/server.hpp"

namespace kallithea::http {

// What an exchange needs from the connection it runs on.
class ExchangeIo {
public:
    virtual ~ExchangeIo() = default;
    // Writes the pieces in order (gathered into one write where possible, at most 4 pieces);
    // false when the client has gone away or stalled, after which the connection is unusable.
    virtual bool write(std::span<const std::string_view> pieces) = 0;
    // Whether the connection could serve another request after this response: the client
    // wants keep-alive, the server is not draining, and any unread body can be drained.
    virtual bool may_keep_alive() const = 0;
};

struct ExchangeResult {
    int status = 0;
    uint64_t bytes_sent = 0;  // body bytes
    bool reusable = false;    // the response said keep-alive and was written completely
};

// Answers `request` (head parsed; method_text, target, version, headers, request_id and body
// set; path and raw_query are filled here): 405 for methods other than GET/HEAD/POST, 400 for
// bad targets (see parse_request_target), else the handler's response. Exceptions from the
// handler or its stream are logged with their throw-site trace and answered with a 500 page
// when nothing was sent yet. `error_page` must always return a response.
ExchangeResult serve_exchange(Request& request, ExchangeIo& io, const Handler& handler,
                              const ErrorPageRenderer& error_page);

}  // namespace kallithea::http
