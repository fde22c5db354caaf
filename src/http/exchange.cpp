// Implementation of a request/response exchange: admission, dispatch to the handler and response
// framing (Content-Length, chunked or close-delimited bodies; HEAD sends the head only).
#include "http/exchange.hpp"

#include <array>
#include <charconv>
#include <exception>

#include "core/log.hpp"
#include "core/text.hpp"
#include "core/throw_trace.hpp"
#include "http/request_target.hpp"
#include "http/response_head.hpp"

namespace kallithea::http {
namespace {

// Streams a response body through the io: chunked framing or raw bytes, with the head sent
// together with the first piece of the body.
class StreamBodyWriter final : public BodyWriter {
public:
    StreamBodyWriter(ExchangeIo& io, std::string head, const ResponsePlan& plan)
        : io_(io), head_(std::move(head)), plan_(plan) {}

    bool write(std::string_view data) override {
        if (failed_)
            return false;
        if (plan_.framing == BodyFraming::content_length && data.size() > plan_.length - sent_) {
            log::warn("streamed body longer than its Content-Length {}; truncated", plan_.length);
            data = data.substr(0, static_cast<size_t>(plan_.length - sent_));
            failed_ = true;  // the producer should stop; the connection is not reused
        }
        if (data.empty())
            return !failed_;
        const bool chunked = plan_.framing == BodyFraming::chunked;
        std::array<char, 24> size_line{};
        char* end = std::to_chars(size_line.data(), size_line.data() + 16, data.size(), 16).ptr;
        *end++ = '\r';
        *end++ = '\n';
        std::array<std::string_view, 4> pieces;
        size_t count = 0;
        if (!head_sent_)
            pieces[count++] = head_;
        if (chunked)
            pieces[count++] = std::string_view(size_line.data(), end - size_line.data());
        pieces[count++] = data;
        if (chunked)
            pieces[count++] = "\r\n";
        if (!io_.write(std::span(pieces.data(), count))) {
            failed_ = true;
            return false;
        }
        head_sent_ = true;
        sent_ += data.size();
        return !failed_;
    }

    // Ends the body; false when the connection cannot be reused (or is broken).
    bool finish() {
        if (failed_)
            return false;
        std::array<std::string_view, 2> pieces;
        size_t count = 0;
        if (!head_sent_)
            pieces[count++] = head_;
        if (plan_.framing == BodyFraming::chunked)
            pieces[count++] = "0\r\n\r\n";
        if (count > 0 && !io_.write(std::span(pieces.data(), count)))
            return false;
        head_sent_ = true;
        if (plan_.framing == BodyFraming::content_length && sent_ != plan_.length) {
            log::warn("streamed body of {} bytes for Content-Length {}", sent_, plan_.length);
            return false;
        }
        return plan_.framing != BodyFraming::until_close;
    }

    bool started() const { return head_sent_; }
    uint64_t sent() const { return sent_; }

private:
    ExchangeIo& io_;
    std::string head_;
    ResponsePlan plan_;
    bool head_sent_ = false;
    bool failed_ = false;
    uint64_t sent_ = 0;
};

void log_exception(const Request& request, const std::exception& e) {
    log::error("request {} {} {} failed: {}\n{}", request.request_id,
               text::clip_for_log(request.method_text),
               text::clip_for_log(request.path.empty() ? request.target : request.path), e.what(),
               trace::describe_current_exception());
}

// The 405 or 400 answer for a request the handler must not see; fills path and raw_query.
std::optional<Response> screen(Request& request, const ErrorPageRenderer& error_page) {
    if (request.method != Method::get && request.method != Method::head &&
        request.method != Method::post) {
        Response response = error_page(405, request.request_id);
        response.headers.set("Allow", "GET, HEAD, POST");
        return response;
    }
    auto target = parse_request_target(request.target);
    if (!target) {
        log::debug("request {}: {} ({})", request.request_id, target.error().message,
                   text::clip_for_log(target.error().detail));
        return error_page(400, request.request_id);
    }
    request.path = std::move(target->path);
    request.raw_query = std::move(target->raw_query);
    return std::nullopt;
}

Response respond(Request& request, const Handler& handler, const ErrorPageRenderer& error_page) {
    if (auto refused = screen(request, error_page))
        return std::move(*refused);
    try {
        return handler(request);
    } catch (const std::exception& e) {
        log_exception(request, e);
        return error_page(500, request.request_id);
    }
}

// Writes `response`; `keep_alive` is what the connection allows; `allow_error_page` whether a
// stream failing before its first byte may be replaced by a 500 page. Returns whether the
// connection may be reused.
bool send_response(const Request& request, Response& response, bool keep_alive,
                   bool allow_error_page, ExchangeIo& io, const ErrorPageRenderer& error_page,
                   ExchangeResult& result) {
    const bool head = request.method == Method::head;
    const ResponsePlan plan = plan_response(response, head, request.version, keep_alive);
    result.status = response.status;
    std::string head_text =
        serialize_response_head(response, plan, request.version, request.request_id);
    if (!response.stream || !plan.send_body) {
        const bool with_body = plan.send_body && !response.stream;
        result.bytes_sent = with_body ? response.body.size() : 0;
        if (!io.write_owned(std::move(head_text), with_body ? std::move(response.body) : ""))
            return false;
        return plan.keep_alive;
    }
    result.streamed = true;
    StreamBodyWriter writer(io, std::move(head_text), plan);
    try {
        response.stream(writer);
    } catch (const std::exception& e) {
        log_exception(request, e);
        result.bytes_sent = writer.sent();
        if (writer.started() || !allow_error_page)
            return false;  // the client sees a truncated body
        // Nothing was sent yet: answer 500 instead, then close.
        Response error = error_page(500, request.request_id);
        send_response(request, error, false, false, io, error_page, result);
        return false;
    }
    const bool reusable = writer.finish();
    result.bytes_sent = writer.sent();
    return reusable && plan.keep_alive;
}

}  // namespace

ExchangeResult serve_exchange(Request& request, ExchangeIo& io, const Handler& handler,
                              const ErrorPageRenderer& error_page) {
    ExchangeResult result;
    Response response = respond(request, handler, error_page);
    result.reusable =
        send_response(request, response, io.may_keep_alive(), true, io, error_page, result);
    return result;
}

std::optional<Response> admit_exchange(Request& request, const Admitter& admit,
                                       const ErrorPageRenderer& error_page) {
    if (auto refused = screen(request, error_page))
        return refused;
    if (!admit)
        return std::nullopt;
    try {
        return admit(request);
    } catch (const std::exception& e) {
        log_exception(request, e);
        return error_page(500, request.request_id);
    }
}

ExchangeResult send_refusal(Request& request, Response& response, ExchangeIo& io,
                            const ErrorPageRenderer& error_page) {
    ExchangeResult result;
    send_response(request, response, false, true, io, error_page, result);
    result.reusable = false;
    return result;
}

}  // namespace kallithea::http
