// Creating and upgrading the database (the db-create and db-upgrade commands).
#pragma once

#include <string>

#include "config/app_config.hpp"
#include "core/error.hpp"

namespace kallithea::service {

struct DbCreateOptions {
    std::string admin_username;
    std::string admin_password;
    std::string admin_email;
    std::string repos_root;  // absolute; created when missing
    bool public_access = true;
    bool force = false;  // recreate an existing database (its data is lost)
};

// Creates the schema, the initial settings, permissions, the `default` user and the admin.
// Refuses a non-empty database unless options.force. Errors name the option or file at fault.
Status create_database(const config::AppConfig& config, const DbCreateOptions& options);

// Brings an existing database (ours, or Kallithea 0.7's) to the current schema without touching
// its data; returns a one-line summary of what was done.
Result<std::string> upgrade_database(const config::AppConfig& config);

}  // namespace kallithea::service
