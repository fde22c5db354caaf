// Entry point of the kallithea binary: the server and the admin CLI (also run as kallithea-cli).
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/repo_commands.hpp"
#include "app/user_commands.hpp"
#include "core/log.hpp"
#include "core/throw_trace.hpp"
#include "core/version.hpp"

using namespace kallithea;

namespace {

// The options of the server and database commands, bound by CLI11 while it parses (so the
// object stays in place from the add_* calls to the run).
struct CoreCommands {
    app::ServeOptions serve;
    CLI::App* serve_cmd = nullptr;
    std::string create_file;
    std::vector<std::string> create_pairs;
    CLI::App* config_cmd = nullptr;
    app::DbCreateArgs db;
    bool force_no = false;
    bool reuse = true;
    CLI::App* db_cmd = nullptr;
    std::string upgrade_file;
    CLI::App* upgrade_cmd = nullptr;
};

void add_serve_command(CLI::App& cli, CoreCommands& c) {
    c.serve_cmd = cli.add_subcommand("serve", "Serve the web UI and push/pull over HTTP");
    c.serve_cmd->add_option("-c,--config", c.serve.config_file, "ini file")->required();
    c.serve_cmd->add_option("--host", c.serve.host, "address to listen on (default: the ini's)");
    c.serve_cmd->add_option("--port", c.serve.port, "port to listen on (default: the ini's)")
        ->check(CLI::Range(1, 65535));
}

void add_config_create_command(CLI::App& cli, CoreCommands& c) {
    c.config_cmd =
        cli.add_subcommand("config-create", "Write a new ini file (key=value pairs fill it in)");
    c.config_cmd->add_option("CONFIG_FILE", c.create_file, "ini file to write")->required();
    c.config_cmd->add_option("PAIRS", c.create_pairs, "host=, port=, database_engine=, other keys");
}

void add_db_create_command(CLI::App& cli, CoreCommands& c) {
    app::DbCreateArgs& db = c.db;
    auto* db_cmd = cli.add_subcommand("db-create", "Create the database, permissions and admin");
    db_cmd->add_option("-c,--config", db.config_file, "ini file")->required();
    db_cmd->add_option("--user", db.user, "admin username")->required();
    db_cmd->add_option("--password", db.password, "admin password (6 characters or more)")
        ->required();
    db_cmd->add_option("--email", db.email, "admin email")->required();
    db_cmd->add_option("--repos", db.repos, "absolute path of the repository root")->required();
    db_cmd->add_flag("--force-yes", db.force_yes, "recreate an existing database (data is lost)");
    db_cmd->add_flag("--force-no", c.force_no, "answer no to every question (the default)");
    db_cmd->add_flag("--public-access,!--no-public-access", db.public_access,
                     "anonymous access on (default) or off");
    db_cmd->add_flag("--reuse,!--no-reuse", c.reuse, "accepted for compatibility");
    c.db_cmd = db_cmd;
}

void add_db_upgrade_command(CLI::App& cli, CoreCommands& c) {
    c.upgrade_cmd = cli.add_subcommand(
        "db-upgrade", "Upgrade the database (ours or Kallithea 0.7's) to the current schema");
    c.upgrade_cmd->add_option("-c,--config", c.upgrade_file, "ini file")->required();
}

// The exit code of the one parsed command (kExitUsage when none ran).
int run_parsed_command(const CoreCommands& c, const app::RepoCommands& repo_commands,
                       const app::UserCommands& user_commands) {
    try {
        if (*c.serve_cmd)
            return app::run_serve(c.serve);
        if (*c.config_cmd)
            return app::run_config_create(c.create_file, c.create_pairs);
        if (*c.db_cmd)
            return app::run_db_create(c.db);
        if (*c.upgrade_cmd)
            return app::run_db_upgrade(c.upgrade_file);
        if (auto code = app::run_repo_commands(repo_commands))
            return *code;
        if (auto code = app::run_user_commands(user_commands))
            return *code;
    } catch (const std::exception& e) {
        log::error("unexpected error: {}", trace::describe_current_exception());
        return app::kExitFailure;
    }
    return app::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
    trace::install_crash_handler();
    CLI::App cli{"Kallithea: Git and Mercurial hosting (C++ edition)", "kallithea"};
    cli.set_version_flag("--version", std::string("kallithea ") + kVersion);
    cli.require_subcommand(1);

    CoreCommands commands;
    add_serve_command(cli, commands);
    add_config_create_command(cli, commands);
    add_db_create_command(cli, commands);
    add_db_upgrade_command(cli, commands);
    auto repo_commands = app::add_repo_commands(cli);
    auto user_commands = app::add_user_commands(cli);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = cli.exit(e);
        return code == 0 ? app::kExitOk : app::kExitUsage;
    }
    return run_parsed_command(commands, *repo_commands, *user_commands);
}
