// Bounds on a Git upload-pack request (fetch negotiation): its decoded size and its number of
// `have` lines, checked while the body streams, mostly before git starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "service/git_push.hpp"
#include "wire/request_body.hpp"

namespace kallithea::wire {

// What a real fetch sends. Stateless negotiation re-sends every `have` of the earlier rounds, so
// the last request of a fetch is the largest. Measured with git 2.39 between two clones that
// diverged by 6,000 commits each from a 3,000-commit base (v0 and v2 alike): 6,272 `have`
// lines, 313 KB decoded (29 KB gzipped) in the last of 13 requests. A fetch of an unrelated
// history sends a `have` for every local commit (git gives up only after an ACK), so the caps
// leave room for clients with ~100,000 unacknowledged local commits: 16x the figures above.
// A 198 KB gzip bomb inflates to 64 MB and 1.3 M lines; these caps stop it after 8 MB.
inline constexpr uint64_t kMaxUploadPackBody = 8u << 20;
inline constexpr size_t kMaxUploadPackHaves = 100'000;
// How much of the decoded request is read before git starts, so that a refusal can still be a
// status code; a larger request streams on and is cut off (connection dropped) at a cap.
inline constexpr size_t kUploadPackReadAhead = 1u << 20;

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

// An upload-pack request body with both caps applied: read_ahead() decodes the start of it into
// memory; read() hands it out and then streams the rest.
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
