// The subcommands of the kallithea binary; each returns the process exit code.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace kallithea::config {
struct AppConfig;
}
namespace kallithea::service {
class App;
}

namespace kallithea::app {

// Exit codes: 0 ok, 1 runtime failure, 2 usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct ServeOptions {
    std::string config_file;
    std::string host;  // empty: from the ini
    int port = 0;      // 0: from the ini
};
int run_serve(const ServeOptions& options);

int run_config_create(const std::string& file, const std::vector<std::string>& pairs);

struct DbCreateArgs {
    std::string config_file, user, password, email, repos;
    bool force_yes = false;
    bool public_access = true;
};
int run_db_create(const DbCreateArgs& args);
int run_db_upgrade(const std::string& config_file);

// Prints "kallithea: <message>" on stderr.
void print_error(const std::string& message);

// Hands the ini's VCS keys (`git_path`) to the VCS layer (vcs::set_vcs_settings): every command
// that may run git calls this before the first repository is touched.
void apply_vcs_settings(const config::AppConfig& config);

// Opens the configured instance for a command (warnings and errors only on stderr); nullptr
// after printing the reason.
std::shared_ptr<service::App> open_app(const std::string& config_file);

}  // namespace kallithea::app
