// config-create, db-create and db-upgrade.
#include <iostream>

#include "app/commands.hpp"
#include "config/app_config.hpp"
#include "config/config_template.hpp"
#include "service/setup.hpp"

namespace kallithea::app {

void print_error(const std::string& message) {
    std::cerr << "kallithea: " << message << "\n";
}

int run_config_create(const std::string& file, const std::vector<std::string>& pairs) {
    auto created = config::create_config_file(file, pairs);
    if (!created) {
        print_error(created.error().message);
        return created.error().code == Errc::invalid_argument ? kExitUsage : kExitFailure;
    }
    std::cout << "Wrote " << file << "\n";
    return kExitOk;
}

int run_db_create(const DbCreateArgs& args) {
    auto config = config::AppConfig::load(args.config_file);
    if (!config) {
        print_error(config.error().message);
        return kExitFailure;
    }
    apply_vcs_settings(*config);
    service::DbCreateOptions options{args.user,  args.password,      args.email,
                                     args.repos, args.public_access, args.force_yes};
    auto created = service::create_database(*config, options);
    if (!created) {
        print_error(created.error().message);
        return created.error().code == Errc::invalid_argument ? kExitUsage : kExitFailure;
    }
    std::cout << "Database created (" << config->db.redacted() << "); administrator '" << args.user
              << "'\n";
    return kExitOk;
}

int run_db_upgrade(const std::string& config_file) {
    auto config = config::AppConfig::load(config_file);
    if (!config) {
        print_error(config.error().message);
        return kExitFailure;
    }
    apply_vcs_settings(*config);
    auto summary = service::upgrade_database(*config);
    if (!summary) {
        print_error(summary.error().message);
        return kExitFailure;
    }
    std::cout << *summary << "\n";
    return kExitOk;
}

}  // namespace kallithea::app
