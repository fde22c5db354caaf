// Internal to src/db (never include it from another layer): one open SOCI session, its
// prepared-statement cache and its transaction depth.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <soci/soci.h>

#include "config/db_url.hpp"
#include "core/error.hpp"
#include "db/dialect.hpp"
#include "db/param.hpp"
#include "db/row.hpp"

namespace kallithea::db::detail {

struct RunOutput {
    std::vector<Row> rows;
    int64_t affected = 0;
};

enum class RunMode {
    cached,  // describe once, keep the prepared statement (SQLite), return rows
    once,    // prepare, run, finalize; rows are discarded (scripts, transaction control)
};

class DbSession {
public:
    // Connects and applies the per-connection settings (SQLite pragmas, PostgreSQL datestyle).
    // Errc::database "cannot open database <description>: <reason>"; Errc::config for a path
    // SOCI cannot express.
    static Result<std::unique_ptr<DbSession>> open(const config::DbUrl& url,
                                                   const std::string& description);
    ~DbSession();

    Dialect dialect() const { return dialect_; }
    // Runs one statement with `?` placeholders; see Connection for the error mapping.
    Result<RunOutput> run(std::string_view sql, std::span<const Param> params, RunMode mode);

    int tx_depth() const { return tx_depth_; }
    void set_tx_depth(int depth) { tx_depth_ = depth; }
    // True once the server connection is known to be lost or a rollback failed: the pool then
    // drops this session instead of lending it again.
    bool broken() const { return broken_; }
    // Rolls back whatever transaction is open (used when a Connection is returned mid-way).
    void abandon_transaction();

private:
    struct Prepared;
    explicit DbSession(Dialect dialect);
    Status init_sqlite(const config::DbUrl& url);
    Status init_postgresql();
    Result<int> column_count(const std::string& soci_sql, std::string_view original);
    Result<int> sqlite_column_count(const std::string& sql);
    Result<int> postgresql_column_count(std::string_view original);
    std::unique_ptr<Prepared> prepare(const std::string& soci_sql, std::span<const Param> params,
                                      int columns, bool repeatable);
    Error to_error(const soci::soci_error& e, std::string_view sql);

    soci::session session_;
    Dialect dialect_;
    std::unordered_map<std::string, int> column_counts_;
    std::unordered_map<std::string, std::unique_ptr<Prepared>> statements_;
    int tx_depth_ = 0;
    bool broken_ = false;
};

}  // namespace kallithea::db::detail
