// Request bodies are passed through or gunzipped in small pieces, whatever the read sizes.
#include "wire/request_body.hpp"

#include <zlib.h>

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include <cstring>
#include <random>

using namespace kallithea;
using namespace kallithea::wire;

namespace {

constexpr uint64_t kNoLimit = UINT64_MAX;

// Serves a string in pieces of at most `step` bytes.
class StringBody : public http::BodyReader {
public:
    StringBody(std::string data, size_t step) : data_(std::move(data)), step_(step) {}
    Result<size_t> read(char* buf, size_t size) override {
        const size_t n = std::min({size, step_, data_.size() - pos_});
        std::memcpy(buf, data_.data() + pos_, n);
        pos_ += n;
        return n;
    }

private:
    std::string data_;
    size_t step_;
    size_t pos_ = 0;
};

std::string gzip(const std::string& data) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, data.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

Result<std::string> read_all(RequestBody& body, size_t step) {
    std::string out;
    std::vector<char> buf(step);
    while (true) {
        auto n = body.read(buf.data(), buf.size());
        RETURN_IF_ERROR(n);
        if (*n == 0)
            return out;
        out.append(buf.data(), *n);
    }
}

std::string sample(size_t size) {
    std::mt19937 rng(7);
    std::string s(size, '\0');
    for (auto& c : s)
        c = static_cast<char>('a' + rng() % 8);
    return s;
}

}  // namespace

TEST(WireRequestBody, IdentityAfterPrefetch) {
    const std::string data = sample(200000);
    StringBody raw(data, 7000);
    auto body = RequestBody::open(raw, "", kNoLimit);
    ASSERT_TRUE(body);
    ASSERT_TRUE((*body)->prefetch());
    ASSERT_OK_AND_ASSIGN(auto all, read_all(**body, 4096));
    EXPECT_EQ(all, data);
}

TEST(WireRequestBody, GzipInSmallPieces) {
    const std::string data = sample(300000);
    for (size_t step : {1u, 13u, 65536u}) {
        StringBody raw(gzip(data), step);
        auto body = RequestBody::open(raw, "gzip", kNoLimit);
        ASSERT_TRUE(body);
        ASSERT_TRUE((*body)->prefetch());
        ASSERT_OK_AND_ASSIGN(auto all, read_all(**body, step == 1 ? 100 : 8192));
        EXPECT_EQ(all, data) << step;
    }
}

TEST(WireRequestBody, EmptyBody) {
    StringBody raw("", 10);
    auto body = RequestBody::open(raw, "identity", kNoLimit);
    ASSERT_TRUE(body);
    ASSERT_TRUE((*body)->prefetch());
    ASSERT_OK_AND_ASSIGN(auto all, read_all(**body, 10));
    EXPECT_EQ(all, "");
}

TEST(WireRequestBody, CorruptAndTruncatedGzip) {
    std::string packed = gzip(sample(10000));
    StringBody truncated(packed.substr(0, packed.size() / 2), 100);
    auto body = RequestBody::open(truncated, "x-gzip", kNoLimit);
    ASSERT_TRUE(body);
    auto result = read_all(**body, 1000);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::invalid_argument);

    StringBody garbage("this is not gzip at all", 100);
    body = RequestBody::open(garbage, "gzip", kNoLimit);
    ASSERT_TRUE(body);
    result = read_all(**body, 1000);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::invalid_argument);

    StringBody refused("not gzip", 100);
    body = RequestBody::open(refused, "gzip", kNoLimit);
    ASSERT_TRUE(body);
    auto first = (*body)->prefetch();
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().code, Errc::invalid_argument);

    // Valid magic, corrupt after it: found while streaming.
    StringBody broken(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + "zzzz", 100);
    body = RequestBody::open(broken, "gzip", kNoLimit);
    ASSERT_TRUE(body);
    ASSERT_TRUE((*body)->prefetch());
    ASSERT_FALSE(read_all(**body, 1000));
}

TEST(WireRequestBody, UnknownEncoding) {
    StringBody raw("x", 1);
    auto body = RequestBody::open(raw, "br", kNoLimit);
    ASSERT_FALSE(body);
    EXPECT_EQ(body.error().code, Errc::invalid_argument);
}

TEST(WireRequestBody, DecodedSizeIsBounded) {
    // A gzip bomb: a megabyte of zeros packs into about a kilobyte.
    const std::string zeros(1 << 20, '0');
    for (size_t step : {7u, 65536u}) {
        StringBody raw(gzip(zeros), step);
        auto body = RequestBody::open(raw, "gzip", 100000);
        ASSERT_TRUE(body);
        ASSERT_TRUE((*body)->prefetch());
        auto result = read_all(**body, 8192);
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, Errc::too_large);
        EXPECT_LE((*body)->decoded(), 100001u);
    }
    // Identity bodies obey the same limit; exactly the limit passes.
    StringBody plain(zeros, 4096);
    auto exact = RequestBody::open(plain, "", zeros.size());
    ASSERT_TRUE(exact);
    ASSERT_OK_AND_ASSIGN(auto all, read_all(**exact, 5000));
    EXPECT_EQ(all, zeros);
    StringBody over(zeros, 4096);
    auto smaller = RequestBody::open(over, "identity", zeros.size() - 1);
    ASSERT_TRUE(smaller);
    auto refused = read_all(**smaller, 5000);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::too_large);
}
