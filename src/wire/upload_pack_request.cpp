// Upload-pack request caps: the read-ahead buffer, with every byte passed through the check.
#include "wire/upload_pack_request.hpp"

#include <algorithm>
#include <cstring>

namespace kallithea::wire {

Status UploadPackBody::read_ahead(size_t size) {
    char buf[16384];
    while (!eof_ && head_.size() < size) {
        auto n = body_->read(buf, std::min(sizeof buf, size - head_.size()));
        RETURN_IF_ERROR(n);
        if (*n == 0) {
            eof_ = true;
            break;
        }
        if (auto counted = check_->feed(std::string_view(buf, *n)); !counted)
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
    RETURN_IF_ERROR(check_->feed(std::string_view(buf, *n)));
    return n;
}

}  // namespace kallithea::wire
