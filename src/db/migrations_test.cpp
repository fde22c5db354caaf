// Tests of inspect()/migrate(): the full Kallithea 0.7 schema on an empty DB, adoption of a DB
// Kallithea created, and the refusals.
#include "db/migrations.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "db/sql_text.hpp"
#include "db/testing/test_database.hpp"

namespace kallithea::db {
namespace {

using testing::FreshDatabase;

std::string reference_schema() {
    namespace fs = std::filesystem;
    std::vector<fs::path> candidates;
    if (const char* ref = std::getenv("KALLITHEA_REFERENCE"))  // as for the integration suite
        candidates.push_back(fs::path(ref) / "kallithea-schema.sql");
    if (const char* src = std::getenv("KALLITHEA_SOURCE_DIR"))
        candidates.push_back(fs::path(src) / ".." / "shared" / "reference" /
                             "kallithea-schema.sql");
    candidates.push_back(fs::path(__FILE__).parent_path() / ".." / ".." / ".." / "shared" /
                         "reference" / "kallithea-schema.sql");
    for (const auto& path : candidates) {
        std::ifstream in(path);
        if (in) {
            std::stringstream text;
            text << in.rdbuf();
            return text.str();
        }
    }
    ADD_FAILURE() << "kallithea-schema.sql not found";
    return {};
}

struct ReferenceSchema {
    std::map<std::string, std::vector<std::string>> columns;  // table -> columns
    std::map<std::string, std::string> indexes;               // index -> table
};

// Reads table, column and index names out of the reference DDL.
ReferenceSchema parse_reference(const std::string& sql) {
    ReferenceSchema out;
    for (const std::string& stmt : split_sql_script(sql)) {
        std::istringstream words(stmt);
        std::string w1, w2, name;
        words >> w1 >> w2 >> name;
        if (w1 == "CREATE" && w2 == "INDEX") {
            std::string on, table;
            words >> on >> table;
            out.indexes[name] = table;
            continue;
        }
        if (w1 != "CREATE" || w2 != "TABLE")
            continue;
        const size_t open = stmt.find('(');
        const std::string body = stmt.substr(open + 1, stmt.rfind(')') - open - 1);
        int depth = 0;
        std::string item;
        auto take = [&] {
            std::istringstream iw(item);
            std::string first;
            iw >> first;
            if (!first.empty() && first != "CONSTRAINT")
                out.columns[name].push_back(first);
            item.clear();
        };
        for (char c : body) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0)
                take();
            else
                item.push_back(c);
        }
        take();
    }
    return out;
}

std::set<std::string> actual_columns(Connection& conn, const std::string& table) {
    auto rows = conn.dialect() == Dialect::sqlite
                    ? conn.query("SELECT name FROM pragma_table_info(?)", table)
                    : conn.query(
                          "SELECT column_name FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = ?",
                          table);
    EXPECT_TRUE(rows) << rows.error().detail;
    std::set<std::string> out;
    for (const Row& r : rows.value_or(std::vector<Row>{}))
        out.insert(r.text(0));
    return out;
}

std::set<std::string> actual_indexes(Connection& conn) {
    auto rows = conn.dialect() == Dialect::sqlite
                    ? conn.query("SELECT name FROM sqlite_master WHERE type = 'index'")
                    : conn.query(
                          "SELECT indexname FROM pg_indexes "
                          "WHERE schemaname = current_schema()");
    EXPECT_TRUE(rows);
    std::set<std::string> out;
    for (const Row& r : rows.value_or(std::vector<Row>{}))
        out.insert(r.text(0));
    return out;
}

class MigrationsTest : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        db_ = std::make_unique<FreshDatabase>(GetParam());
        if (!db_->skip.empty()) {
            GTEST_SKIP() << db_->skip;
        }
        ASSERT_TRUE(db_->pool) << db_->open_error;
        auto c = db_->pool->acquire();
        ASSERT_TRUE(c);
        conn_.emplace(std::move(*c));
    }
    void TearDown() override {
        conn_.reset();
        db_.reset();
    }
    Connection& conn() { return *conn_; }
    // Builds the database the way Kallithea's db-create does: its DDL and alembic stamp.
    void create_kallithea_database(std::string_view revision) {
        for (const std::string& stmt : split_sql_script(reference_schema()))
            ASSERT_TRUE(conn().exec_script(ddl_for(conn().dialect(), stmt))) << stmt;
        ASSERT_TRUE(conn().exec("INSERT INTO alembic_version VALUES (?)", revision));
    }

    std::unique_ptr<FreshDatabase> db_;
    std::optional<Connection> conn_;
};

TEST_P(MigrationsTest, EmptyDatabaseGetsEveryKallitheaTableAndColumn) {
    auto before = inspect(conn());
    ASSERT_TRUE(before);
    EXPECT_EQ(before->kind, DbState::Kind::empty);
    auto applied = migrate(conn());
    ASSERT_TRUE(applied) << applied.error().message << " / " << applied.error().detail;
    EXPECT_EQ(*applied, latest_schema_version());

    const ReferenceSchema reference = parse_reference(reference_schema());
    ASSERT_EQ(reference.columns.size(), 30u);
    for (const auto& [table, columns] : reference.columns) {
        const std::set<std::string> have = actual_columns(conn(), table);
        ASSERT_FALSE(have.empty()) << "missing table " << table;
        for (const std::string& column : columns)
            EXPECT_TRUE(have.count(column)) << table << "." << column;
        EXPECT_EQ(have.size(), columns.size()) << table;
    }
    const std::set<std::string> indexes = actual_indexes(conn());
    for (const auto& [index, table] : reference.indexes)
        EXPECT_TRUE(indexes.count(index)) << index << " on " << table;
    EXPECT_EQ(*conn().scalar<std::string>("SELECT version_num FROM alembic_version"),
              std::optional<std::string>(std::string(kKallitheaAlembicRevision)));
    EXPECT_TRUE(actual_columns(conn(), "web_sessions").count("csrf_token"));
    EXPECT_TRUE(indexes.count("web_sessions_expires_on_idx"));
    // Migration 3: lookups by object, parent group and member for permission-aware listings.
    for (const char* index :
         {"repositories_group_id_idx", "repositories_user_id_idx", "groups_group_parent_id_idx",
          "repo_to_perm_repository_id_idx", "repo_to_perm_user_id_permission_id_idx",
          "users_group_repo_to_perm_users_group_id_idx", "user_repo_group_to_perm_group_id_idx",
          "users_group_repo_group_to_perm_group_id_idx", "users_groups_members_user_id_idx",
          "users_groups_members_users_group_id_idx"})
        EXPECT_TRUE(indexes.count(index)) << index;

    auto after = inspect(conn());
    ASSERT_TRUE(after);
    EXPECT_EQ(after->kind, DbState::Kind::ours);
    EXPECT_EQ(after->version, latest_schema_version());
}

TEST_P(MigrationsTest, MigratingTwiceIsANoOp) {
    ASSERT_TRUE(migrate(conn()));
    auto again = migrate(conn());
    ASSERT_TRUE(again) << again.error().detail;
    EXPECT_EQ(*again, 0);
    EXPECT_EQ(*conn().scalar<int64_t>("SELECT COUNT(*) FROM schema_migrations"),
              std::optional<int64_t>(latest_schema_version()));
}

TEST_P(MigrationsTest, AdoptsAKallitheaDatabaseWithoutTouchingItsData) {
    create_kallithea_database(kKallitheaAlembicRevision);
    ASSERT_TRUE(conn().exec(
        "INSERT INTO users (user_id, username, password, active, admin, firstname, lastname, "
        "email, api_key, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        7, "alice", "$2b$10$hash", true, false, "Alice", "A", "alice@example.com",
        "0123456789abcdef0123456789abcdef01234567", "2020-05-06 07:08:09.000001"));
    auto state = inspect(conn());
    ASSERT_TRUE(state);
    EXPECT_EQ(state->kind, DbState::Kind::kallithea);

    auto applied = migrate(conn());
    ASSERT_TRUE(applied) << applied.error().message << " / " << applied.error().detail;
    EXPECT_EQ(*applied, latest_schema_version() - 1);
    auto user = conn().query_one(
        "SELECT username, password, firstname, email, api_key, created_on FROM users "
        "WHERE user_id = ?",
        7);
    ASSERT_TRUE(user && *user);
    EXPECT_EQ((*user)->text(0), "alice");
    EXPECT_EQ((*user)->text(1), "$2b$10$hash");
    EXPECT_EQ((*user)->text(2), "Alice");
    EXPECT_EQ((*user)->text(3), "alice@example.com");
    EXPECT_EQ((*user)->datetime(5), "2020-05-06 07:08:09.000001");
    EXPECT_FALSE(actual_columns(conn(), "web_sessions").empty());
    EXPECT_EQ(*conn().scalar<std::string>("SELECT version_num FROM alembic_version"),
              std::optional<std::string>(std::string(kKallitheaAlembicRevision)));
    auto after = inspect(conn());
    ASSERT_TRUE(after);
    EXPECT_EQ(after->kind, DbState::Kind::ours);
    EXPECT_EQ(after->version, latest_schema_version());
}

TEST_P(MigrationsTest, RefusesAnIncompleteKallitheaDatabase) {
    create_kallithea_database(kKallitheaAlembicRevision);
    ASSERT_TRUE(conn().exec_script("DROP TABLE gists"));
    auto applied = migrate(conn());
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().message.find("gists"), std::string::npos) << applied.error().message;
    auto state = inspect(conn());
    ASSERT_TRUE(state);
    EXPECT_EQ(state->kind, DbState::Kind::kallithea);
}

TEST_P(MigrationsTest, RefusesAnotherAlembicRevision) {
    create_kallithea_database("a020f7044fd6");
    auto state = inspect(conn());
    ASSERT_TRUE(state);
    EXPECT_EQ(state->kind, DbState::Kind::foreign_alembic);
    EXPECT_EQ(state->alembic_revision, "a020f7044fd6");
    auto applied = migrate(conn());
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.error().code, Errc::database);
    const std::string& m = applied.error().message;
    EXPECT_NE(m.find("a020f7044fd6"), std::string::npos) << m;
    EXPECT_NE(m.find("upgrade"), std::string::npos) << m;
    EXPECT_NE(m.find("alembic"), std::string::npos) << m;
    EXPECT_FALSE(actual_columns(conn(), "web_sessions").size());
}

TEST_P(MigrationsTest, RefusesUnknownAndNewerDatabases) {
    ASSERT_TRUE(conn().exec_script("CREATE TABLE something_else (x INTEGER)"));
    auto state = inspect(conn());
    ASSERT_TRUE(state);
    EXPECT_EQ(state->kind, DbState::Kind::unknown);
    EXPECT_FALSE(migrate(conn()));

    ASSERT_TRUE(conn().exec_script("DROP TABLE something_else"));
    ASSERT_TRUE(migrate(conn()));
    ASSERT_TRUE(
        conn().exec("INSERT INTO schema_migrations (version, name, applied_on) VALUES (?, ?, ?)",
                    999, "future", "2030-01-01 00:00:00.000000"));
    auto newer = migrate(conn());
    ASSERT_FALSE(newer);
    EXPECT_NE(newer.error().message.find("newer"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Dialects, MigrationsTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgresql),
                         [](const auto& info) { return testing::dialect_test_name(info.param); });

}  // namespace
}  // namespace kallithea::db
