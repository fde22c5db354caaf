// The user subcommands: user-create, user-set-password, user-list.
#pragma once

#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

namespace kallithea::app {

struct UserCommands;

// Registers the subcommands on `cli`; keep the result alive until after parsing.
std::shared_ptr<UserCommands> add_user_commands(CLI::App& cli);

// Runs the user subcommand that was chosen and returns its exit code; nullopt when none of
// them was chosen.
std::optional<int> run_user_commands(const UserCommands& commands);

}  // namespace kallithea::app
