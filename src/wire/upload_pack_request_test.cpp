// Upload-pack request caps: the Git backend's `have` check and the decoded size cap on gzip
// bodies, applied across the read-ahead and the stream after it, which hand the same bytes to git.
#include "wire/upload_pack_request.hpp"

#include <zlib.h>

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include <cstdio>
#include <cstring>

#include "vcs/backend.hpp"

using namespace kallithea;
using namespace kallithea::wire;

namespace {

std::string pkt(std::string_view payload) {
    char prefix[5];
    std::snprintf(prefix, sizeof prefix, "%04zx", payload.size() + 4);
    return std::string(prefix, 4) + std::string(payload);
}

std::string id(size_t i) {
    char buf[41];
    std::snprintf(buf, sizeof buf, "%040zx", i);
    return buf;
}

// A v0 negotiation request with n haves.
std::string v0_request(size_t n) {
    std::string s =
        pkt("want " + id(999999) + " multi_ack_detailed side-band-64k ofs-delta\n") + "0000";
    for (size_t i = 0; i < n; ++i)
        s += pkt("have " + id(i) + "\n");
    return s + pkt("done\n");
}

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
    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
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

std::unique_ptr<vcs::RequestCheck> have_check(size_t max_haves) {
    return vcs::backend_for("git").value()->upload_request_check(max_haves);
}

Result<std::string> drain(UploadPackBody& body) {
    std::string out;
    char buf[3000];
    while (true) {
        auto n = body.read(buf, sizeof buf);
        RETURN_IF_ERROR(n);
        if (*n == 0)
            return out;
        out.append(buf, *n);
    }
}

}  // namespace

TEST(UploadPackBody, ReadAheadThenStreamGivesTheSameBytes) {
    const std::string request = v0_request(3000);
    for (size_t ahead : {size_t{0}, size_t{100}, request.size() + 10}) {
        StringBody raw(gzip(request), 777);
        ASSERT_OK_AND_ASSIGN(std::shared_ptr<RequestBody> body,
                             RequestBody::open(raw, "gzip", 1 << 20));
        UploadPackBody upload(body, have_check(3000));  // exactly at the cap
        ASSERT_TRUE(upload.read_ahead(ahead));
        ASSERT_OK_AND_ASSIGN(auto drained, drain(upload));
        EXPECT_EQ(drained, request);
    }
}

TEST(UploadPackBody, RefusesTooManyHavesAndInflatedSize) {
    const std::string request = v0_request(20000);
    // Too many haves: found in the read-ahead, or while streaming after it.
    for (size_t ahead : {size_t{1} << 20, size_t{1000}}) {
        StringBody raw(gzip(request), 4096);
        ASSERT_OK_AND_ASSIGN(std::shared_ptr<RequestBody> body,
                             RequestBody::open(raw, "gzip", 1 << 30));
        UploadPackBody upload(body, have_check(10000));
        auto first = upload.read_ahead(ahead);
        auto result = first ? Status(drain(upload).map([](auto&&) {})) : first;
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, Errc::invalid_argument);
        EXPECT_LT(upload.decoded(), request.size());
    }
    // Too large once inflated: refused at the cap, long before the end.
    StringBody raw(gzip(request), 4096);
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<RequestBody> body, RequestBody::open(raw, "gzip", 100000));
    UploadPackBody upload(body, have_check(1000000));
    auto refused = upload.read_ahead(1 << 20);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::too_large);
    EXPECT_LE(upload.decoded(), 100001u);
}
