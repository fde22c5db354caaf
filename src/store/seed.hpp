// The initial rows Kallithea's `db-create` writes into a freshly created schema.
#pragma once

#include <string>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct SeedOptions {
    std::string admin_username;
    std::string admin_password_hash;  // bcrypt of the admin's password
    std::string admin_email;
    std::string repos_root;             // absolute path; stored as ui paths '/'
    bool public_access = true;          // the `default` user's `active` flag
    std::string default_password_hash;  // bcrypt of a random password for `default`
};

// Writes, in one transaction (a savepoint when the caller already opened one): the ui rows,
// the settings with their types, user `default` (id 1, "Anonymous User"), the admin (id 2,
// "Kallithea Admin"), the 24 permissions with ids 1..24 and the `default` user's 7 global
// permissions. Like Kallithea, `default` has NULL extern_type/extern_name and the admin
// extern_type 'internal' with a NULL extern_name; each user gets a fresh 40-hex API key.
// Errc::conflict when users, permissions, settings or ui rows already exist (nothing is
// written); Errc::database on SQL errors (nothing is written either).
Status seed_new_database(db::Connection& conn, const SeedOptions& options);

}  // namespace kallithea::store
