// Running the `git` CLI against a repository with an isolated, minimal environment.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/subprocess.hpp"

namespace kallithea::vcs::git {

// ProcessOptions for `git --git-dir=<git_dir> <args>`: the configured executable, no system or
// global config, no prompts, literal pathspecs, safe.directory=* (the server owns the
// repositories), and the given timeout (0 = VcsSettings::command_timeout).
ProcessOptions git_command(const std::string& git_dir, std::vector<std::string> args,
                           std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

// Runs git and returns its stdout. Errc::io with git's stderr in detail when it exits non-zero;
// otherwise the errors of run_process().
Result<std::string> run_git(const std::string& git_dir, std::vector<std::string> args,
                            size_t max_output = 256 * 1024 * 1024);

}  // namespace kallithea::vcs::git
