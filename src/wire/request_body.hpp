// The body of a Git RPC request as git must see it, streamed: `Content-Encoding: gzip` (which
// git clients use for large negotiation requests) is inflated on the fly, and the decoded size is
// bounded (a few hundred KB of gzip inflate to tens of MB).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/message.hpp"

namespace kallithea::wire {

class RequestBody {
public:
    // A decoder for `content_encoding` ("", "identity", "gzip" or "x-gzip"); Errc::invalid_argument
    // for other encodings. `body` must outlive the object. Reads fail with Errc::too_large once
    // more than `max_decoded` bytes were decoded.
    static Result<std::unique_ptr<RequestBody>> open(http::BodyReader& body,
                                                     std::string_view content_encoding,
                                                     uint64_t max_decoded);
    ~RequestBody();
    RequestBody(const RequestBody&) = delete;
    RequestBody& operator=(const RequestBody&) = delete;

    // Reads the first piece of the raw body now, so that an `Expect: 100-continue` client gets
    // its 100 and read failures can still become a status code before the response starts.
    // The reader's errors (too_large, io); Errc::invalid_argument when a gzip body does not
    // start with the gzip magic.
    Status prefetch();
    // The next decoded bytes (up to size); 0 at the end. Errc::invalid_argument for a corrupt or
    // truncated gzip stream; Errc::too_large past max_decoded; the reader's errors.
    Result<size_t> read(char* buf, size_t size);
    // Decoded bytes handed out so far.
    uint64_t decoded() const { return decoded_; }

private:
    struct Inflater;
    RequestBody(http::BodyReader& body, bool gzip, uint64_t max_decoded);
    // Reads more raw bytes into raw_ when it is used up; false at the end of the body.
    Result<bool> fill();
    Result<size_t> read_decoded(char* buf, size_t size);

    http::BodyReader& body_;
    std::vector<char> raw_;
    size_t raw_pos_ = 0;
    size_t raw_len_ = 0;
    bool raw_eof_ = false;
    std::unique_ptr<Inflater> inflater_;  // null for identity
    uint64_t max_decoded_;
    uint64_t decoded_ = 0;
};

}  // namespace kallithea::wire
