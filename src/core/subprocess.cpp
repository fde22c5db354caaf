// Child processes with posix_spawn, non-blocking pipes and poll (POSIX only).
#include "core/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

namespace kallithea {

namespace {

constexpr size_t kChunk = 64 * 1024;

void close_fd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

std::string errno_text(int err) {
    return std::string(std::strerror(err));
}

// Finds the executable for argv[0] in the PATH of the child's environment.
std::string find_executable(const std::string& name, const std::vector<std::string>& env) {
    if (name.find('/') != std::string::npos) {
        return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    }
    std::string path = "/usr/bin:/bin";
    for (const auto& var : env) {
        if (var.rfind("PATH=", 0) == 0) {
            path = var.substr(5);
        }
    }
    size_t begin = 0;
    while (begin <= path.size()) {
        size_t end = path.find(':', begin);
        if (end == std::string::npos) {
            end = path.size();
        }
        std::string dir = path.substr(begin, end - begin);
        if (!dir.empty()) {
            std::string candidate = dir + "/" + name;
            if (::access(candidate.c_str(), X_OK) == 0) {
                return candidate;
            }
        }
        begin = end + 1;
    }
    return {};
}

// posix_spawn attributes: own process group, empty signal mask, default signal dispositions.
struct SpawnAttributes {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;

    SpawnAttributes() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
        sigset_t empty;
        sigemptyset(&empty);
        posix_spawnattr_setsigmask(&attr, &empty);
        sigset_t defaults;
        sigemptyset(&defaults);
        for (int sig = 1; sig < NSIG; ++sig) {
            if (sig != SIGKILL && sig != SIGSTOP) {
                sigaddset(&defaults, sig);
            }
        }
        posix_spawnattr_setsigdefault(&attr, &defaults);
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setflags(
            &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    ~SpawnAttributes() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

struct Pipe {
    int read = -1;
    int write = -1;
    ~Pipe() {
        close_fd(read);
        close_fd(write);
    }
};

bool make_pipe(Pipe& p) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return false;
    }
    p.read = fds[0];
    p.write = fds[1];
    return true;
}

void set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Blocks SIGPIPE in this thread while we write to a child's stdin, so a child that exits early
// gives EPIPE instead of killing the server; a SIGPIPE raised meanwhile is consumed.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&pipe_set_);
        sigaddset(&pipe_set_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_);
    }
    ~SigpipeBlock() {
        if (!was_pending_) {
            timespec zero{0, 0};
            while (sigtimedwait(&pipe_set_, nullptr, &zero) == SIGPIPE) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t pipe_set_;
    sigset_t old_;
    bool was_pending_ = false;
};

// Fills fds with the open pipes (stdin watched for room, the others for data); returns how many.
nfds_t watched_pipes(int stdin_fd, int stdout_fd, int stderr_fd, pollfd (&fds)[3]) {
    nfds_t n = 0;
    for (int fd : {stdin_fd, stdout_fd, stderr_fd}) {
        if (fd >= 0) {
            fds[n++] = {fd, static_cast<short>(fd == stdin_fd ? POLLOUT : POLLIN), 0};
        }
    }
    return n;
}

// poll()'s timeout: until just past the deadline, or none (-1).
int poll_timeout_ms(bool has_deadline, std::chrono::steady_clock::time_point deadline) {
    if (!has_deadline) {
        return -1;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<int64_t>(0, left.count() + 1));
}

}  // namespace

Result<Subprocess> Subprocess::start(const ProcessOptions& options) {
    if (options.argv.empty()) {
        return fail(Errc::internal, "empty command line");
    }
    std::string program = find_executable(options.argv[0], options.env);
    if (program.empty()) {
        return fail(Errc::io, "command not found", options.argv[0]);
    }
    Pipe in, out, err;
    if (!make_pipe(in) || !make_pipe(out) || !make_pipe(err)) {
        return fail(Errc::io, "cannot create pipes", errno_text(errno));
    }
    SpawnAttributes spawn;
    posix_spawn_file_actions_adddup2(&spawn.actions, in.read, 0);
    posix_spawn_file_actions_adddup2(&spawn.actions, out.write, 1);
    posix_spawn_file_actions_adddup2(&spawn.actions, err.write, 2);
    if (!options.cwd.empty()) {
        posix_spawn_file_actions_addchdir_np(&spawn.actions, options.cwd.c_str());
    }
    std::vector<char*> argv;
    for (const auto& arg : options.argv) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& var : options.env) {
        envp.push_back(const_cast<char*>(var.c_str()));
    }
    envp.push_back(nullptr);

    pid_t pid = -1;
    int rc =
        ::posix_spawn(&pid, program.c_str(), &spawn.actions, &spawn.attr, argv.data(), envp.data());
    if (rc != 0) {
        return fail(Errc::io, "cannot start command", program + ": " + errno_text(rc));
    }
    Subprocess proc;
    proc.pid_ = pid;
    proc.program_ = program;
    std::swap(proc.stdin_fd_, in.write);
    std::swap(proc.stdout_fd_, out.read);
    std::swap(proc.stderr_fd_, err.read);
    set_nonblocking(proc.stdin_fd_);
    set_nonblocking(proc.stdout_fd_);
    set_nonblocking(proc.stderr_fd_);
    proc.stderr_limit_ = options.stderr_limit;
    if (options.timeout.count() > 0) {
        proc.has_deadline_ = true;
        proc.deadline_ = std::chrono::steady_clock::now() + options.timeout;
    }
    return proc;
}

Subprocess::Subprocess(Subprocess&& other) noexcept {
    *this = std::move(other);
}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
    if (this != &other) {
        kill();
        if (pid_ > 0 && !reaped_) {
            ::waitpid(pid_, nullptr, 0);
        }
        close_fds();
        pid_ = std::exchange(other.pid_, -1);
        reaped_ = std::exchange(other.reaped_, false);
        stdin_fd_ = std::exchange(other.stdin_fd_, -1);
        stdout_fd_ = std::exchange(other.stdout_fd_, -1);
        stderr_fd_ = std::exchange(other.stderr_fd_, -1);
        deadline_ = other.deadline_;
        has_deadline_ = other.has_deadline_;
        stderr_limit_ = other.stderr_limit_;
        program_ = std::move(other.program_);
    }
    return *this;
}

Subprocess::~Subprocess() {
    if (pid_ > 0 && !reaped_) {
        kill();
        ::waitpid(pid_, nullptr, 0);
        reaped_ = true;
    }
    close_fds();
}

void Subprocess::close_fds() {
    close_fd(stdin_fd_);
    close_fd(stdout_fd_);
    close_fd(stderr_fd_);
}

void Subprocess::kill() {
    if (pid_ > 0 && !reaped_) {
        ::kill(-pid_, SIGKILL);  // the child leads its own process group
        ::kill(pid_, SIGKILL);
    }
}

Result<ProcessExit> Subprocess::reap(ProcessExit exit) {
    close_fds();
    // The child has closed its output; it normally exits at once. Wait for it up to the deadline.
    auto pause = std::chrono::microseconds(100);
    while (true) {
        int status = 0;
        pid_t rc = ::waitpid(pid_, &status, WNOHANG);
        if (rc == pid_) {
            reaped_ = true;
            if (WIFEXITED(status)) {
                exit.exit_code = WEXITSTATUS(status);
            } else if (WIFSIGNALED(status)) {
                exit.signal = WTERMSIG(status);
            }
            return exit;
        }
        if (rc < 0 && errno != EINTR) {
            reaped_ = true;
            return fail(Errc::io, "cannot wait for command", program_ + ": " + errno_text(errno));
        }
        if (has_deadline_ && std::chrono::steady_clock::now() >= deadline_) {
            kill();
            ::waitpid(pid_, nullptr, 0);
            reaped_ = true;
            return fail(Errc::unavailable, "command timed out", program_);
        }
        std::this_thread::sleep_for(pause);
        pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(20));
    }
}

void Subprocess::kill_and_reap() {
    kill();
    ::waitpid(pid_, nullptr, 0);
    reaped_ = true;
    close_fds();
}

Status Subprocess::feed_stdin(const ProcessInput& input, std::string& pending, size_t& pos) {
    if (pos == pending.size()) {
        pending.resize(kChunk);
        auto got = input(pending.data(), pending.size());
        RETURN_IF_ERROR(got);
        pending.resize(*got);
        pos = 0;
        if (*got == 0) {
            close_fd(stdin_fd_);
            return ok();
        }
    }
    ssize_t w = ::write(stdin_fd_, pending.data() + pos, pending.size() - pos);
    if (w > 0) {
        pos += static_cast<size_t>(w);
    } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        close_fd(stdin_fd_);  // EPIPE: the child does not want more input
    }
    return ok();
}

bool Subprocess::read_output(int& fd, std::vector<char>& buf, const ProcessOutput& sink) {
    ssize_t r = ::read(fd, buf.data(), buf.size());
    if (r > 0) {
        return !sink || sink(std::string_view(buf.data(), static_cast<size_t>(r)));
    }
    if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_fd(fd);
    }
    return true;
}

Result<ProcessExit> Subprocess::communicate(const ProcessInput& input,
                                            const ProcessOutput& output) {
    ProcessExit exit;
    SigpipeBlock sigpipe_block;
    if (!input) {
        close_fd(stdin_fd_);
    }
    std::string pending;
    size_t pending_pos = 0;
    std::vector<char> buf(kChunk);
    ProcessOutput keep_stderr = [&](std::string_view data) {
        size_t room = stderr_limit_ - std::min(stderr_limit_, exit.stderr_text.size());
        exit.stderr_text.append(data.substr(0, room));
        return true;
    };
    while (stdout_fd_ >= 0 || stderr_fd_ >= 0) {
        pollfd fds[3];
        const nfds_t n = watched_pipes(stdin_fd_, stdout_fd_, stderr_fd_, fds);
        int rc = ::poll(fds, n, poll_timeout_ms(has_deadline_, deadline_));
        if (rc < 0 && errno != EINTR) {
            kill_and_reap();
            return fail(Errc::io, "cannot poll command pipes", errno_text(errno));
        }
        if (has_deadline_ && std::chrono::steady_clock::now() >= deadline_) {
            kill_and_reap();
            return fail(Errc::unavailable, "command timed out", program_);
        }
        for (nfds_t i = 0; rc > 0 && i < n; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            if (fds[i].fd == stdin_fd_) {
                if ((fds[i].revents & (POLLERR | POLLHUP)) != 0) {
                    close_fd(stdin_fd_);  // the child closed its stdin: stop feeding it
                } else if (auto fed = feed_stdin(input, pending, pending_pos); !fed) {
                    kill_and_reap();
                    return fail(fed.error());
                }
            } else if (fds[i].fd == stdout_fd_) {
                if (!read_output(stdout_fd_, buf, output)) {
                    exit.stopped = true;
                    kill_and_reap();
                    return exit;
                }
            } else if (fds[i].fd == stderr_fd_) {
                read_output(stderr_fd_, buf, keep_stderr);
            }
        }
    }
    return reap(std::move(exit));
}

Result<ProcessResult> run_process(const ProcessOptions& options, std::string_view input,
                                  size_t max_output) {
    auto proc = Subprocess::start(options);
    RETURN_IF_ERROR(proc);
    ProcessResult result;
    bool too_large = false;
    size_t input_pos = 0;
    ProcessInput feed;
    if (!input.empty()) {
        feed = [&](char* buf, size_t size) -> Result<size_t> {
            size_t n = std::min(size, input.size() - input_pos);
            std::memcpy(buf, input.data() + input_pos, n);
            input_pos += n;
            return n;
        };
    }
    auto exit = proc->communicate(feed, [&](std::string_view data) {
        if (result.out.size() + data.size() > max_output) {
            too_large = true;
            return false;
        }
        result.out.append(data);
        return true;
    });
    RETURN_IF_ERROR(exit);
    if (too_large) {
        return fail(Errc::too_large, "command output too large", options.argv[0]);
    }
    result.exit = std::move(*exit);
    return result;
}

std::vector<std::string> minimal_environment() {
    return {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"};
}

}  // namespace kallithea
