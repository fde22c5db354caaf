// A database connection borrowed from a Pool: run statements with bound `?` parameters.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/dialect.hpp"
#include "db/param.hpp"
#include "db/row.hpp"

namespace kallithea::db {

namespace detail {
class DbSession;
struct PoolCore;
}  // namespace detail

// Move-only handle; its destructor rolls back an open transaction and returns the session to
// the pool. One thread at a time. SQL uses `?` placeholders on both dialects; values are always
// bound, never spliced (Param: NULL, integers, double, bool, text, std::optional of those).
// Write CAST(x AS t), not x::t: a ':' outside quotes is refused (Errc::internal). Results come
// back as text and are converted by Row. Failures: Errc::database ("database error", driver
// text and SQL in `detail`), Errc::conflict for unique-constraint violations,
// Errc::unavailable when SQLite stays busy past its busy timeout (or a PostgreSQL
// deadlock/serialization failure), Errc::internal for a placeholder/argument count mismatch.
// On PostgreSQL a failed statement inside a transaction aborts that transaction.
class Connection {
public:
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    Dialect dialect() const;
    bool in_transaction() const;

    // Runs a statement; rows it returns are discarded.
    template <class... Args>
    Status exec(std::string_view sql, const Args&... args) {
        auto affected = exec_count(sql, args...);
        RETURN_IF_ERROR(affected);
        return ok();
    }

    // Runs a statement and returns the number of rows it inserted, updated or deleted.
    template <class... Args>
    Result<int64_t> exec_count(std::string_view sql, const Args&... args) {
        const std::array<Param, sizeof...(Args)> params{Param(args)...};
        return exec_params(sql, params);
    }

    // All rows of a query.
    template <class... Args>
    Result<std::vector<Row>> query(std::string_view sql, const Args&... args) {
        const std::array<Param, sizeof...(Args)> params{Param(args)...};
        return query_params(sql, params);
    }

    // The first row, or nullopt when there is none (add LIMIT 1 when more could match).
    template <class... Args>
    Result<std::optional<Row>> query_one(std::string_view sql, const Args&... args) {
        auto rows = query(sql, args...);
        RETURN_IF_ERROR(rows);
        if (rows->empty())
            return std::optional<Row>();
        return std::optional<Row>(std::move(rows->front()));
    }

    // Column 0 of the first row as T (see Row::get), or nullopt when there is no row.
    template <class T, class... Args>
    Result<std::optional<T>> scalar(std::string_view sql, const Args&... args) {
        auto row = query_one(sql, args...);
        RETURN_IF_ERROR(row);
        if (!*row)
            return std::optional<T>();
        return std::optional<T>((*row)->template get<T>(0));
    }

    // Runs an INSERT and returns the new row's `id_column` (appends RETURNING, which SQLite
    // >= 3.35 and PostgreSQL both support).
    template <class... Args>
    Result<int64_t> insert(std::string_view sql, std::string_view id_column, const Args&... args) {
        const std::array<Param, sizeof...(Args)> params{Param(args)...};
        return insert_params(sql, id_column, params);
    }

    // Runs a script of ';'-separated statements without parameters (migrations, fixtures);
    // stops at the first failing statement.
    Status exec_script(std::string_view script);

    Result<int64_t> exec_params(std::string_view sql, std::span<const Param> params);
    Result<std::vector<Row>> query_params(std::string_view sql, std::span<const Param> params);
    Result<int64_t> insert_params(std::string_view sql, std::string_view id_column,
                                  std::span<const Param> params);

private:
    friend struct detail::PoolCore;
    friend class Transaction;
    Connection(std::shared_ptr<detail::PoolCore> pool, std::unique_ptr<detail::DbSession> session);

    std::shared_ptr<detail::PoolCore> pool_;
    std::unique_ptr<detail::DbSession> session_;
};

}  // namespace kallithea::db
