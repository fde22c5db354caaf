// Tests of Subprocess: capture, environment, streaming, early stop, timeouts, kill and reap.
#include "core/subprocess.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace kallithea {
namespace {

using namespace std::chrono_literals;

ProcessOptions command(std::vector<std::string> argv) {
    ProcessOptions options;
    options.argv = std::move(argv);
    options.env = minimal_environment();
    options.timeout = 30s;
    return options;
}

bool process_gone(int pid) {
    // Reaped children and foreign processes alike: gone when kill(pid, 0) fails with ESRCH.
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

TEST(Subprocess, CapturesStdoutStderrAndExitCode) {
    auto result = run_process(command({"sh", "-c", "echo out; echo err >&2; exit 3"}));
    ASSERT_TRUE(result) << result.error().detail;
    EXPECT_EQ(result->out, "out\n");
    EXPECT_EQ(result->exit.stderr_text, "err\n");
    EXPECT_EQ(result->exit.exit_code, 3);
    EXPECT_FALSE(result->exit.success());
}

TEST(Subprocess, PassesArgvWithoutAShell) {
    auto result = run_process(command({"printf", "%s|", "a b", "$HOME", ";rm -rf /", "'q'"}));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->out, "a b|$HOME|;rm -rf /|'q'|");
}

TEST(Subprocess, EnvironmentIsExactlyTheGivenOne) {
    auto options = command({"env"});
    options.env = {"PATH=/usr/bin:/bin", "ONLY=this"};
    auto result = run_process(options);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->out, "PATH=/usr/bin:/bin\nONLY=this\n");
}

TEST(Subprocess, RunsInTheGivenDirectory) {
    auto options = command({"pwd"});
    options.cwd = "/usr";
    auto result = run_process(options);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->out, "/usr\n");
}

TEST(Subprocess, StreamsLargeInputAndOutput) {
    std::string input;
    for (int i = 0; input.size() < 3 * 1024 * 1024; ++i) {
        input += "line " + std::to_string(i) + "\n";
    }
    auto result = run_process(command({"cat"}), input);
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->exit.success());
    EXPECT_EQ(result->out, input);
}

TEST(Subprocess, InputFromCallbackOutputToCallback) {
    auto proc = Subprocess::start(command({"wc", "-c"}));
    ASSERT_TRUE(proc);
    int chunks = 0;
    std::string out;
    auto exit = proc->communicate(
        [&](char* buf, size_t size) -> Result<size_t> {
            if (chunks++ == 10) {
                return 0;
            }
            size_t n = std::min<size_t>(size, 1000);
            std::fill(buf, buf + n, 'x');
            return n;
        },
        [&](std::string_view data) {
            out.append(data);
            return true;
        });
    ASSERT_TRUE(exit);
    EXPECT_TRUE(exit->success());
    EXPECT_EQ(out, "10000\n");
}

TEST(Subprocess, InputErrorKillsTheChild) {
    auto proc = Subprocess::start(command({"cat"}));
    ASSERT_TRUE(proc);
    int pid = proc->pid();
    auto exit = proc->communicate(
        [](char*, size_t) -> Result<size_t> { return fail(Errc::too_large, "body too large"); },
        nullptr);
    ASSERT_FALSE(exit);
    EXPECT_EQ(exit.error().code, Errc::too_large);
    EXPECT_TRUE(process_gone(pid));
}

TEST(Subprocess, ChildThatIgnoresItsInputDoesNotKillUs) {
    std::string input(4 * 1024 * 1024, 'x');
    auto result = run_process(command({"true"}), input);
    ASSERT_TRUE(result) << result.error().detail;
    EXPECT_TRUE(result->exit.success());
}

TEST(Subprocess, StopsWhenTheSinkSaysSo) {
    auto proc = Subprocess::start(command({"yes"}));
    ASSERT_TRUE(proc);
    int pid = proc->pid();
    size_t received = 0;
    auto exit = proc->communicate(nullptr, [&](std::string_view data) {
        received += data.size();
        return received < 1024 * 1024;
    });
    ASSERT_TRUE(exit);
    EXPECT_TRUE(exit->stopped);
    EXPECT_FALSE(exit->success());
    EXPECT_GE(received, 1024u * 1024u);
    EXPECT_TRUE(process_gone(pid));
}

TEST(Subprocess, TimeoutKillsTheChild) {
    auto options = command({"sleep", "30"});
    options.timeout = 200ms;
    auto start = std::chrono::steady_clock::now();
    auto proc = Subprocess::start(options);
    ASSERT_TRUE(proc);
    int pid = proc->pid();
    auto exit = proc->communicate(nullptr, nullptr);
    ASSERT_FALSE(exit);
    EXPECT_EQ(exit.error().code, Errc::unavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    EXPECT_TRUE(process_gone(pid));
}

TEST(Subprocess, TimeoutAlsoAppliesWhileOutputIsFlowing) {
    auto options = command({"yes"});
    options.timeout = 200ms;
    auto result = run_process(options, {}, size_t{1} << 40);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::unavailable);
}

TEST(Subprocess, DestructionKillsAndReaps) {
    int pid = -1;
    {
        auto proc = Subprocess::start(command({"sleep", "30"}));
        ASSERT_TRUE(proc);
        pid = proc->pid();
        EXPECT_FALSE(process_gone(pid));
    }
    // Reaped, not a zombie: waitpid has nothing left to collect.
    EXPECT_TRUE(process_gone(pid));
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
}

TEST(Subprocess, KillReachesGrandchildren) {
    auto proc = Subprocess::start(command({"sh", "-c", "sleep 30 & echo $!; wait"}));
    ASSERT_TRUE(proc);
    std::string out;
    auto exit = proc->communicate(nullptr, [&](std::string_view data) {
        out.append(data);
        return out.find('\n') == std::string::npos;
    });
    ASSERT_TRUE(exit);
    int grandchild = std::stoi(out);
    // The grandchild is not our child, so it may linger as a zombie until init reaps it.
    EXPECT_TRUE(wait_until(
        [&] {
            std::string stat = "/proc/" + std::to_string(grandchild) + "/stat";
            FILE* f = std::fopen(stat.c_str(), "r");
            if (!f) {
                return true;
            }
            char state = '?';
            int ignored_pid = 0;
            char name[256];
            int n = std::fscanf(f, "%d %255s %c", &ignored_pid, name, &state);
            std::fclose(f);
            return n == 3 && state == 'Z';
        },
        5s));
}

TEST(Subprocess, MissingExecutableIsAnIoError) {
    auto proc = Subprocess::start(command({"no-such-command-kallithea"}));
    ASSERT_FALSE(proc);
    EXPECT_EQ(proc.error().code, Errc::io);
}

TEST(Subprocess, OutputLimitIsTooLarge) {
    auto result = run_process(command({"yes"}), {}, 100000);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::too_large);
}

TEST(Subprocess, ReportsTheKillingSignal) {
    auto result = run_process(command({"sh", "-c", "kill -TERM $$"}));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->exit.signal, SIGTERM);
    EXPECT_FALSE(result->exit.success());
}

TEST(Subprocess, MovedObjectOwnsTheChild) {
    auto proc = Subprocess::start(command({"sh", "-c", "echo moved"}));
    ASSERT_TRUE(proc);
    Subprocess moved = std::move(*proc);
    std::string out;
    auto exit = moved.communicate(nullptr, [&](std::string_view data) {
        out.append(data);
        return true;
    });
    ASSERT_TRUE(exit);
    EXPECT_EQ(out, "moved\n");
}

}  // namespace
}  // namespace kallithea
