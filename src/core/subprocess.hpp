// Child processes (git, hg, ...): argv arrays, explicit environment, timeouts, streaming pipes.
// POSIX only; a Windows port replaces subprocess.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kallithea {

struct ProcessOptions {
    // argv[0] is an absolute path, or a name looked up in the PATH of `env` (not the parent's).
    std::vector<std::string> argv;
    // The child's whole environment ("NAME=value"); nothing is inherited from the parent.
    std::vector<std::string> env;
    std::string cwd;                       // empty: the parent's working directory
    std::chrono::milliseconds timeout{0};  // for the whole run, from start(); 0 = none
    size_t stderr_limit = 64 * 1024;       // bytes of stderr kept (the rest is read and dropped)
};

struct ProcessExit {
    int exit_code = -1;    // valid when signal == 0
    int signal = 0;        // signal that ended the child, 0 when it exited
    bool stopped = false;  // the output sink asked to stop and the child was killed
    std::string stderr_text;

    bool success() const { return !stopped && signal == 0 && exit_code == 0; }
};

// Fills buf with up to size bytes for the child's stdin; returns 0 at the end of the input.
using ProcessInput = std::function<Result<size_t>(char* buf, size_t size)>;
// Receives the child's stdout as it arrives; returns false to stop (the child is killed).
using ProcessOutput = std::function<bool(std::string_view data)>;

// A running child process in its own process group. Destruction kills (SIGKILL to the group)
// and reaps it if it is still running, so no zombie or orphan outlives the object.
class Subprocess {
public:
    // Starts argv. Errc::io when the executable cannot be found or started.
    static Result<Subprocess> start(const ProcessOptions& options);

    Subprocess(Subprocess&& other) noexcept;
    Subprocess& operator=(Subprocess&& other) noexcept;
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;
    ~Subprocess();

    // Feeds stdin from input (null: the child's stdin is closed at once), passes stdout to output
    // (null: discarded) and keeps stderr, until the child has closed its output and exited.
    // Errc::unavailable when the timeout expires (the child is killed); the input's own error
    // when it fails; Errc::io on pipe failures. Call at most once.
    Result<ProcessExit> communicate(const ProcessInput& input, const ProcessOutput& output);

    // SIGKILLs the child's process group (no-op once reaped).
    void kill();
    int pid() const { return pid_; }

private:
    Subprocess() = default;
    void close_fds();
    void kill_and_reap();
    Result<ProcessExit> reap(ProcessExit exit);
    // Writes pending input (refilled from input when used up); closes stdin at its end or when
    // the child stops reading. Fails with the input's error.
    Status feed_stdin(const ProcessInput& input, std::string& pending, size_t& pos);
    // Reads what is available on fd into sink (fd is closed at EOF); false when sink says stop.
    bool read_output(int& fd, std::vector<char>& buf, const ProcessOutput& sink);

    int pid_ = -1;
    bool reaped_ = false;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    int stderr_fd_ = -1;
    std::chrono::steady_clock::time_point deadline_{};
    bool has_deadline_ = false;
    size_t stderr_limit_ = 0;
    std::string program_;
};

struct ProcessResult {
    ProcessExit exit;
    std::string out;
};

// Runs a command to completion with input as its stdin and returns its stdout. Errc::too_large
// when stdout exceeds max_output bytes; otherwise the errors of start() and communicate().
Result<ProcessResult> run_process(const ProcessOptions& options, std::string_view input = {},
                                  size_t max_output = 256 * 1024 * 1024);

// PATH=/usr/local/bin:/usr/bin:/bin, LC_ALL=C, TZ=UTC: a base for ProcessOptions::env.
std::vector<std::string> minimal_environment();

}  // namespace kallithea
