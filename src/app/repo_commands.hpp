// The repository subcommands: repo-create, repo-scan, repo-update-metadata, repo-purge-deleted.
#pragma once

#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

namespace kallithea::app {

struct RepoCommands;

// Registers the subcommands on `cli`; keep the result alive until after parsing.
std::shared_ptr<RepoCommands> add_repo_commands(CLI::App& cli);

// Runs the repository subcommand that was chosen and returns its exit code; nullopt when none
// of them was chosen.
std::optional<int> run_repo_commands(const RepoCommands& commands);

}  // namespace kallithea::app
