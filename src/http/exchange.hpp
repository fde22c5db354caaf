// One request/response exchange on a worker thread: request validation, the handler call (the
// one place handler exceptions are caught), response framing and queueing for the io side.
// Independent of the socket library; the connection supplies an ExchangeIo.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
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
    // Writes a head and a whole body the exchange no longer needs (a non-streamed response).
    virtual bool write_owned(std::string head, std::string body) {
        const std::string_view pieces[] = {head, body};
        return write(pieces);
    }
    // Whether the connection could serve another request after this response: the client
    // wants keep-alive, the server is not draining, and any unread body can be drained.
    virtual bool may_keep_alive() const = 0;
};

struct ExchangeResult {
    int status = 0;
    uint64_t bytes_sent = 0;  // body bytes
    bool reusable = false;    // the response said keep-alive and was written completely
    bool streamed = false;    // the body came from Response::stream
};

// Answers `request` (head parsed; method_text, target, version, headers, request_id and body
// set; path and raw_query are filled here): 405 for methods other than GET/HEAD/POST, 400 for
// bad targets (see parse_request_target), else the handler's response. Exceptions from the
// handler or its stream are logged with their throw-site trace and answered with a 500 page
// when nothing was sent yet. `error_page` must always return a response.
ExchangeResult serve_exchange(Request& request, ExchangeIo& io, const Handler& handler,
                              const ErrorPageRenderer& error_page);

// Screens a request before its body is received: the 405 or 400 serve_exchange would answer,
// else what `admit` says (nullopt: accepted; an empty `admit` accepts). Exceptions from `admit`
// are logged and answered with a 500 page.
std::optional<Response> admit_exchange(Request& request, const Admitter& admit,
                                       const ErrorPageRenderer& error_page);

// Sends `response` (a refusal) and says the connection is to be closed.
ExchangeResult send_refusal(Request& request, Response& response, ExchangeIo& io,
                            const ErrorPageRenderer& error_page);

}  // namespace kallithea::http
