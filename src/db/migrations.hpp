// Schema versioning: recognise what a database holds and bring it to our latest schema.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::db {

// The alembic revision of Kallithea 0.7, which migration 1 reproduces.
inline constexpr std::string_view kKallitheaAlembicRevision = "7ba0d2cad930";

struct DbState {
    enum class Kind {
        empty,            // no tables at all
        kallithea,        // Kallithea 0.7 (alembic 7ba0d2cad930) not yet used by us
        foreign_alembic,  // Kallithea at another alembic revision: must be upgraded by Kallithea
        ours,             // has schema_migrations; `version` is the highest applied migration
        unknown,          // tables we do not recognise
    };
    Kind kind = Kind::empty;
    int version = 0;
    std::string alembic_revision;  // when an alembic_version row exists
    std::vector<std::string> tables;

    // One line for CLIs and logs, e.g. "schema version 2 (latest 2)".
    std::string describe() const;
};

struct MigrationInfo {
    int version;
    std::string_view name;
};

// Every migration this program knows, in order.
std::vector<MigrationInfo> known_migrations();
int latest_schema_version();

// Looks at the tables present. Errc::database when they cannot be listed.
Result<DbState> inspect(Connection& conn);

// Applies what is missing and returns how many migrations ran. Empty DB: all of them. Kallithea
// 0.7 DB: checks its tables, records migration 1 as applied without touching data, then applies
// the rest. Ours: the pending ones. Each migration runs in its own transaction (with an advisory
// lock on PostgreSQL, BEGIN IMMEDIATE on SQLite) so concurrent starters do not race.
// Refused with Errc::database: another alembic revision (the message says to upgrade with
// Kallithea's alembic first), an unknown non-empty DB, a schema newer than this program.
Result<int> migrate(Connection& conn);

}  // namespace kallithea::db
