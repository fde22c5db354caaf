// Bounds on a Git upload-pack request (fetch negotiation): its decoded size and its number of
// `have` lines, checked while the body streams, mostly before git starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "service/git/git_push.hpp"
#include "wire/request_body.hpp"

namespace kallithea::wire {

// What a real fetch sends. Stateless negotiation re-sends every `have` of the earlier rounds, and
// git doubles each round's batch (16, 32, ... 4,096), so the last request is the largest and may
// hold up to twice the haves needed. Measured with git 2.39 between two clones that diverged by
// 6,000 commits each from a 3,000-commit base: protocol v0, 11 requests, the largest 8,193
// `have` lines = 410 KB decoded (102 KB gzipped); v2, 10 requests, the largest 8,176 haves. A
// fetch of an unrelated history sends a `have` for every local commit (git gives up only after
// an ACK). The caps are 6x (haves) and 10x (bytes) those figures: clients ~25,000 commits apart
// still fetch. The gzip bomb (198 KB inflating to 64 MB, 1.3 M lines) stops at 2.5 MB.
inline constexpr uint64_t kMaxUploadPackBody = 4u << 20;
inline constexpr size_t kMaxUploadPackHaves = 50'000;

// Counts `have` pkt-lines (protocol v0 negotiation and v2 `command=fetch` arguments alike) in a
// stream fed in arbitrary pieces.
class HaveCounter {
public:
    explicit HaveCounter(size_t max_haves) : max_haves_(max_haves) {}
    // Errc::invalid_argument once there are more than max_haves lines, or the stream is no
    // pkt-line stream (git would refuse it too).
    Status feed(std::string_view data);
    size_t haves() const { return haves_; }

private:
    service::git_push::PktLineReader reader_;
    size_t max_haves_;
    size_t haves_ = 0;
};

// An upload-pack request body with both caps applied: read_ahead() decodes it (or its start)
// into memory, so that a refusal is still a status code; read() hands it out, then streams any
// rest through the same checks.
class UploadPackBody {
public:
    UploadPackBody(std::shared_ptr<RequestBody> body, size_t max_haves)
        : body_(std::move(body)), counter_(max_haves) {}
    // Decodes up to `size` bytes (or the whole body when it is shorter). The body's errors
    // (Errc::too_large past its decoded limit), HaveCounter's.
    Status read_ahead(size_t size);
    // The next bytes for git; the same errors, for the part after the read-ahead.
    Result<size_t> read(char* buf, size_t size);
    size_t haves() const { return counter_.haves(); }
    uint64_t decoded() const { return body_->decoded(); }

private:
    std::shared_ptr<RequestBody> body_;
    HaveCounter counter_;
    std::string head_;
    size_t head_pos_ = 0;
    bool eof_ = false;
};

}  // namespace kallithea::wire
