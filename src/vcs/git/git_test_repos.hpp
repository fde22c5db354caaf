// Test fixture: small Git repositories built with the real `git` CLI (fixed dates, a merge, tags,
// odd file names, a binary file, a rename, a submodule, an empty and a bare repository).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/subprocess.hpp"

namespace kallithea::vcs::git::testing {

struct TestRepos {
    std::string root;                        // temporary directory holding everything
    std::string work;                        // non-bare repository (work tree)
    std::string bare;                        // bare clone of work
    std::string empty;                       // bare repository without commits
    std::map<std::string, std::string> ids;  // c1 c2 f1 f2 c3 m1 c4 -> full ids
};

inline std::vector<std::string> git_test_env() {
    auto env = minimal_environment();
    env.insert(env.end(),
               {"HOME=/nonexistent", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
                "GIT_AUTHOR_NAME=Ann Author", "GIT_AUTHOR_EMAIL=ann@example.com",
                "GIT_COMMITTER_NAME=Carl Committer", "GIT_COMMITTER_EMAIL=carl@example.com"});
    return env;
}

// Runs git in cwd and returns stdout without the trailing newline; throws on failure (a broken
// fixture is a bug in the test, not an expected failure).
inline std::string run_test_git(const std::string& cwd, std::vector<std::string> args,
                                const std::string& date = {}) {
    ProcessOptions options;
    options.argv = {"git"};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.env = git_test_env();
    if (!date.empty()) {
        options.env.push_back("GIT_AUTHOR_DATE=" + date);
        options.env.push_back("GIT_COMMITTER_DATE=" + date);
    }
    options.cwd = cwd;
    options.timeout = std::chrono::seconds(60);
    auto result = run_process(options);
    if (!result || !result->exit.success()) {
        throw std::runtime_error("git " + args[0] + " failed: " +
                                 (result ? result->exit.stderr_text : result.error().detail));
    }
    std::string out = result->out;
    while (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

inline void write_test_file(const std::string& path, const std::string& content) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

inline std::string commit_all(const std::string& work, const std::string& message,
                              const std::string& date) {
    run_test_git(work, {"add", "-A"});
    run_test_git(work, {"commit", "-q", "-m", message}, date);
    return run_test_git(work, {"rev-parse", "HEAD"});
}

inline TestRepos build_test_repos() {
    TestRepos r;
    char tmpl[] = "/tmp/kallithea-vcs-test-XXXXXX";
    r.root = ::mkdtemp(tmpl);
    r.work = r.root + "/work";
    r.bare = r.root + "/bare.git";
    r.empty = r.root + "/empty.git";
    const std::string& w = r.work;
    std::filesystem::create_directories(w);
    run_test_git(w, {"init", "-q", "-b", "master"});

    write_test_file(w + "/README.md", "hello\n");
    write_test_file(w + "/dir with space/file one.txt", "one\n");
    write_test_file(w + "/ünïcode.txt", "unicode\n");
    write_test_file(w + "/<img src=x onerror=alert(1)>.txt", "script\n");
    write_test_file(w + "/bin/data.bin", std::string("\x89PNG\0\0\0\x01rest", 12));
    write_test_file(w + "/run.sh", "#!/bin/sh\necho hi\n");
    std::filesystem::permissions(w + "/run.sh", std::filesystem::perms::owner_exec,
                                 std::filesystem::perm_options::add);
    std::filesystem::create_symlink("README.md", w + "/link");
    write_test_file(w + "/docs/guide.md", "# Guide\n");
    r.ids["c1"] = commit_all(w, "Initial commit\n\nWith a body.", "2020-01-01T00:00:00+0000");

    write_test_file(w + "/README.md", "hello\nworld\n");
    write_test_file(w + "/src/a.c", "int a;\n");
    std::string b;
    for (int i = 0; i < 20; ++i) {
        b += "int b" + std::to_string(i) + " = " + std::to_string(i) + ";\n";
    }
    write_test_file(w + "/src/b.c", b);
    r.ids["c2"] = commit_all(w, "Add sources", "2020-01-01T01:00:00+0000");
    run_test_git(w, {"tag", "light"});

    run_test_git(w, {"checkout", "-q", "-b", "feature"});
    write_test_file(w + "/src/a.c", "int a = 1;\n");
    r.ids["f1"] = commit_all(w, "Feature: set a", "2020-01-01T02:00:00+0000");
    write_test_file(w + "/docs/feature.md", "feature\n");
    r.ids["f2"] = commit_all(w, "Feature: docs", "2020-01-01T03:00:00+0000");

    run_test_git(w, {"checkout", "-q", "master"});
    run_test_git(w, {"mv", "src/b.c", "src/b_renamed.c"});
    write_test_file(w + "/README.md", "hello\nworld\n  indented\n");
    r.ids["c3"] = commit_all(w, "Rename b", "2020-01-01T06:30:00+0200");
    run_test_git(w, {"merge", "-q", "--no-ff", "feature", "-m", "Merge branch 'feature'"},
                 "2020-01-01T05:00:00+0000");
    r.ids["m1"] = run_test_git(w, {"rev-parse", "HEAD"});

    write_test_file(w + "/docs/guide.md", "# Guide\n\nMore.\n");
    write_test_file(w + "/.gitmodules",
                    "[submodule \"sub\"]\n\tpath = sub\n\turl = https://example.com/sub.git\n");
    run_test_git(w, {"update-index", "--add", "--cacheinfo", "160000," + r.ids["c1"] + ",sub"});
    // Not `add -A`: the gitlink has no directory in the work tree and would be staged as deleted.
    run_test_git(w, {"add", "docs/guide.md", ".gitmodules"});
    run_test_git(w, {"commit", "-q", "-m", "Guide and submodule"}, "2020-01-01T06:00:00+0000");
    r.ids["c4"] = run_test_git(w, {"rev-parse", "HEAD"});
    run_test_git(w, {"tag", "-a", "v1.0", "-m", "Version 1.0"}, "2020-01-01T06:00:00+0000");

    run_test_git(r.root, {"clone", "-q", "--bare", w, r.bare});
    run_test_git(r.root, {"init", "-q", "--bare", "-b", "master", r.empty});
    return r;
}

// The fixture, built once per test binary and removed at exit.
inline const TestRepos& test_repos() {
    static TestRepos repos = [] {
        TestRepos r = build_test_repos();
        static std::string root = r.root;
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(root, ec);
        });
        return r;
    }();
    return repos;
}

}  // namespace kallithea::vcs::git::testing
