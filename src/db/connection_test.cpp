// Tests of Pool, Connection and Transaction on SQLite and (when it can start) PostgreSQL.
#include "db/connection.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "db/pool.hpp"
#include "db/testing/test_database.hpp"
#include "db/transaction.hpp"

namespace kallithea::db {
namespace {

using testing::FreshDatabase;

class ConnectionTest : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        db_ = std::make_unique<FreshDatabase>(GetParam());
        if (!db_->skip.empty()) {
            GTEST_SKIP() << db_->skip;
        }
        ASSERT_TRUE(db_->pool) << db_->open_error;
        auto c = db_->pool->acquire();
        ASSERT_TRUE(c) << c.error().detail;
        conn_.emplace(std::move(*c));
        ASSERT_TRUE(conn_->exec_script(
            "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY " +
            std::string(GetParam() == Dialect::sqlite ? "AUTOINCREMENT" : "") +
            ", name VARCHAR(50) NOT NULL UNIQUE, n BIGINT, f DOUBLE PRECISION, b BOOLEAN, "
            "at TIMESTAMP)"));
    }
    void TearDown() override {
        conn_.reset();
        db_.reset();
    }
    Connection& conn() { return *conn_; }

    std::unique_ptr<FreshDatabase> db_;
    std::optional<Connection> conn_;
};

TEST_P(ConnectionTest, BindsAndReadsEveryType) {
    if (GetParam() == Dialect::postgresql) {  // SERIAL for PG, rebuild the table
        ASSERT_TRUE(
            conn().exec_script("DROP TABLE t; CREATE TABLE t (id SERIAL PRIMARY KEY, "
                               "name VARCHAR(50) NOT NULL UNIQUE, n BIGINT, "
                               "f DOUBLE PRECISION, b BOOLEAN, at TIMESTAMP)"));
    }
    auto id = conn().insert("INSERT INTO t (name, n, f, b, at) VALUES (?, ?, ?, ?, ?)", "id",
                            "it's \"quoted\" ?", int64_t{5000000000}, 2.5, true,
                            "2024-01-02 03:04:05.123456");
    ASSERT_TRUE(id) << id.error().detail;
    EXPECT_EQ(*id, 1);
    auto id2 = conn().insert("INSERT INTO t (name, n, f, b, at) VALUES (?, ?, ?, ?, ?)", "id",
                             std::string("second"), std::optional<int64_t>(), nullptr, false,
                             std::nullopt);
    ASSERT_TRUE(id2) << id2.error().detail;
    EXPECT_EQ(*id2, 2);

    auto rows = conn().query("SELECT id, name, n, f, b, at FROM t ORDER BY id");
    ASSERT_TRUE(rows) << rows.error().detail;
    ASSERT_EQ(rows->size(), 2u);
    const Row& a = (*rows)[0];
    EXPECT_EQ(a.text(1), "it's \"quoted\" ?");
    EXPECT_EQ(a.i64(2), 5000000000);
    EXPECT_DOUBLE_EQ(a.f64(3), 2.5);
    EXPECT_TRUE(a.boolean(4));
    EXPECT_EQ(a.datetime(5), "2024-01-02 03:04:05.123456");
    const Row& b = (*rows)[1];
    EXPECT_EQ(b.opt_i64(2), std::nullopt);
    EXPECT_EQ(b.opt_f64(3), std::nullopt);
    EXPECT_EQ(b.opt_boolean(4), std::optional<bool>(false));
    EXPECT_EQ(b.opt_datetime(5), std::nullopt);

    auto none = conn().query_one("SELECT id FROM t WHERE name = ?", "nobody");
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    auto count = conn().scalar<int64_t>("SELECT COUNT(*) FROM t WHERE b = ?", true);
    ASSERT_TRUE(count) << count.error().detail;
    EXPECT_EQ(*count, std::optional<int64_t>(1));
    auto changed = conn().exec_count("UPDATE t SET n = n + 1 WHERE n IS NOT NULL");
    ASSERT_TRUE(changed);
    EXPECT_EQ(*changed, 1);
}

TEST_P(ConnectionTest, UniqueViolationIsConflictOtherErrorsAreDatabase) {
    ASSERT_TRUE(conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 1, "x"));
    auto dup = conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 2, "x");
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);
    auto bad = conn().query("SELECT nope FROM t");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::database);
    EXPECT_EQ(bad.error().message, "database error");
    EXPECT_NE(bad.error().detail.find("nope"), std::string::npos);
    auto wrong_count = conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 3);
    ASSERT_FALSE(wrong_count);
    EXPECT_EQ(wrong_count.error().code, Errc::internal);
    // The connection still works after errors.
    EXPECT_TRUE(conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 2, "y"));
}

TEST_P(ConnectionTest, ForeignKeyViolationIsConflict) {
    ASSERT_TRUE(
        conn().exec_script("CREATE TABLE fk_parent (id INTEGER PRIMARY KEY);"
                           "CREATE TABLE fk_child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL "
                           "REFERENCES fk_parent (id));"));
    ASSERT_TRUE(conn().exec("INSERT INTO fk_parent (id) VALUES (?)", 1));
    ASSERT_TRUE(conn().exec("INSERT INTO fk_child (id, parent) VALUES (?, ?)", 1, 1));
    auto orphan = conn().exec("INSERT INTO fk_child (id, parent) VALUES (?, ?)", 2, 7);
    ASSERT_FALSE(orphan);
    EXPECT_EQ(orphan.error().code, Errc::conflict);
    auto referenced = conn().exec("DELETE FROM fk_parent WHERE id = ?", 1);
    ASSERT_FALSE(referenced);
    EXPECT_EQ(referenced.error().code, Errc::conflict);
    EXPECT_EQ(referenced.error().message, "the record is still referred to by other records");
    ASSERT_TRUE(conn().exec_script("DROP TABLE fk_child; DROP TABLE fk_parent;"));
}

TEST_P(ConnectionTest, TransactionRollsBackOnDestructionAndCommits) {
    {
        auto tx = Transaction::begin(conn());
        ASSERT_TRUE(tx) << tx.error().detail;
        EXPECT_TRUE(conn().in_transaction());
        ASSERT_TRUE(conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 1, "gone"));
    }
    EXPECT_FALSE(conn().in_transaction());
    EXPECT_EQ(*conn().scalar<int64_t>("SELECT COUNT(*) FROM t"), std::optional<int64_t>(0));
    {
        auto tx = Transaction::begin(conn());
        ASSERT_TRUE(tx);
        ASSERT_TRUE(conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 1, "kept"));
        {
            auto inner = Transaction::begin(conn());
            ASSERT_TRUE(inner) << inner.error().detail;
            ASSERT_TRUE(conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 2, "inner"));
            // A failing statement inside the savepoint does not doom the outer transaction.
            EXPECT_FALSE(conn().exec("INSERT INTO t (id, name) VALUES (?, ?)", 3, "kept"));
        }
        ASSERT_TRUE(tx->commit());
        EXPECT_FALSE(tx->commit());
    }
    auto names = conn().query("SELECT name FROM t ORDER BY id");
    ASSERT_TRUE(names);
    ASSERT_EQ(names->size(), 1u);
    EXPECT_EQ((*names)[0].text(0), "kept");
}

TEST_P(ConnectionTest, PoolWaitsThenTimesOutAndRollsBackReturnedSessions) {
    auto pool = db_->pool;  // size 2; conn_ holds one
    {
        auto second = pool->acquire();
        ASSERT_TRUE(second);
        auto tx = Transaction::begin(*second);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(second->exec("INSERT INTO t (id, name) VALUES (?, ?)", 9, "abandoned"));
        auto third = pool->acquire(std::chrono::milliseconds(50));
        ASSERT_FALSE(third);
        EXPECT_EQ(third.error().code, Errc::unavailable);
        // The session goes back to the pool with its transaction open: the pool rolls back.
        { Connection gone = std::move(*second); }
    }
    std::thread other([&] {
        auto c = pool->acquire(std::chrono::seconds(10));
        ASSERT_TRUE(c);
        EXPECT_FALSE(c->in_transaction());
    });
    other.join();
    EXPECT_EQ(*conn().scalar<int64_t>("SELECT COUNT(*) FROM t"), std::optional<int64_t>(0));
}

TEST_P(ConnectionTest, ConcurrentWritersOnSeparateConnectionsAllSucceed) {
    constexpr int kPerThread = 25;
    auto writer = [&](int offset) {
        auto c = db_->pool->acquire();
        ASSERT_TRUE(c);
        for (int i = 0; i < kPerThread; ++i) {
            auto tx = Transaction::begin(*c);
            ASSERT_TRUE(tx) << tx.error().detail;
            auto n = c->scalar<int64_t>("SELECT COUNT(*) FROM t");
            ASSERT_TRUE(n) << n.error().detail;
            ASSERT_TRUE(c->exec("INSERT INTO t (id, name) VALUES (?, ?)", offset + i,
                                "row" + std::to_string(offset + i)));
            ASSERT_TRUE(tx->commit());
        }
    };
    conn_.reset();  // give both pool sessions to the writers
    std::thread a(writer, 1000), b(writer, 2000);
    a.join();
    b.join();
    auto c = db_->pool->acquire();
    ASSERT_TRUE(c);
    EXPECT_EQ(*c->scalar<int64_t>("SELECT COUNT(*) FROM t"),
              std::optional<int64_t>(2 * kPerThread));
}

INSTANTIATE_TEST_SUITE_P(Dialects, ConnectionTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgresql),
                         [](const auto& info) { return testing::dialect_test_name(info.param); });

TEST(SqlitePool, SetsPragmasOnEveryConnection) {
    FreshDatabase db(Dialect::sqlite);
    ASSERT_TRUE(db.pool) << db.open_error;
    auto first = db.pool->acquire();
    auto second = db.pool->acquire();
    ASSERT_TRUE(first && second);
    for (Connection* conn : {&*first, &*second}) {
        EXPECT_EQ(*conn->scalar<std::string>("PRAGMA journal_mode"),
                  std::optional<std::string>("wal"));
        EXPECT_EQ(*conn->scalar<int64_t>("PRAGMA foreign_keys"), std::optional<int64_t>(1));
        EXPECT_EQ(*conn->scalar<int64_t>("PRAGMA busy_timeout"), std::optional<int64_t>(5000));
        EXPECT_EQ(*conn->scalar<int64_t>("PRAGMA synchronous"), std::optional<int64_t>(1));
        EXPECT_EQ(conn->dialect(), Dialect::sqlite);
    }
}

TEST(SqlitePool, BadPathNamesTheUrl) {
    config::DbUrl url;
    url.engine = config::DbUrl::Engine::sqlite;
    url.sqlite_path = "/nonexistent-dir/sub/kallithea.db";
    auto pool = Pool::open(url, 2);
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().code, Errc::database);
    EXPECT_NE(pool.error().message.find("sqlite:////nonexistent-dir/sub/kallithea.db"),
              std::string::npos)
        << pool.error().message;
    EXPECT_EQ(pool.error().message.find('\n'), std::string::npos);
}

TEST(SqlitePool, FileThatIsNotADatabaseIsRefused) {
    testing::TempDir dir;
    const auto path = dir.path() / "garbage.db";
    std::ofstream(path) << std::string(4096, 'x');
    config::DbUrl url;
    url.engine = config::DbUrl::Engine::sqlite;
    url.sqlite_path = path.string();
    auto pool = Pool::open(url, 1);
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().code, Errc::database);
    EXPECT_NE(pool.error().message.find("sqlite:///" + path.string()), std::string::npos);
    EXPECT_NE(pool.error().message.find("not a database"), std::string::npos)
        << pool.error().message;
}

TEST(PostgresqlPool, UnreachableServerNamesTheRedactedUrl) {
    config::DbUrl url;
    url.engine = config::DbUrl::Engine::postgresql;
    url.original = "postgresql://kallithea:s3cret@127.0.0.1:1/kallithea";
    url.pg_conninfo = "host=127.0.0.1 port=1 user=kallithea password=s3cret dbname=kallithea";
    auto pool = Pool::open(url, 1);
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().code, Errc::database);
    EXPECT_NE(pool.error().message.find("postgresql://kallithea:***@127.0.0.1:1/kallithea"),
              std::string::npos)
        << pool.error().message;
    EXPECT_EQ(pool.error().message.find("s3cret"), std::string::npos);
    EXPECT_EQ(pool.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace kallithea::db
