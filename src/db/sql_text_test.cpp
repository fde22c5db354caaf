// Tests of the SQL text helpers and of Row conversions (no database needed).
#include "db/sql_text.hpp"

#include <gtest/gtest.h>

#include "db/row.hpp"

namespace kallithea::db {
namespace {

TEST(SqlText, RewritesPlaceholdersOutsideQuotesAndComments) {
    auto r =
        rewrite_placeholders("SELECT '?', \"a?\" FROM t -- what?\nWHERE a = ? /* ? */ AND b = ?",
                             PlaceholderStyle::soci);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->placeholders, 2u);
    EXPECT_EQ(r->text, "SELECT '?', \"a?\" FROM t -- what?\nWHERE a = :p1 /* ? */ AND b = :p2");
    auto d = rewrite_placeholders("UPDATE t SET a = ?, b = 'it''s ?' WHERE c = ?",
                                  PlaceholderStyle::dollar);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->text, "UPDATE t SET a = $1, b = 'it''s ?' WHERE c = $2");
}

TEST(SqlText, RefusesBareColons) {
    auto r = rewrite_placeholders("SELECT a::text FROM t", PlaceholderStyle::soci);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::internal);
    EXPECT_TRUE(rewrite_placeholders("SELECT '12:00'", PlaceholderStyle::soci));
}

TEST(SqlText, SplitsScripts) {
    auto parts = split_sql_script(
        "-- header; with semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\n\n"
        "/* c; */ INSERT INTO a VALUES ('x;y');  ;\n-- trailing comment\n");
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0], "CREATE TABLE a (x TEXT DEFAULT ';')");
    EXPECT_EQ(parts[1], "INSERT INTO a VALUES ('x;y')");
}

TEST(SqlText, TranslatesKallitheaDdlToPostgresql) {
    const std::string ddl =
        "CREATE TABLE g (\n    gist_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "    gist_expires FLOAT NOT NULL,\n    created_on DATETIME NOT NULL,\n"
        "    data BLOB,\n    note VARCHAR(10) DEFAULT 'BLOB FLOAT'\n)";
    EXPECT_EQ(sqlite_ddl_to_postgresql(ddl),
              "CREATE TABLE g (\n    gist_id SERIAL NOT NULL PRIMARY KEY,\n"
              "    gist_expires DOUBLE PRECISION NOT NULL,\n"
              "    created_on TIMESTAMP WITHOUT TIME ZONE NOT NULL,\n    data BYTEA,\n"
              "    note VARCHAR(10) DEFAULT 'BLOB FLOAT'\n)");
    EXPECT_EQ(ddl_for(Dialect::sqlite, ddl), ddl);
}

TEST(SqlText, OneLine) {
    EXPECT_EQ(one_line("  a\n\tb  c \n"), "a b c");
}

TEST(Row, ConvertsTextCells) {
    Row r({std::string("5000000000"), std::nullopt, std::string("t"), std::string("0"),
           std::string("1.5"), std::string("2024-01-02 03:04:05.12"),
           std::string("2024-01-02 03:04:05")});
    EXPECT_EQ(r.i64(0), 5000000000);
    EXPECT_TRUE(r.is_null(1));
    EXPECT_EQ(r.opt_i64(1), std::nullopt);
    EXPECT_EQ(r.text(1), "");
    EXPECT_TRUE(r.boolean(2));
    EXPECT_FALSE(r.boolean(3));
    EXPECT_DOUBLE_EQ(r.f64(4), 1.5);
    EXPECT_EQ(r.datetime(5), "2024-01-02 03:04:05.120000");
    EXPECT_EQ(r.datetime(6), "2024-01-02 03:04:05.000000");
    EXPECT_EQ(r.get<std::optional<std::string>>(1), std::nullopt);
    EXPECT_EQ(r.get<int64_t>(0), 5000000000);
}

}  // namespace
}  // namespace kallithea::db
