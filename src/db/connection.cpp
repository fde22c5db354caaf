// Implementation of db/connection.hpp: forwards to the borrowed session.
#include "db/connection.hpp"

#include "db/db_session.hpp"
#include "db/pool_core.hpp"
#include "db/sql_text.hpp"

namespace kallithea::db {

Connection::Connection(std::shared_ptr<detail::PoolCore> pool,
                       std::unique_ptr<detail::DbSession> session)
    : pool_(std::move(pool)), session_(std::move(session)) {}

Connection::Connection(Connection&&) noexcept = default;

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        if (session_ && pool_)
            pool_->release(std::move(session_));
        pool_ = std::move(other.pool_);
        session_ = std::move(other.session_);
    }
    return *this;
}

Connection::~Connection() {
    if (session_ && pool_)
        pool_->release(std::move(session_));
}

Dialect Connection::dialect() const {
    return session_->dialect();
}

bool Connection::in_transaction() const {
    return session_->tx_depth() > 0;
}

Status Connection::exec_script(std::string_view script) {
    for (const std::string& statement : split_sql_script(script)) {
        auto r = session_->run(statement, {}, detail::RunMode::once);
        RETURN_IF_ERROR(r);
    }
    return ok();
}

Result<int64_t> Connection::exec_params(std::string_view sql, std::span<const Param> params) {
    auto r = session_->run(sql, params, detail::RunMode::cached);
    RETURN_IF_ERROR(r);
    return r->affected;
}

Result<std::vector<Row>> Connection::query_params(std::string_view sql,
                                                  std::span<const Param> params) {
    auto r = session_->run(sql, params, detail::RunMode::cached);
    RETURN_IF_ERROR(r);
    return std::move(r->rows);
}

Result<int64_t> Connection::insert_params(std::string_view sql, std::string_view id_column,
                                          std::span<const Param> params) {
    std::string full(sql);
    full += " RETURNING ";
    full += id_column;
    auto rows = query_params(full, params);
    RETURN_IF_ERROR(rows);
    if (rows->empty())
        return fail(Errc::database, "database error", "INSERT ... RETURNING gave no row: " + full);
    return rows->front().i64(0);
}

}  // namespace kallithea::db
