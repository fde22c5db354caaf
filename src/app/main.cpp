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

int main(int argc, char** argv) {
    trace::install_crash_handler();
    CLI::App cli{"Kallithea: Git and Mercurial hosting (C++ edition)", "kallithea"};
    cli.set_version_flag("--version", std::string("kallithea ") + kVersion);
    cli.require_subcommand(1);

    app::ServeOptions serve;
    auto* serve_cmd = cli.add_subcommand("serve", "Serve the web UI and push/pull over HTTP");
    serve_cmd->add_option("-c,--config", serve.config_file, "ini file")->required();
    serve_cmd->add_option("--host", serve.host, "address to listen on (default: the ini's)");
    serve_cmd->add_option("--port", serve.port, "port to listen on (default: the ini's)")
        ->check(CLI::Range(1, 65535));

    std::string create_file;
    std::vector<std::string> create_pairs;
    auto* config_cmd =
        cli.add_subcommand("config-create", "Write a new ini file (key=value pairs fill it in)");
    config_cmd->add_option("CONFIG_FILE", create_file, "ini file to write")->required();
    config_cmd->add_option("PAIRS", create_pairs, "host=, port=, database_engine=, other keys");

    app::DbCreateArgs db;
    auto* db_cmd = cli.add_subcommand("db-create", "Create the database, permissions and admin");
    db_cmd->add_option("-c,--config", db.config_file, "ini file")->required();
    db_cmd->add_option("--user", db.user, "admin username")->required();
    db_cmd->add_option("--password", db.password, "admin password (6 characters or more)")
        ->required();
    db_cmd->add_option("--email", db.email, "admin email")->required();
    db_cmd->add_option("--repos", db.repos, "absolute path of the repository root")->required();
    db_cmd->add_flag("--force-yes", db.force_yes, "recreate an existing database (data is lost)");
    bool force_no = false;
    db_cmd->add_flag("--force-no", force_no, "answer no to every question (the default)");
    db_cmd->add_flag("--public-access,!--no-public-access", db.public_access,
                     "anonymous access on (default) or off");
    bool reuse = true;
    db_cmd->add_flag("--reuse,!--no-reuse", reuse, "accepted for compatibility");

    std::string upgrade_file;
    auto* upgrade_cmd = cli.add_subcommand(
        "db-upgrade", "Upgrade the database (ours or Kallithea 0.7's) to the current schema");
    upgrade_cmd->add_option("-c,--config", upgrade_file, "ini file")->required();

    auto repo_commands = app::add_repo_commands(cli);
    auto user_commands = app::add_user_commands(cli);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = cli.exit(e);
        return code == 0 ? app::kExitOk : app::kExitUsage;
    }

    try {
        if (*serve_cmd)
            return app::run_serve(serve);
        if (*config_cmd)
            return app::run_config_create(create_file, create_pairs);
        if (*db_cmd)
            return app::run_db_create(db);
        if (*upgrade_cmd)
            return app::run_db_upgrade(upgrade_file);
        if (auto code = app::run_repo_commands(*repo_commands))
            return *code;
        if (auto code = app::run_user_commands(*user_commands))
            return *code;
    } catch (const std::exception& e) {
        log::error("unexpected error: {}", trace::describe_current_exception());
        return app::kExitFailure;
    }
    return app::kExitUsage;
}
