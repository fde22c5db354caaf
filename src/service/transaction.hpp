// The usual shapes of service database work: a pooled connection for a few reads, or one
// transaction around a write, committed when the work succeeds (otherwise it rolls back and
// nothing is written).
#pragma once

#include <filesystem>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/app.hpp"

namespace kallithea::service {

// Runs `work(conn)` (returning Status or Result<T>) on a pooled connection, which goes back to
// the pool as soon as the work returns.
template <class Work>
std::invoke_result_t<Work&, db::Connection&> with_connection(App& app, Work&& work) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return work(*conn);
}

// Runs `work(conn)` (returning Status or Result<T>) inside one write transaction on a pooled
// connection and commits if it succeeded. Returns the work's result, or the error of acquiring,
// beginning or committing.
template <class Work>
std::invoke_result_t<Work&, db::Connection&> in_transaction(App& app, Work&& work) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    auto result = work(*conn);
    if (!result)
        return result;
    RETURN_IF_ERROR(tx->commit());
    return result;
}

// Commits tx after moving directory `from` to `to` when `move` (to's parent is created): a failed
// move fails with `failure` before anything is committed, and a failed commit moves the directory
// back, so the disk and the database stay in agreement.
Status commit_with_move(db::Transaction& tx, bool move, const std::filesystem::path& from,
                        const std::filesystem::path& to, std::string_view failure);

}  // namespace kallithea::service
