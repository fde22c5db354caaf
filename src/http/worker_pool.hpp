// A fixed set of threads running queued tasks: where request handlers (which block on SQLite,
// libgit2 and child processes) run, so io threads never block.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kallithea::http {

class WorkerPool {
public:
    // Starts `threads` threads (at least one).
    explicit WorkerPool(size_t threads);
    // Same as stop().
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues a task; it runs on one of the threads in FIFO order. Tasks posted after stop()
    // began are still run by the remaining threads before they exit.
    void post(std::function<void()> task);
    // Runs every queued task, then joins the threads. Idempotent.
    void stop();
    // Tasks waiting for a free thread.
    size_t queued() const;

private:
    void work();

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace kallithea::http
