// Fuzz target: the Git RPC request body decoder (wire::RequestBody: identity and gzip, read in
// arbitrary pieces), checked against a one-shot zlib inflate of the same bytes.
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/message.hpp"
#include "wire/request_body.hpp"

using namespace kallithea;

namespace {

constexpr size_t kMaxOutput = 64 * 1024;  // enough to see a bomb expand; keeps runs fast

// Hands the body out in pieces of varying size, as a socket would.
class PieceReader : public http::BodyReader {
public:
    PieceReader(std::string_view body, uint8_t seed) : rest_(body), state_(seed + 1u) {}
    Result<size_t> read(char* buf, size_t size) override {
        state_ = state_ * 1103515245u + 12345u;
        const size_t n = std::min({size, rest_.size(), size_t{1} + (state_ >> 16) % 700});
        std::memcpy(buf, rest_.data(), n);
        rest_.remove_prefix(n);
        return n;
    }

private:
    std::string_view rest_;
    uint32_t state_;
};

// RequestBody::open with a decoded-size limit when the decoder has one (issue 9 item 4 adds it:
// open(body, encoding, max_decoded)); the target builds against either version.
template <class Body = wire::RequestBody>
auto open_body(http::BodyReader& reader, std::string_view encoding, uint64_t limit) {
    if constexpr (requires { Body::open(reader, encoding, limit); })
        return Body::open(reader, encoding, limit);
    else
        return Body::open(reader, encoding);
}

template <class Body = wire::RequestBody>
constexpr bool kHasLimit = requires(http::BodyReader& r) {
    Body::open(r, "", uint64_t{1});
};

// Everything the decoder yields (up to limit and kMaxOutput), or nullopt on an error (the error
// code in *code when given).
std::optional<std::string> decode(std::string_view body, std::string_view encoding, uint8_t seed,
                                  uint64_t limit = 2 * kMaxOutput, Errc* code = nullptr) {
    PieceReader reader(body, seed);
    auto decoder = open_body(reader, encoding, limit);
    FUZZ_CHECK(decoder);
    if (auto status = (*decoder)->prefetch(); !status) {
        if (code)
            *code = status.error().code;
        return std::nullopt;
    }
    std::string out;
    char buf[4096];
    while (out.size() < kMaxOutput) {
        const size_t want =
            std::min(1 + (out.size() * 7 + seed) % sizeof buf, kMaxOutput - out.size());
        auto n = (*decoder)->read(buf, want);
        if (!n) {
            if (code)
                *code = n.error().code;
            return std::nullopt;
        }
        FUZZ_CHECK(*n <= want);
        if (*n == 0)
            break;
        out.append(buf, *n);
    }
    return out;
}

// zlib over the whole body at once: the first gzip member (up to limit bytes), or nullopt when
// it is corrupt or truncated.
std::optional<std::string> reference_gunzip(std::string_view body, size_t limit) {
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return std::nullopt;
    std::string out;
    char buf[16384];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    z.avail_in = static_cast<uInt>(body.size());
    int rc = Z_OK;
    while (out.size() < limit) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = static_cast<uInt>(std::min(sizeof buf, limit - out.size()));
        const uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, before - z.avail_out);
        if (rc != Z_OK || before == z.avail_out)
            break;
    }
    inflateEnd(&z);
    if (rc == Z_STREAM_END || out.size() == limit)
        return out;
    return std::nullopt;
}

std::string gzip(std::string_view text) {
    z_stream z{};
    FUZZ_CHECK(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    const uint8_t seed = data[0];
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

    // identity passes the bytes through unchanged.
    FUZZ_CHECK(decode(body, seed & 1 ? "identity" : "", seed) == std::string(body));
    // A gzip body of those bytes decodes to them.
    FUZZ_CHECK(decode(gzip(body), seed & 2 ? "x-gzip" : "GZIP", seed) == std::string(body));
    // The bytes themselves as a gzip body: what zlib makes of them in one call.
    const auto ours = decode(body, "gzip", seed);
    const auto reference = reference_gunzip(body, kMaxOutput);
    if (ours) {
        FUZZ_CHECK(reference && reference->starts_with(*ours));
        if (ours->size() < kMaxOutput)
            FUZZ_CHECK(*reference == *ours);
    } else if (reference) {
        // Refusals the reference lacks: only a body that is corrupt further on than the part
        // the reference was allowed to produce.
        FUZZ_CHECK(reference->size() == kMaxOutput);
    }
    // Other encodings are refused up front.
    PieceReader reader(body, seed);
    FUZZ_CHECK(!open_body(reader, "deflate", kMaxOutput));
    // With a decoded-size limit, a body that decodes to more is refused as too large, and one
    // that fits passes whole.
    if constexpr (kHasLimit<>) {
        const uint64_t limit = seed % 64 * 16;
        for (const bool gzipped : {false, true}) {
            Errc code = Errc::internal;
            const auto limited = decode(gzipped ? gzip(body) : std::string(body),
                                        gzipped ? "gzip" : "", seed, limit, &code);
            if (body.size() > limit)
                FUZZ_CHECK(!limited && code == Errc::too_large);
            else
                FUZZ_CHECK(limited == std::string(body));
        }
    }
    return 0;
}
