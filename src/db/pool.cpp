// Implementation of db/pool.hpp: lazily opened sessions handed out under a mutex.
#include "db/pool.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "db/pool_core.hpp"

namespace kallithea::db {
namespace {

// The URL for messages when it was built field by field (no original text to redact).
std::string describe(const config::DbUrl& url) {
    if (!url.original.empty())
        return url.redacted();
    if (url.engine == config::DbUrl::Engine::sqlite)
        return "sqlite:///" + url.sqlite_path;
    std::string out = "postgresql:";
    size_t i = 0;
    const std::string& info = url.pg_conninfo;
    while (i < info.size()) {
        size_t end = i;
        bool quoted = false;
        while (end < info.size() && (quoted || info[end] != ' ')) {
            if (info[end] == '\'')
                quoted = !quoted;
            ++end;
        }
        const std::string token = info.substr(i, end - i);
        if (!token.empty())
            out += " " + (token.rfind("password=", 0) == 0 ? std::string("password=***") : token);
        i = end + 1;
    }
    return out;
}

}  // namespace

namespace detail {

Result<Connection> PoolCore::acquire(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    if (!available.wait_for(lock, timeout, [&] { return !idle.empty() || live < size; }))
        return fail(Errc::unavailable, fmt::format("all {} database connections are busy", size));
    if (!idle.empty()) {
        auto session = std::move(idle.back());
        idle.pop_back();
        return Connection(shared_from_this(), std::move(session));
    }
    ++live;
    lock.unlock();
    auto session = DbSession::open(url, description);
    if (!session) {
        lock.lock();
        --live;
        available.notify_one();
        return fail(std::move(session.error()));
    }
    return Connection(shared_from_this(), std::move(*session));
}

void PoolCore::release(std::unique_ptr<DbSession> session) noexcept {
    if (session->tx_depth() > 0) {
        log::warn("database connection returned with an open transaction; rolling back");
        session->abandon_transaction();
    }
    std::unique_ptr<DbSession> dropped;
    {
        std::lock_guard lock(mutex);
        if (session->broken()) {
            --live;
            dropped = std::move(session);
        } else {
            idle.push_back(std::move(session));
        }
    }
    available.notify_one();
}

}  // namespace detail

Result<std::shared_ptr<Pool>> Pool::open(const config::DbUrl& url, size_t size) {
    auto core = std::make_shared<detail::PoolCore>();
    core->url = url;
    core->description = describe(url);
    const bool sqlite = url.engine == config::DbUrl::Engine::sqlite;
    core->dialect = sqlite ? Dialect::sqlite : Dialect::postgresql;
    const bool memory = sqlite && (url.sqlite_path.empty() || url.sqlite_path == ":memory:");
    if (memory)
        core->url.sqlite_path = ":memory:";
    core->size = memory ? 1 : std::max<size_t>(size, 1);
    auto first = detail::DbSession::open(core->url, core->description);
    RETURN_IF_ERROR(first);
    core->idle.push_back(std::move(*first));
    core->live = 1;
    return std::make_shared<Pool>(std::move(core));
}

Result<Connection> Pool::acquire(std::chrono::milliseconds timeout) {
    return core_->acquire(timeout);
}

Dialect Pool::dialect() const {
    return core_->dialect;
}

size_t Pool::size() const {
    return core_->size;
}

const std::string& Pool::description() const {
    return core_->description;
}

}  // namespace kallithea::db
