// Request body spools and the outbound response queue (see spool.hpp).
#include "http/spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "core/log.hpp"

namespace kallithea::http {
namespace {

// The most bytes next() reads from a spool file at once.
constexpr size_t kFileReadSize = 256 * 1024;
// Small pieces are gathered into one queued string up to this size.
constexpr size_t kCoalesceSize = 64 * 1024;
// How often a producer waiting for the shared budget looks again.
constexpr std::chrono::milliseconds kBudgetPoll{100};

bool write_all_at(int fd, const char* data, size_t size, uint64_t offset) {
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<size_t>(n);
        offset += static_cast<uint64_t>(n);
    }
    return true;
}

bool read_all_at(int fd, char* data, size_t size, uint64_t offset) {
    while (size > 0) {
        const ssize_t n = ::pread(fd, data, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<size_t>(n);
        offset += static_cast<uint64_t>(n);
    }
    return true;
}

class MemoryBodyReader final : public BodyReader {
public:
    explicit MemoryBodyReader(std::string_view data) : data_(data) {}
    Result<size_t> read(char* buf, size_t size) override {
        const size_t n = std::min(size, data_.size());
        std::memcpy(buf, data_.data(), n);
        data_.remove_prefix(n);
        return n;
    }

private:
    std::string_view data_;
};

class FileBodyReader final : public BodyReader {
public:
    FileBodyReader(int fd, uint64_t size) : fd_(fd), size_(size) {}
    Result<size_t> read(char* buf, size_t size) override {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(size, size_ - offset_));
        if (n == 0)
            return size_t{0};
        if (!read_all_at(fd_, buf, n, offset_))
            return fail(Errc::io, "Request body unavailable",
                        std::string("reading the spooled body: ") + std::strerror(errno));
        offset_ += n;
        return n;
    }

private:
    int fd_;
    uint64_t size_;
    uint64_t offset_ = 0;
};

}  // namespace

std::string spool_directory(const std::string& configured) {
    if (!configured.empty())
        return configured;
    if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr && *tmp != '\0')
        return tmp;
    return "/tmp";
}

Result<int> open_unlinked_temp(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    // File systems without O_TMPFILE: a named file, unlinked at once.
    std::string name = dir + "/kallithea-spool-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
        return fail(Errc::io, "cannot create a spool file",
                    "in " + dir + ": " + std::strerror(errno));
    ::unlink(name.c_str());
    return fd;
}

bool SpoolBudget::take(uint64_t n) {
    uint64_t used = used_.load(std::memory_order_relaxed);
    do {
        if (used + n > limit_)
            return false;
    } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
    return true;
}

// ---- BodySpool ----

BodySpool::~BodySpool() {
    if (fd_ >= 0)
        ::close(fd_);
}

Status BodySpool::append(std::string_view data) {
    if (fd_ < 0 && memory_.size() + data.size() <= memory_limit_) {
        memory_.append(data);
        size_ += data.size();
        return ok();
    }
    if (fd_ < 0) {
        auto fd = open_unlinked_temp(dir_);
        RETURN_IF_ERROR(fd);
        fd_ = *fd;
        if (!write_all_at(fd_, memory_.data(), memory_.size(), 0))
            return fail(Errc::io, "cannot spool the request body", std::strerror(errno));
        std::string().swap(memory_);
    }
    if (!write_all_at(fd_, data.data(), data.size(), size_))
        return fail(Errc::io, "cannot spool the request body", std::strerror(errno));
    size_ += data.size();
    return ok();
}

std::unique_ptr<BodyReader> BodySpool::reader() const {
    if (fd_ >= 0)
        return std::make_unique<FileBodyReader>(fd_, size_);
    return std::make_unique<MemoryBodyReader>(memory_);
}

// ---- OutboundQueue ----

OutboundQueue::OutboundQueue(Limits limits, std::function<void()> wake)
    : limits_(std::move(limits)), wake_(std::move(wake)) {}

OutboundQueue::~OutboundQueue() {
    if (limits_.budget != nullptr)
        limits_.budget->give_back(budget_taken_);
    if (fd_ >= 0)
        ::close(fd_);
}

bool OutboundQueue::take_wake_locked() {
    const bool wake = consumer_waiting_;
    consumer_waiting_ = false;
    return wake;
}

bool OutboundQueue::append(std::span<const std::string_view> pieces) {
    std::unique_lock lock(mutex_);
    bool good = true;
    for (const std::string_view piece : pieces) {
        if (!append_locked(lock, piece)) {
            good = false;
            break;
        }
    }
    const bool wake = take_wake_locked();
    lock.unlock();
    if (wake)
        wake_();
    return good;
}

bool OutboundQueue::append_owned(std::string data) {
    std::unique_lock lock(mutex_);
    bool good;
    if (!failed_ && !spilling_) {
        memory_bytes_ += data.size();
        memory_.push_back(std::move(data));
        good = true;
    } else {
        good = append_locked(lock, data);
    }
    const bool wake = take_wake_locked();
    lock.unlock();
    if (wake)
        wake_();
    return good;
}

bool OutboundQueue::append_locked(std::unique_lock<std::mutex>& lock, std::string_view data) {
    if (failed_)
        return false;
    if (data.empty())
        return true;
    if (!spilling_ && memory_bytes_ + data.size() <= limits_.memory) {
        if (!memory_.empty() && memory_.back().size() + data.size() <= kCoalesceSize)
            memory_.back().append(data);
        else
            memory_.emplace_back(data);
        memory_bytes_ += data.size();
        return true;
    }
    spilling_ = true;  // everything from here on goes behind what is already queued
    return spill_locked(lock, data);
}

bool OutboundQueue::spill_locked(std::unique_lock<std::mutex>& lock, std::string_view data) {
    while (!data.empty()) {
        if (failed_)
            return false;
        if (!spilling_) {
            // The consumer drained the spool while we waited: memory again.
            return append_locked(lock, data);
        }
        if (fd_ < 0) {
            auto fd = open_unlinked_temp(limits_.dir);
            if (!fd) {
                log::warn("response spool: {} ({})", fd.error().message, fd.error().detail);
                failed_ = true;
                return false;
            }
            fd_ = *fd;
        }
        const uint64_t room = limits_.spool > file_written_ ? limits_.spool - file_written_ : 0;
        size_t n = static_cast<size_t>(std::min<uint64_t>(room, data.size()));
        if (n > 0 && limits_.budget != nullptr && !limits_.budget->take(n))
            n = 0;
        if (n == 0) {
            // The spool is full: wait for the client to catch up (or to be cut off).
            if (take_wake_locked()) {
                lock.unlock();
                wake_();
                lock.lock();
                continue;
            }
            drained_.wait_for(lock, kBudgetPoll);
            continue;
        }
        if (!write_all_at(fd_, data.data(), n, file_written_)) {
            log::warn("response spool: cannot write: {}", std::strerror(errno));
            if (limits_.budget != nullptr)
                limits_.budget->give_back(n);
            failed_ = true;
            return false;
        }
        budget_taken_ += n;
        file_written_ += n;
        data.remove_prefix(n);
    }
    return true;
}

void OutboundQueue::reset_spool_locked() {
    if (fd_ >= 0 && file_written_ > 0 && ::ftruncate(fd_, 0) != 0) {
        ::close(fd_);  // a fresh file next time
        fd_ = -1;
    }
    file_written_ = 0;
    file_read_ = 0;
    spilling_ = false;
    if (limits_.budget != nullptr)
        limits_.budget->give_back(budget_taken_);
    budget_taken_ = 0;
    drained_.notify_all();
}

size_t OutboundQueue::next(std::vector<std::string>& out, size_t max_bytes) {
    std::lock_guard lock(mutex_);
    if (failed_)
        return 0;
    size_t total = 0;
    while (!memory_.empty() && total < max_bytes) {
        total += memory_.front().size();
        memory_bytes_ -= memory_.front().size();
        out.push_back(std::move(memory_.front()));
        memory_.pop_front();
    }
    if (memory_.empty() && total < max_bytes && file_read_ < file_written_) {
        const size_t n = static_cast<size_t>(
            std::min<uint64_t>({max_bytes - total, kFileReadSize, file_written_ - file_read_}));
        std::string chunk(n, '\0');
        if (!read_all_at(fd_, chunk.data(), n, file_read_)) {
            log::warn("response spool: cannot read: {}", std::strerror(errno));
            failed_ = true;
            return 0;
        }
        file_read_ += n;
        total += n;
        out.push_back(std::move(chunk));
    }
    if (memory_.empty() && spilling_ && file_read_ == file_written_)
        reset_spool_locked();
    in_flight_ += total;
    if (total == 0)
        consumer_waiting_ = true;
    return total;
}

void OutboundQueue::sent(size_t n) {
    std::lock_guard lock(mutex_);
    in_flight_ -= std::min(n, in_flight_);
}

bool OutboundQueue::empty() const {
    std::lock_guard lock(mutex_);
    return memory_.empty() && file_read_ == file_written_ && in_flight_ == 0;
}

void OutboundQueue::fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
    memory_.clear();
    memory_bytes_ = 0;
    in_flight_ = 0;
    reset_spool_locked();
}

bool OutboundQueue::failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
}

}  // namespace kallithea::http
