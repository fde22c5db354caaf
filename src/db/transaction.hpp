// RAII transaction on a Connection: commit() or it rolls back when it goes out of scope.
#pragma once

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::db {

enum class TxMode {
    write,  // SQLite: BEGIN IMMEDIATE (takes the write lock up front, so no upgrade deadlocks)
    read,   // SQLite: BEGIN (deferred). PostgreSQL: both are a plain BEGIN.
};

// A transaction begun inside another one becomes a SAVEPOINT, so a function can make its work
// atomic whether or not its caller already opened a transaction. Transactions must end in the
// reverse order of their beginning. The Connection must outlive the Transaction.
class Transaction {
public:
    // Starts a transaction (or savepoint); Errc::database / Errc::unavailable when it cannot.
    static Result<Transaction> begin(Connection& conn, TxMode mode = TxMode::write);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    // Makes the work permanent (or releases the savepoint). On failure the work is rolled back
    // and the error returned. Calling it twice is a bug (Errc::internal).
    Status commit();
    // Undoes the work now instead of at destruction.
    Status rollback();

private:
    Transaction(Connection& conn, int depth) : conn_(&conn), depth_(depth) {}
    Connection* conn_;
    int depth_;
    bool done_ = false;
};

}  // namespace kallithea::db
