// Internal to src/db: the shared state behind Pool handles and borrowed Connections.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/db_url.hpp"
#include "core/error.hpp"
#include "db/connection.hpp"
#include "db/db_session.hpp"

namespace kallithea::db::detail {

struct PoolCore : std::enable_shared_from_this<PoolCore> {
    config::DbUrl url;
    std::string description;
    Dialect dialect = Dialect::sqlite;
    size_t size = 1;

    std::mutex mutex;
    std::condition_variable available;
    std::vector<std::unique_ptr<DbSession>> idle;
    size_t live = 0;  // sessions that exist, idle or lent out

    // See Pool::acquire.
    Result<Connection> acquire(std::chrono::milliseconds timeout);
    // Takes a session back from a Connection; broken sessions are dropped.
    void release(std::unique_ptr<DbSession> session) noexcept;
};

}  // namespace kallithea::db::detail
