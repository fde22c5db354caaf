// Test support (header-only, used by db and store tests): fresh SQLite files in temp dirs and a
// throw-away PostgreSQL server (the newest of /usr/lib/postgresql/*) started on demand.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "config/db_url.hpp"
#include "core/random.hpp"
#include "db/connection.hpp"
#include "db/dialect.hpp"
#include "db/pool.hpp"

namespace kallithea::db::testing {

// A directory removed (with its content) on destruction.
class TempDir {
public:
    TempDir() {
        path_ = std::filesystem::temp_directory_path() / ("kallithea-test-" + random::hex(8));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// One PostgreSQL cluster per test process, listening only on a Unix socket in its own temp dir
// (so no TCP port can clash); run as the `postgres` user when the tests run as root. Stopped
// and deleted when the process exits.
class PostgresServer {
public:
    static PostgresServer& instance() {
        static PostgresServer server;
        return server;
    }

    bool available() const { return error_.empty(); }
    // Why the server could not start (the tests skip with this message).
    const std::string& error() const { return error_; }

    // URL of a new empty database on the server.
    config::DbUrl fresh_database() {
        const std::string name = "t_" + random::hex(6);
        config::DbUrl admin = url_for("postgres");
        if (auto pool = Pool::open(admin, 1)) {
            if (auto conn = (*pool)->acquire())
                (void)conn->exec_script("CREATE DATABASE " + name);
        }
        return url_for(name);
    }

    ~PostgresServer() {
        if (!started_)
            return;
        run(fmt::format("{}/pg_ctl -D {} -m immediate -w stop", bin_, (dir_ / "data").string()));
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

private:
    // The newest of Debian's /usr/lib/postgresql/VERSION/bin that has initdb; empty if none.
    static std::string find_bin() {
        std::string best;
        int best_version = -1;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
            const std::string version = entry.path().filename().string();
            if (version.empty() || version.find_first_not_of("0123456789") != std::string::npos)
                continue;
            const auto bin = entry.path() / "bin";
            if (std::filesystem::exists(bin / "initdb", ec) && std::stoi(version) > best_version) {
                best_version = std::stoi(version);
                best = bin.string();
            }
        }
        return best;
    }

    PostgresServer() : bin_(find_bin()) {
        if (bin_.empty()) {
            error_ = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)";
            return;
        }
        dir_ = std::filesystem::path("/tmp") / ("kallithea-pg-" + random::hex(6));
        std::filesystem::create_directories(dir_);
        if (geteuid() == 0 &&
            std::system(fmt::format("chown postgres {}", dir_.string()).c_str()) != 0) {
            error_ = "cannot hand the temp dir to the postgres user";
            return;
        }
        port_ = 20000 + static_cast<int>(std::stoul(random::hex(2), nullptr, 16) % 40000);
        const std::string data = (dir_ / "data").string();
        const std::string log = (dir_ / "server.log").string();
        const std::string init_log = (dir_ / "initdb.log").string();
        if (run(fmt::format("{}/initdb -D {} -A trust -U postgres -N -E UTF8 --locale=C", bin_,
                            data),
                ">" + init_log + " 2>&1") != 0) {
            error_ = "initdb failed: " + slurp(init_log);
            return;
        }
        started_ = true;
        if (run(fmt::format("{}/pg_ctl -D {} -l {} -w -t 60 -o \"-p {} -k {} "
                            "-c listen_addresses='' -c fsync=off\" start",
                            bin_, data, log, port_, dir_.string())) != 0)
            error_ = "pg_ctl start failed: " + slurp(log);
    }

    // `command` runs as postgres when we are root; `redirect` applies in the calling shell.
    int run(const std::string& command, const std::string& redirect = ">/dev/null 2>&1") const {
        const std::string full =
            (geteuid() == 0 ? "runuser -u postgres -- " : "") + command + " " + redirect;
        return std::system(full.c_str());
    }

    static std::string slurp(const std::string& path) {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    config::DbUrl url_for(const std::string& database) const {
        config::DbUrl url;
        url.engine = config::DbUrl::Engine::postgresql;
        url.pg_conninfo =
            fmt::format("host={} port={} user=postgres dbname={}", dir_.string(), port_, database);
        return url;
    }

    std::string bin_;
    std::filesystem::path dir_;
    int port_ = 0;
    bool started_ = false;
    std::string error_;
};

// A new empty database of the given dialect, opened as a pool. `skip` is non-empty when
// PostgreSQL is unavailable (callers GTEST_SKIP() << skip), unless the environment variable CI
// is set: then `pool` is null and `open_error` says why (callers ASSERT_TRUE(pool)).
struct FreshDatabase {
    explicit FreshDatabase(Dialect dialect, size_t pool_size = 2) {
        if (dialect == Dialect::sqlite) {
            url.engine = config::DbUrl::Engine::sqlite;
            url.sqlite_path = (dir.path() / "kallithea.db").string();
            url.sqlite_timeout_s = 5;
        } else {
            auto& server = PostgresServer::instance();
            if (!server.available()) {
                // On CI (CI set, as .ci/run does) a missing server is a failure, not a skip.
                const char* ci = std::getenv("CI");
                (ci && *ci ? open_error : skip) =
                    "PostgreSQL test server unavailable: " + server.error();
                return;
            }
            url = server.fresh_database();
        }
        auto opened = Pool::open(url, pool_size);
        if (!opened) {
            open_error = opened.error().message + " / " + opened.error().detail;
            return;
        }
        pool = *opened;
    }

    TempDir dir;
    config::DbUrl url;
    std::shared_ptr<Pool> pool;
    std::string skip;
    std::string open_error;
};

inline std::string dialect_test_name(Dialect dialect) {
    return std::string(dialect_name(dialect));
}

}  // namespace kallithea::db::testing

namespace kallithea::db {
// Readable test parameters in GoogleTest output.
inline void PrintTo(Dialect dialect, std::ostream* os) {
    *os << dialect_name(dialect);
}
}  // namespace kallithea::db
