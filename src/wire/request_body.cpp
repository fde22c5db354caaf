// Streaming request body decoding with zlib.
#include "wire/request_body.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "core/text.hpp"

namespace kallithea::wire {
namespace {

constexpr size_t kRawChunk = 64 * 1024;

}  // namespace

struct RequestBody::Inflater {
    z_stream stream{};
    bool ended = false;
    Inflater() { inflateInit2(&stream, 16 + MAX_WBITS); }  // gzip framing only
    ~Inflater() { inflateEnd(&stream); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
};

RequestBody::RequestBody(http::BodyReader& body, bool gzip, uint64_t max_decoded)
    : body_(body), raw_(kRawChunk), max_decoded_(max_decoded) {
    if (gzip)
        inflater_ = std::make_unique<Inflater>();
}

RequestBody::~RequestBody() = default;

Result<std::unique_ptr<RequestBody>> RequestBody::open(http::BodyReader& body,
                                                       std::string_view content_encoding,
                                                       uint64_t max_decoded) {
    if (content_encoding.empty() || text::ascii_iequals(content_encoding, "identity"))
        return std::unique_ptr<RequestBody>(new RequestBody(body, false, max_decoded));
    if (text::ascii_iequals(content_encoding, "gzip") ||
        text::ascii_iequals(content_encoding, "x-gzip"))
        return std::unique_ptr<RequestBody>(new RequestBody(body, true, max_decoded));
    return fail(Errc::invalid_argument, "Unsupported Content-Encoding",
                std::string(content_encoding));
}

Result<bool> RequestBody::fill() {
    if (raw_pos_ < raw_len_)
        return true;
    if (raw_eof_)
        return false;
    auto n = body_.read(raw_.data(), raw_.size());
    RETURN_IF_ERROR(n);
    raw_pos_ = 0;
    raw_len_ = *n;
    raw_eof_ = *n == 0;
    return !raw_eof_;
}

Status RequestBody::prefetch() {
    auto filled = fill();
    RETURN_IF_ERROR(filled);
    // A body that does not even start like gzip is refused while a status can still be sent.
    if (inflater_ && raw_len_ >= 2 &&
        (static_cast<unsigned char>(raw_[0]) != 0x1F ||
         static_cast<unsigned char>(raw_[1]) != 0x8B))
        return fail(Errc::invalid_argument, "Corrupt gzip request body", "no gzip magic");
    return ok();
}

Result<size_t> RequestBody::read(char* buf, size_t size) {
    // One byte more than the limit is asked for, so that a body of exactly the limit passes.
    const uint64_t left = max_decoded_ - std::min(decoded_, max_decoded_);
    auto n = read_decoded(buf, left >= size ? size : static_cast<size_t>(left) + 1);
    if (!n)
        return n;
    decoded_ += *n;
    if (decoded_ > max_decoded_)
        return fail(Errc::too_large, "Request body too large",
                    "more than " + std::to_string(max_decoded_) + " bytes once decoded");
    return n;
}

Result<size_t> RequestBody::read_decoded(char* buf, size_t size) {
    if (size == 0)
        return 0;
    if (!inflater_) {
        if (raw_pos_ == raw_len_ && !raw_eof_)
            return body_.read(buf, size);  // nothing buffered: no copy
        auto more = fill();
        RETURN_IF_ERROR(more);
        const size_t n = std::min(size, raw_len_ - raw_pos_);
        std::memcpy(buf, raw_.data() + raw_pos_, n);
        raw_pos_ += n;
        return n;
    }
    z_stream& z = inflater_->stream;
    while (!inflater_->ended) {
        auto more = fill();
        RETURN_IF_ERROR(more);
        z.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_pos_);
        z.avail_in = static_cast<uInt>(raw_len_ - raw_pos_);
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
        const uInt out_before = z.avail_out;
        const int rc = inflate(&z, Z_NO_FLUSH);
        raw_pos_ = raw_len_ - z.avail_in;
        const size_t produced = out_before - z.avail_out;
        if (rc == Z_STREAM_END)
            inflater_->ended = true;  // anything after the gzip member is ignored
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            return fail(Errc::invalid_argument, "Corrupt gzip request body",
                        z.msg ? z.msg : "inflate failed");
        if (produced > 0)
            return produced;
        if (!*more && !inflater_->ended)
            return fail(Errc::invalid_argument, "Truncated gzip request body");
    }
    return 0;
}

}  // namespace kallithea::wire
