// Upload-pack request caps: `have` counting over pkt-lines and the read-ahead buffer.
#include "wire/upload_pack_request.hpp"

#include <algorithm>
#include <cstring>

namespace kallithea::wire {

Status HaveCounter::feed(std::string_view data) {
    if (haves_ > max_haves_)
        return fail(Errc::invalid_argument, "Too many have lines");
    const bool parsed =
        reader_.feed(data, [this](service::git_push::PktKind kind, std::string_view payload) {
            if (kind == service::git_push::PktKind::data && payload.starts_with("have "))
                ++haves_;
        });
    if (!parsed)
        return fail(Errc::invalid_argument, "Malformed request", "not a pkt-line stream");
    if (haves_ > max_haves_)
        return fail(Errc::invalid_argument, "Too many have lines",
                    "more than " + std::to_string(max_haves_) + " in one request");
    return ok();
}

Status UploadPackBody::read_ahead(size_t size) {
    char buf[16384];
    while (!eof_ && head_.size() < size) {
        auto n = body_->read(buf, std::min(sizeof buf, size - head_.size()));
        RETURN_IF_ERROR(n);
        if (*n == 0) {
            eof_ = true;
            break;
        }
        if (auto counted = counter_.feed(std::string_view(buf, *n)); !counted)
            return counted;
        head_.append(buf, *n);
    }
    return ok();
}

Result<size_t> UploadPackBody::read(char* buf, size_t size) {
    if (head_pos_ < head_.size()) {
        const size_t n = std::min(size, head_.size() - head_pos_);
        std::memcpy(buf, head_.data() + head_pos_, n);
        head_pos_ += n;
        if (head_pos_ == head_.size()) {
            std::string().swap(head_);  // released once git has it
            head_pos_ = 0;
        }
        return n;
    }
    if (eof_)
        return 0;
    auto n = body_->read(buf, size);
    if (!n)
        return n;
    if (*n == 0) {
        eof_ = true;
        return 0;
    }
    if (auto counted = counter_.feed(std::string_view(buf, *n)); !counted)
        return fail(std::move(counted.error()));
    return n;
}

}  // namespace kallithea::wire
