// One SOCI session: statement execution with text-typed results, error mapping, SQLite/PG setup.
#include "db/db_session.hpp"

#include <algorithm>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fmt/format.h>

#include "core/log.hpp"
#include "db/sql_text.hpp"

namespace kallithea::db::detail {
namespace {

// SQLite keeps at most this many prepared statements per session; past it the cache restarts.
constexpr size_t kMaxCachedStatements = 256;
constexpr int kSqliteConstraintUnique = 2067;
constexpr int kSqliteConstraintPrimaryKey = 1555;
constexpr int kSqliteConstraintForeignKey = 787;
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;

// Maps a driver failure to our Error: unique and foreign-key violations are conflicts, lock
// timeouts are
// "unavailable", everything else is a database error with the driver text in `detail`.
Error classify(int sqlite_code, std::string_view sqlstate, std::string_view what,
               std::string_view sql) {
    std::string detail = fmt::format("{} [SQL: {}]", one_line(what), one_line(sql));
    if (sqlite_code == kSqliteConstraintUnique || sqlite_code == kSqliteConstraintPrimaryKey ||
        sqlstate == "23505")
        return Error{Errc::conflict, "a record with the same unique value already exists",
                     std::move(detail)};
    if (sqlite_code == kSqliteConstraintForeignKey || sqlstate == "23503")
        return Error{Errc::conflict, "the record is still referred to by other records",
                     std::move(detail)};
    const int primary = sqlite_code & 0xff;
    if (primary == kSqliteBusy || primary == kSqliteLocked || sqlstate == "40001" ||
        sqlstate == "40P01" || sqlstate == "55P03")
        return Error{Errc::unavailable, "database busy", std::move(detail)};
    return Error{Errc::database, "database error", std::move(detail)};
}

char bind_kind(const Param& p, Dialect dialect) {
    switch (p.value.index()) {
        case 1:
            return 'i';
        case 2:
            return 'd';
        case 3:
            return dialect == Dialect::sqlite ? 'i' : 's';
        default:
            return 's';  // text, and NULL (bound as text with a null indicator)
    }
}

std::string signature(std::span<const Param> params, Dialect dialect) {
    std::string out;
    for (const Param& p : params)
        out.push_back(bind_kind(p, dialect));
    return out;
}

// The native handles behind a SOCI session. SOCI does not export the RTTI of its backend
// classes, so UBSan's vptr check (which needs it) is off for these two casts.
__attribute__((no_sanitize("vptr"))) sqlite_api::sqlite3* sqlite_handle(soci::session& session) {
    return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

__attribute__((no_sanitize("vptr"))) PGconn* postgresql_handle(soci::session& session) {
    return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

std::string sqlite_connect_string(const config::DbUrl& url) {
    return fmt::format("db=\"{}\" timeout={}", url.sqlite_path, std::max(url.sqlite_timeout_s, 1));
}

std::string postgresql_connect_string(const config::DbUrl& url) {
    if (url.pg_conninfo.find("connect_timeout") != std::string::npos)
        return url.pg_conninfo;
    return url.pg_conninfo + (url.pg_conninfo.empty() ? "" : " ") + "connect_timeout=10";
}

}  // namespace

// A prepared statement with the buffers SOCI binds to: results always arrive as text.
struct DbSession::Prepared {
    struct Slot {
        long long i = 0;
        double d = 0;
        std::string s;
        soci::indicator ind = soci::i_ok;
    };

    explicit Prepared(soci::session& session) : st(session) {}

    void assign(std::span<const Param> params) {
        for (size_t k = 0; k < params.size(); ++k) {
            Slot& slot = slots[k];
            slot.ind = soci::i_ok;
            const auto& v = params[k].value;
            if (std::holds_alternative<std::monostate>(v)) {
                slot.ind = soci::i_null;
                slot.s.clear();
            } else if (auto* i = std::get_if<int64_t>(&v)) {
                slot.i = *i;
            } else if (auto* d = std::get_if<double>(&v)) {
                slot.d = *d;
            } else if (auto* b = std::get_if<bool>(&v)) {
                slot.i = *b ? 1 : 0;
                slot.s = *b ? "true" : "false";
            } else {
                slot.s = std::get<std::string>(v);
            }
        }
    }

    Row current_row() const {
        std::vector<std::optional<std::string>> cells(out.size());
        for (size_t k = 0; k < out.size(); ++k) {
            if (out_ind[k] != soci::i_null)
                cells[k] = out[k];
        }
        return Row(std::move(cells));
    }

    soci::statement st;
    std::vector<std::string> out;
    std::vector<soci::indicator> out_ind;
    std::vector<Slot> slots;  // sized before binding; never resized (SOCI keeps pointers)
};

DbSession::DbSession(Dialect dialect) : dialect_(dialect) {}

DbSession::~DbSession() {
    statements_.clear();  // statements before the session they belong to
}

Result<std::unique_ptr<DbSession>> DbSession::open(const config::DbUrl& url,
                                                   const std::string& description) {
    const bool sqlite = url.engine == config::DbUrl::Engine::sqlite;
    if (sqlite && url.sqlite_path.find('"') != std::string::npos)
        return fail(Errc::config,
                    fmt::format("cannot open database {}: the path contains '\"'", description));
    std::unique_ptr<DbSession> s(new DbSession(sqlite ? Dialect::sqlite : Dialect::postgresql));
    try {
        if (sqlite)
            s->session_.open(soci::sqlite3, sqlite_connect_string(url));
        else
            s->session_.open(soci::postgresql, postgresql_connect_string(url));
    } catch (const soci::soci_error& e) {
        return fail(Errc::database,
                    fmt::format("cannot open database {}: {}", description,
                                one_line(e.get_error_message())),
                    one_line(e.what()));
    }
    Status init = sqlite ? s->init_sqlite(url) : s->init_postgresql();
    if (!init) {
        const std::string& detail = init.error().detail;
        const std::string reason = detail.substr(0, detail.find(" [SQL: "));
        return fail(Errc::database, fmt::format("cannot open database {}: {}", description, reason),
                    detail);
    }
    return s;
}

Status DbSession::init_sqlite(const config::DbUrl& url) {
    sqlite_api::sqlite3_extended_result_codes(sqlite_handle(session_), 1);
    // busy_timeout first: switching to WAL needs a lock another process may hold.
    const int timeout_ms = std::max(url.sqlite_timeout_s, 0) * 1000;
    if (auto r = run(fmt::format("PRAGMA busy_timeout = {}", timeout_ms), {}, RunMode::once); !r)
        return fail(r.error());
    auto mode = run("PRAGMA journal_mode=WAL", {}, RunMode::cached);
    RETURN_IF_ERROR(mode);
    statements_.clear();  // the pragma is not worth keeping prepared
    const std::string journal = mode->rows.empty() ? "" : mode->rows.front().text(0);
    if (journal != "wal" && journal != "memory")
        log::warn("SQLite database {} stays in journal mode '{}' (WAL unavailable)",
                  url.sqlite_path, journal);
    for (const char* pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
        if (auto r = run(pragma, {}, RunMode::once); !r)
            return fail(r.error());
    }
    return ok();
}

Status DbSession::init_postgresql() {
    for (const char* setting :
         {"SET datestyle TO 'ISO, YMD'", "SET client_min_messages TO WARNING"}) {
        if (auto r = run(setting, {}, RunMode::once); !r)
            return fail(r.error());
    }
    return ok();
}

Result<int> DbSession::column_count(const std::string& soci_sql, std::string_view original) {
    if (auto it = column_counts_.find(soci_sql); it != column_counts_.end())
        return it->second;
    auto n = dialect_ == Dialect::sqlite ? sqlite_column_count(soci_sql)
                                         : postgresql_column_count(original);
    if (n) {
        if (column_counts_.size() >= kMaxCachedStatements * 4)
            column_counts_.clear();
        column_counts_.emplace(soci_sql, *n);
    }
    return n;
}

Result<int> DbSession::sqlite_column_count(const std::string& sql) {
    sqlite_api::sqlite3* conn = sqlite_handle(session_);
    sqlite_api::sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite_api::sqlite3_prepare_v2(conn, sql.c_str(), static_cast<int>(sql.size()),
                                                  &stmt, nullptr);
    if (rc != SQLITE_OK) {
        Error e = classify(sqlite_api::sqlite3_extended_errcode(conn), "",
                           sqlite_api::sqlite3_errmsg(conn), sql);
        sqlite_api::sqlite3_finalize(stmt);
        return fail(std::move(e));
    }
    const int n = sqlite_api::sqlite3_column_count(stmt);
    sqlite_api::sqlite3_finalize(stmt);
    return n;
}

// Describes the statement through libpq's unnamed prepared statement (no execution).
Result<int> DbSession::postgresql_column_count(std::string_view original) {
    auto rewritten = rewrite_placeholders(original, PlaceholderStyle::dollar);
    RETURN_IF_ERROR(rewritten);
    PGconn* conn = postgresql_handle(session_);
    auto failed = [&](PGresult* res) -> Error {
        const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        Error e = classify(0, state ? state : "",
                           res ? PQresultErrorMessage(res) : PQerrorMessage(conn), original);
        PQclear(res);
        if (PQstatus(conn) != CONNECTION_OK)
            broken_ = true;
        return e;
    };
    PGresult* res = PQprepare(conn, "", rewritten->text.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return fail(failed(res));
    PQclear(res);
    res = PQdescribePrepared(conn, "");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return fail(failed(res));
    const int n = PQnfields(res);
    PQclear(res);
    return n;
}

std::unique_ptr<DbSession::Prepared> DbSession::prepare(const std::string& soci_sql,
                                                        std::span<const Param> params, int columns,
                                                        bool repeatable) {
    auto p = std::make_unique<Prepared>(session_);
    p->out.resize(static_cast<size_t>(columns));
    p->out_ind.resize(static_cast<size_t>(columns), soci::i_ok);
    p->slots.resize(params.size());
    for (size_t k = 0; k < p->out.size(); ++k)
        p->st.exchange(soci::into(p->out[k], p->out_ind[k]));
    for (size_t k = 0; k < params.size(); ++k) {
        auto& slot = p->slots[k];
        switch (bind_kind(params[k], dialect_)) {
            case 'i':
                p->st.exchange(soci::use(slot.i, slot.ind));
                break;
            case 'd':
                p->st.exchange(soci::use(slot.d, slot.ind));
                break;
            default:
                p->st.exchange(soci::use(slot.s, slot.ind));
        }
    }
    p->st.alloc();
    // PostgreSQL statements stay one-shot: SOCI deallocates named statements in destructors,
    // which throws (and terminates) when the connection is gone or the transaction aborted.
    p->st.prepare(soci_sql, repeatable ? soci::details::st_repeatable_query
                                       : soci::details::st_one_time_query);
    p->st.define_and_bind();
    return p;
}

Result<RunOutput> DbSession::run(std::string_view sql, std::span<const Param> params,
                                 RunMode mode) {
    auto rewritten = rewrite_placeholders(sql, PlaceholderStyle::soci);
    RETURN_IF_ERROR(rewritten);
    if (rewritten->placeholders != params.size())
        return fail(Errc::internal, "database error",
                    fmt::format("{} placeholders but {} values [SQL: {}]", rewritten->placeholders,
                                params.size(), one_line(sql)));
    int columns = 0;
    if (mode == RunMode::cached) {
        auto n = column_count(rewritten->text, sql);
        RETURN_IF_ERROR(n);
        columns = *n;
    }
    const bool keep = mode == RunMode::cached && dialect_ == Dialect::sqlite;
    std::string key;
    std::unique_ptr<Prepared> one_shot;
    try {
        Prepared* stmt = nullptr;
        if (keep) {
            key = rewritten->text + '\x1f' + signature(params, dialect_);
            auto it = statements_.find(key);
            if (it == statements_.end()) {
                if (statements_.size() >= kMaxCachedStatements)
                    statements_.clear();
                it =
                    statements_.emplace(key, prepare(rewritten->text, params, columns, true)).first;
            }
            stmt = it->second.get();
        } else {
            one_shot = prepare(rewritten->text, params, columns, false);
            stmt = one_shot.get();
        }
        stmt->assign(params);
        RunOutput out;
        // Always read to the end: a SQLite statement left mid-way keeps its read snapshot.
        if (stmt->st.execute(true) && columns > 0) {
            do {
                out.rows.push_back(stmt->current_row());
            } while (stmt->st.fetch());
        }
        out.affected = stmt->st.get_affected_rows();
        return out;
    } catch (const soci::soci_error& e) {
        if (keep)
            statements_.erase(key);
        return fail(to_error(e, sql));
    }
}

Error DbSession::to_error(const soci::soci_error& e, std::string_view sql) {
    int sqlite_code = 0;
    std::string sqlstate;
    if (auto* se = dynamic_cast<const soci::sqlite3_soci_error*>(&e))
        sqlite_code = se->result();
    if (auto* pe = dynamic_cast<const soci::postgresql_soci_error*>(&e))
        sqlstate = pe->sqlstate();
    if (dialect_ == Dialect::postgresql) {
        if (PQstatus(postgresql_handle(session_)) != CONNECTION_OK)
            broken_ = true;
    }
    if (e.get_error_category() == soci::soci_error::connection_error)
        broken_ = true;
    return classify(sqlite_code, sqlstate, e.what(), sql);
}

void DbSession::abandon_transaction() {
    if (tx_depth_ == 0)
        return;
    tx_depth_ = 0;
    if (auto r = run("ROLLBACK", {}, RunMode::once); !r) {
        log::warn("rollback of an abandoned transaction failed: {}", r.error().detail);
        broken_ = true;
    }
}

}  // namespace kallithea::db::detail
