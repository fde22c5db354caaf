// Test support (header-only): a GoogleTest fixture giving each store test a migrated, empty
// database on SQLite and on PostgreSQL (skipped when its server cannot start, failed with CI set).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "db/migrations.hpp"
#include "db/testing/test_database.hpp"
#include "store/seed.hpp"

namespace kallithea::store::testing {

class StoreTest : public ::testing::TestWithParam<db::Dialect> {
protected:
    void SetUp() override {
        db_ = std::make_unique<db::testing::FreshDatabase>(GetParam());
        if (!db_->skip.empty()) {
            GTEST_SKIP() << db_->skip;
        }
        ASSERT_TRUE(db_->pool) << db_->open_error;
        auto c = db_->pool->acquire();
        ASSERT_TRUE(c) << c.error().detail;
        conn_.emplace(std::move(*c));
        auto applied = db::migrate(*conn_);
        ASSERT_TRUE(applied) << applied.error().message << " / " << applied.error().detail;
    }
    void TearDown() override {
        conn_.reset();
        db_.reset();
    }

    db::Connection& conn() { return *conn_; }

    static SeedOptions seed_options() {
        SeedOptions o;
        o.admin_username = "admin";
        o.admin_password_hash = "$2b$10$adminhashadminhashadminhashadminhashadminhashadminha";
        o.admin_email = "Admin@Example.com";
        o.repos_root = "/srv/repos";
        o.public_access = true;
        o.default_password_hash = "$2b$10$defaulthashdefaulthashdefaulthashdefaulthashdefault";
        return o;
    }

    void seed() {
        auto st = seed_new_database(conn(), seed_options());
        ASSERT_TRUE(st) << st.error().message << " / " << st.error().detail;
    }

    std::unique_ptr<db::testing::FreshDatabase> db_;
    std::optional<db::Connection> conn_;
};

#define KALLITHEA_STORE_DIALECTS(Suite)                                                   \
    INSTANTIATE_TEST_SUITE_P(                                                             \
        Dialects, Suite, ::testing::Values(db::Dialect::sqlite, db::Dialect::postgresql), \
        [](const auto& info) { return db::testing::dialect_test_name(info.param); })

}  // namespace kallithea::store::testing
