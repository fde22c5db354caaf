// Implementation of db/migrations.hpp: the migration table and the adoption of Kallithea DBs.
#include "db/migrations.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/log.hpp"
#include "core/time.hpp"
#include "db/migration_steps.hpp"
#include "db/transaction.hpp"

namespace kallithea::db {
namespace {

struct Migration {
    int version;
    std::string_view name;
    Status (*apply)(Connection&);
};

constexpr Migration kMigrations[] = {
    {1, "kallithea_0_7_schema", &detail::apply_kallithea_schema},
    {2, "web_sessions", &detail::apply_web_sessions},
    {3, "permission_indexes", &detail::apply_permission_indexes},
    {4, "mail_queue", &detail::apply_mail_queue},
};

// Arbitrary constant naming our PostgreSQL advisory lock ("KaMi" in ASCII).
constexpr int64_t kMigrationLockKey = 0x4b614d69;

bool has_table(const DbState& state, std::string_view name) {
    return std::find(state.tables.begin(), state.tables.end(), name) != state.tables.end();
}

Result<std::vector<std::string>> list_tables(Connection& conn) {
    auto rows = conn.dialect() == Dialect::sqlite
                    ? conn.query(
                          "SELECT name FROM sqlite_master WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
                    : conn.query(
                          "SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = current_schema() "
                          "AND table_type = 'BASE TABLE' ORDER BY table_name");
    RETURN_IF_ERROR(rows);
    std::vector<std::string> names;
    for (const Row& row : *rows)
        names.push_back(row.text(0));
    return names;
}

Status create_migration_table(Connection& conn) {
    return conn.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
        "name VARCHAR(255) NOT NULL, applied_on VARCHAR(32) NOT NULL)");
}

// Opens the migration transaction; afterwards no other process is migrating.
Result<Transaction> begin_locked(Connection& conn) {
    auto tx = Transaction::begin(conn, TxMode::write);
    if (!tx)
        return tx;
    if (conn.dialect() == Dialect::postgresql) {
        RETURN_IF_ERROR(conn.exec("SELECT pg_advisory_xact_lock(?)", kMigrationLockKey));
    }
    RETURN_IF_ERROR(create_migration_table(conn));
    return tx;
}

Result<bool> is_recorded(Connection& conn, int version) {
    auto found =
        conn.scalar<int64_t>("SELECT version FROM schema_migrations WHERE version = ?", version);
    RETURN_IF_ERROR(found);
    return found->has_value();
}

Status record(Connection& conn, const Migration& m) {
    return conn.exec("INSERT INTO schema_migrations (version, name, applied_on) VALUES (?, ?, ?)",
                     m.version, m.name, timefmt::db_now());
}

// Records migration 1 for a database Kallithea created: its schema is already there.
Status adopt_kallithea(Connection& conn, const DbState& state) {
    std::vector<std::string> missing;
    for (std::string_view table : detail::kallithea_table_names()) {
        if (!has_table(state, table))
            missing.emplace_back(table);
    }
    if (!missing.empty())
        return fail(Errc::database,
                    fmt::format("the Kallithea database lacks the table(s) {}; it is not a "
                                "complete Kallithea 0.7 schema",
                                fmt::join(missing, ", ")));
    auto tx = begin_locked(conn);
    RETURN_IF_ERROR(tx);
    auto done = is_recorded(conn, kMigrations[0].version);
    RETURN_IF_ERROR(done);
    if (!*done) {
        if (auto st = record(conn, kMigrations[0]); !st)
            return st;
        log::info("adopted the Kallithea 0.7 database (alembic {})", kKallitheaAlembicRevision);
    }
    return tx->commit();
}

// Applies one migration unless a concurrent process already did; true when it ran here.
Result<bool> apply_one(Connection& conn, const Migration& m) {
    auto tx = begin_locked(conn);
    RETURN_IF_ERROR(tx);
    auto done = is_recorded(conn, m.version);
    RETURN_IF_ERROR(done);
    if (*done)
        return false;
    if (auto st = m.apply(conn); !st)
        return fail(Errc::database,
                    fmt::format("database migration {} ({}) failed", m.version, m.name),
                    st.error().detail.empty() ? st.error().message : st.error().detail);
    RETURN_IF_ERROR(record(conn, m));
    RETURN_IF_ERROR(tx->commit());
    log::info("applied database migration {} ({})", m.version, m.name);
    return true;
}

Status check_migratable(const DbState& state) {
    switch (state.kind) {
        case DbState::Kind::foreign_alembic:
            return fail(Errc::database,
                        fmt::format("the database is at Kallithea alembic revision '{}', but "
                                    "only {} (Kallithea 0.7) is supported; upgrade it first "
                                    "with Kallithea's alembic (alembic -c my.ini upgrade head)",
                                    state.alembic_revision, kKallitheaAlembicRevision));
        case DbState::Kind::unknown:
            return fail(Errc::database,
                        "the database is not empty and holds neither a Kallithea 0.7 schema "
                        "nor ours; use an empty database");
        case DbState::Kind::ours:
            if (state.version > latest_schema_version())
                return fail(Errc::database,
                            fmt::format("the database schema version {} is newer than this "
                                        "program knows ({}); upgrade the program",
                                        state.version, latest_schema_version()));
            return ok();
        default:
            return ok();
    }
}

}  // namespace

std::string DbState::describe() const {
    switch (kind) {
        case Kind::empty:
            return "empty database";
        case Kind::kallithea:
            return fmt::format("Kallithea 0.7 database (alembic {})", alembic_revision);
        case Kind::foreign_alembic:
            return fmt::format(
                "Kallithea database at alembic revision '{}' (upgrade it to {} "
                "with Kallithea's alembic first)",
                alembic_revision, kKallitheaAlembicRevision);
        case Kind::ours:
            return fmt::format("schema version {} (latest {})", version, latest_schema_version());
        case Kind::unknown:
            return fmt::format("unrecognised database ({} tables)", tables.size());
    }
    return "unrecognised database";
}

std::vector<MigrationInfo> known_migrations() {
    std::vector<MigrationInfo> out;
    for (const Migration& m : kMigrations)
        out.push_back({m.version, m.name});
    return out;
}

int latest_schema_version() {
    return std::end(kMigrations)[-1].version;
}

Result<DbState> inspect(Connection& conn) {
    DbState state;
    auto tables = list_tables(conn);
    RETURN_IF_ERROR(tables);
    state.tables = std::move(*tables);
    if (has_table(state, "alembic_version")) {
        auto rev = conn.scalar<std::string>("SELECT version_num FROM alembic_version LIMIT 1");
        RETURN_IF_ERROR(rev);
        state.alembic_revision = rev->value_or("");
    }
    if (has_table(state, "schema_migrations")) {
        auto version = conn.scalar<int64_t>("SELECT MAX(version) FROM schema_migrations");
        RETURN_IF_ERROR(version);
        state.version = static_cast<int>(version->value_or(0));
        if (state.version > 0) {
            state.kind = DbState::Kind::ours;
            return state;
        }
    }
    const bool only_ours =
        std::all_of(state.tables.begin(), state.tables.end(),
                    [](const std::string& t) { return t == "schema_migrations"; });
    if (has_table(state, "alembic_version"))
        state.kind = state.alembic_revision == kKallitheaAlembicRevision
                         ? DbState::Kind::kallithea
                         : DbState::Kind::foreign_alembic;
    else
        state.kind = only_ours ? DbState::Kind::empty : DbState::Kind::unknown;
    return state;
}

Result<int> migrate(Connection& conn) {
    auto state = inspect(conn);
    RETURN_IF_ERROR(state);
    RETURN_IF_ERROR(check_migratable(*state));
    if (state->kind == DbState::Kind::kallithea) {
        RETURN_IF_ERROR(adopt_kallithea(conn, *state));
        state->version = kMigrations[0].version;
    }
    int applied = 0;
    for (const Migration& m : kMigrations) {
        if (m.version <= state->version)
            continue;
        auto ran = apply_one(conn, m);
        RETURN_IF_ERROR(ran);
        applied += *ran ? 1 : 0;
    }
    return applied;
}

}  // namespace kallithea::db
