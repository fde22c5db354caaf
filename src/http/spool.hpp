// Buffers between the io threads and the workers, so that a worker never waits on a client:
// request bodies received ahead of the handler (memory, then an unlinked temporary file) and
// the outbound queue a response is produced into (memory, then a per-response spool file).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/message.hpp"

namespace kallithea::http {

// The directory spool files go to: `configured`, else $TMPDIR, else /tmp.
std::string spool_directory(const std::string& configured);

// Opens a new temporary file in `dir` that has no name (O_TMPFILE, else created and unlinked at
// once): it disappears when closed, also after a crash.
Result<int> open_unlinked_temp(const std::string& dir);

// Disk space of response spool files, shared by every connection of a server.
class SpoolBudget {
public:
    explicit SpoolBudget(uint64_t limit) : limit_(limit) {}
    // Reserves n bytes; false (nothing reserved) when that would pass the limit.
    bool take(uint64_t n);
    void give_back(uint64_t n) { used_.fetch_sub(n, std::memory_order_relaxed); }
    uint64_t used() const { return used_.load(std::memory_order_relaxed); }

private:
    const uint64_t limit_;
    std::atomic<uint64_t> used_{0};
};

// A request body received by the io side: in memory up to `memory_limit` bytes, then in an
// unlinked file in `dir`. Filled by one thread, then read by another after a hand-over.
class BodySpool {
public:
    BodySpool(std::string dir, size_t memory_limit)
        : dir_(std::move(dir)), memory_limit_(memory_limit) {}
    ~BodySpool();
    BodySpool(const BodySpool&) = delete;
    BodySpool& operator=(const BodySpool&) = delete;

    Status append(std::string_view data);
    uint64_t size() const { return size_; }
    bool on_disk() const { return fd_ >= 0; }
    // A reader of the whole body; the spool must outlive it and no longer be appended to.
    std::unique_ptr<BodyReader> reader() const;

private:
    std::string dir_;
    size_t memory_limit_;
    std::string memory_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

// The bytes of the responses on one connection, in order, between the worker that produces them
// and the io thread that sends them. The producer never waits for the socket: past
// `memory_limit` queued bytes it appends to a spool file instead, and only waits when the spool
// file reached `spool_limit` or the shared budget is used up (until the client has caught up, or
// was cut off). Thread-safe.
class OutboundQueue {
public:
    struct Limits {
        size_t memory = 1024 * 1024;
        uint64_t spool = 1024ULL * 1024 * 1024;
        std::string dir;
        SpoolBudget* budget = nullptr;  // may be null: no shared limit
    };
    // `wake` is called (on the producer's thread, without locks held) when bytes arrive while
    // the consumer waits for them (after next() found nothing).
    OutboundQueue(Limits limits, std::function<void()> wake);
    ~OutboundQueue();
    OutboundQueue(const OutboundQueue&) = delete;
    OutboundQueue& operator=(const OutboundQueue&) = delete;

    // Producer side. Queues the pieces in order; false once the queue failed (the client is
    // gone or was cut off, or the spool could not be written).
    bool append(std::span<const std::string_view> pieces);
    // Queues an owned string without copying it (whatever its size).
    bool append_owned(std::string data);

    // Consumer side. Moves the next bytes to send into `out` (appending at most about
    // `max_bytes`); returns the number of bytes, 0 when nothing is queued (then the next
    // append wakes the consumer).
    size_t next(std::vector<std::string>& out, size_t max_bytes);
    // The bytes handed out by next() were written.
    void sent(size_t n);
    // Whether anything is queued or handed out but not yet reported sent.
    bool empty() const;
    // Fails the queue: queued bytes are dropped and appends return false from now on.
    void fail();
    bool failed() const;

private:
    bool append_locked(std::unique_lock<std::mutex>& lock, std::string_view data);
    bool spill_locked(std::unique_lock<std::mutex>& lock, std::string_view data);
    void reset_spool_locked();
    bool take_wake_locked();

    const Limits limits_;
    const std::function<void()> wake_;
    mutable std::mutex mutex_;
    std::condition_variable drained_;
    std::deque<std::string> memory_;
    size_t memory_bytes_ = 0;    // queued in memory_ plus handed out and not yet sent
    size_t in_flight_ = 0;       // handed out by next() and not yet sent
    int fd_ = -1;                // spool file, opened on first use
    uint64_t file_written_ = 0;  // bytes written to the spool file since its last reset
    uint64_t file_read_ = 0;     // of which handed out to the consumer
    uint64_t budget_taken_ = 0;
    bool spilling_ = false;  // new bytes go to the file until it is drained
    bool failed_ = false;
    bool consumer_waiting_ = true;  // until the consumer first finds bytes
};

}  // namespace kallithea::http
