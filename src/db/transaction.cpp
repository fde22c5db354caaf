// Implementation of db/transaction.hpp: BEGIN/COMMIT at depth 0, SAVEPOINTs below.
#include "db/transaction.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "db/db_session.hpp"

namespace kallithea::db {
namespace {

Status control(detail::DbSession& session, const std::string& sql) {
    auto r = session.run(sql, {}, detail::RunMode::once);
    RETURN_IF_ERROR(r);
    return ok();
}

}  // namespace

Result<Transaction> Transaction::begin(Connection& conn, TxMode mode) {
    if (!conn.session_)
        return fail(Errc::internal, "database error", "transaction on a returned connection");
    detail::DbSession& session = *conn.session_;
    const int depth = session.tx_depth();
    std::string sql;
    if (depth > 0)
        sql = fmt::format("SAVEPOINT kallithea_sp{}", depth);
    else if (session.dialect() == Dialect::sqlite && mode == TxMode::write)
        sql = "BEGIN IMMEDIATE";
    else
        sql = "BEGIN";
    RETURN_IF_ERROR(control(session, sql));
    session.set_tx_depth(depth + 1);
    return Transaction(conn, depth);
}

Transaction::Transaction(Transaction&& other) noexcept
    : conn_(other.conn_), depth_(other.depth_), done_(other.done_) {
    other.done_ = true;
}

Transaction::~Transaction() {
    // A Connection handed back to the pool already had its transaction rolled back.
    if (!done_ && conn_->session_) {
        if (auto st = rollback(); !st)
            log::warn("transaction rollback failed: {}", st.error().detail);
    }
}

Status Transaction::commit() {
    if (done_ || !conn_->session_ || conn_->session_->tx_depth() != depth_ + 1)
        return fail(Errc::internal, "database error",
                    "commit of a transaction that is not the innermost open one");
    detail::DbSession& session = *conn_->session_;
    const std::string sql = depth_ == 0 ? std::string("COMMIT")
                                        : fmt::format("RELEASE SAVEPOINT kallithea_sp{}", depth_);
    auto st = control(session, sql);
    if (!st) {
        (void)rollback();
        return st;
    }
    done_ = true;
    session.set_tx_depth(depth_);
    return ok();
}

Status Transaction::rollback() {
    if (done_ || !conn_->session_)
        return ok();
    done_ = true;
    detail::DbSession& session = *conn_->session_;
    if (session.tx_depth() != depth_ + 1)
        return fail(Errc::internal, "database error",
                    "rollback of a transaction that is not the innermost open one");
    if (depth_ == 0) {
        // Whatever happens, the session is no longer inside a transaction we track.
        session.set_tx_depth(0);
        return control(session, "ROLLBACK");
    }
    auto st = control(session, fmt::format("ROLLBACK TO SAVEPOINT kallithea_sp{}", depth_));
    if (st)
        st = control(session, fmt::format("RELEASE SAVEPOINT kallithea_sp{}", depth_));
    session.set_tx_depth(depth_);
    return st;
}

}  // namespace kallithea::db
