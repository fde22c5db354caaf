// A fixed-size pool of database sessions (SQLite file or PostgreSQL) shared by worker threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "config/db_url.hpp"
#include "core/error.hpp"
#include "db/connection.hpp"
#include "db/dialect.hpp"

namespace kallithea::db {

class Pool {
public:
    // Opens the first session right away (so a bad URL fails here) and up to `size` sessions on
    // demand. An in-memory SQLite database gets a single session (each would be its own DB).
    // Failure: Errc::database "cannot open database <redacted url>: <reason>" on one line, or
    // Errc::config for a URL that cannot be turned into a connection string.
    static Result<std::shared_ptr<Pool>> open(const config::DbUrl& url, size_t size);

    // Borrows a session, waiting up to `timeout` when all are lent out (then Errc::unavailable).
    // A session that lost its server connection is replaced (Errc::database if that fails).
    Result<Connection> acquire(std::chrono::milliseconds timeout = std::chrono::seconds(30));

    Dialect dialect() const;
    size_t size() const;
    // The redacted URL, for messages.
    const std::string& description() const;

    explicit Pool(std::shared_ptr<detail::PoolCore> core) : core_(std::move(core)) {}

private:
    std::shared_ptr<detail::PoolCore> core_;
};

}  // namespace kallithea::db
