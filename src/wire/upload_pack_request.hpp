// Bounds on a Git upload-pack request (fetch negotiation): its decoded size and its number of
// `have` lines, checked while the body streams, mostly before git starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "vcs/transport.hpp"
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

// An upload-pack request body with both caps applied (the decoded size by the body, the haves
// by `check`, the VCS backend's upload_request_check): read_ahead() decodes it (or its start)
// into memory, so that a refusal is still a status code; read() hands it out, then streams any
// rest through the same checks.
class UploadPackBody {
public:
    UploadPackBody(std::shared_ptr<RequestBody> body, std::unique_ptr<vcs::RequestCheck> check)
        : body_(std::move(body)), check_(std::move(check)) {}
    // Decodes up to `size` bytes (or the whole body when it is shorter). The body's errors
    // (Errc::too_large past its decoded limit), the check's.
    Status read_ahead(size_t size);
    // The next bytes for git; the same errors, for the part after the read-ahead.
    Result<size_t> read(char* buf, size_t size);
    uint64_t decoded() const { return body_->decoded(); }

private:
    std::shared_ptr<RequestBody> body_;
    std::unique_ptr<vcs::RequestCheck> check_;
    std::string head_;
    size_t head_pos_ = 0;
    bool eof_ = false;
};

}  // namespace kallithea::wire
