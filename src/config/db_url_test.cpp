// Tests of sqlalchemy.url parsing: SQLite paths and options, PostgreSQL conninfo, redaction,
// errors.
#include "config/db_url.hpp"

#include <gtest/gtest.h>

namespace kallithea::config {
namespace {

DbUrl parse_ok(std::string_view url) {
    auto db = DbUrl::parse(url);
    EXPECT_TRUE(db) << url << ": " << (db ? "" : db.error().message);
    return db ? *db : DbUrl{};
}

Error parse_error(std::string_view url) {
    auto db = DbUrl::parse(url);
    EXPECT_FALSE(db) << url;
    if (db)
        return {};
    EXPECT_EQ(db.error().code, Errc::config) << url;
    EXPECT_NE(db.error().message.find("sqlalchemy.url"), std::string::npos) << db.error().message;
    EXPECT_EQ(db.error().message.find('\n'), std::string::npos);
    return db.error();
}

TEST(DbUrl, SqliteRelativePath) {
    const DbUrl db = parse_ok("sqlite:///kallithea.db");
    EXPECT_EQ(db.engine, DbUrl::Engine::sqlite);
    EXPECT_EQ(db.sqlite_path, "kallithea.db");
    EXPECT_EQ(db.sqlite_timeout_s, 60);
    EXPECT_EQ(db.original, "sqlite:///kallithea.db");
    EXPECT_EQ(parse_ok("sqlite:///data/sub/k.db").sqlite_path, "data/sub/k.db");
}

TEST(DbUrl, SqliteAbsolutePathWithTimeout) {
    const DbUrl db = parse_ok("sqlite:////abs/dir/kallithea.db?timeout=60");
    EXPECT_EQ(db.engine, DbUrl::Engine::sqlite);
    EXPECT_EQ(db.sqlite_path, "/abs/dir/kallithea.db");
    EXPECT_EQ(db.sqlite_timeout_s, 60);
    EXPECT_EQ(parse_ok("sqlite:////a.db?timeout=5").sqlite_timeout_s, 5);
    EXPECT_EQ(parse_ok("sqlite:////a.db?timeout=2.5").sqlite_timeout_s, 3);
    EXPECT_EQ(parse_ok("sqlite:////a.db?check_same_thread=false&timeout=7").sqlite_timeout_s, 7);
    // Characters that are special elsewhere in URLs are plain path characters here.
    EXPECT_EQ(parse_ok("sqlite:////srv/a@b:c/k.db").sqlite_path, "/srv/a@b:c/k.db");
    EXPECT_EQ(parse_ok("SQLite:////x.db").sqlite_path, "/x.db");
}

TEST(DbUrl, SqliteMemory) {
    EXPECT_EQ(parse_ok("sqlite://").sqlite_path, ":memory:");
    EXPECT_EQ(parse_ok("sqlite:///:memory:").sqlite_path, ":memory:");
    EXPECT_EQ(parse_ok("sqlite:///").sqlite_path, ":memory:");
}

TEST(DbUrl, SqliteErrors) {
    EXPECT_NE(parse_error("sqlite://host/x.db").message.find("no user or host"), std::string::npos);
    EXPECT_NE(parse_error("sqlite:///x.db?timeout=abc").message.find("timeout"), std::string::npos);
    EXPECT_NE(parse_error("sqlite:///x.db?timeout=-1").message.find("timeout"), std::string::npos);
    EXPECT_NE(parse_error("sqlite:///x.db?bogus=1").message.find("'bogus'"), std::string::npos);
}

TEST(DbUrl, PostgresqlConninfo) {
    const DbUrl db = parse_ok("postgresql://kallithea:secret@db.example.com:5433/kallithea");
    EXPECT_EQ(db.engine, DbUrl::Engine::postgresql);
    EXPECT_EQ(db.pg_conninfo,
              "host=db.example.com port=5433 dbname=kallithea user=kallithea password=secret");
    EXPECT_EQ(db.redacted(), "postgresql://kallithea:***@db.example.com:5433/kallithea");
}

TEST(DbUrl, PostgresqlSchemesAndQuery) {
    EXPECT_EQ(parse_ok("postgres://u@h/d").pg_conninfo, "host=h dbname=d user=u");
    EXPECT_EQ(parse_ok("postgresql+psycopg2://u:p@h/d?sslmode=require").pg_conninfo,
              "host=h dbname=d user=u password=p sslmode=require");
    EXPECT_EQ(parse_ok("postgresql:///kallithea?host=/var/run/postgresql").pg_conninfo,
              "dbname=kallithea host=/var/run/postgresql");
    EXPECT_EQ(parse_ok("postgresql://h:5432/d?host=other").pg_conninfo,
              "host=other port=5432 dbname=d");
    EXPECT_EQ(parse_ok("postgresql://[::1]:5432/d").pg_conninfo, "host=::1 port=5432 dbname=d");
    EXPECT_EQ(parse_ok("postgresql://").pg_conninfo, "");
    EXPECT_EQ(parse_ok("postgresql://u@h/d").redacted(), "postgresql://u@h/d");
}

TEST(DbUrl, PostgresqlDecodesAndQuotes) {
    const DbUrl db = parse_ok("postgresql://us%40er:p%40ss%20w'o%5Crd@localhost/kallithea");
    EXPECT_EQ(db.pg_conninfo,
              "host=localhost dbname=kallithea user=us@er password='p@ss w\\'o\\\\rd'");
    EXPECT_EQ(db.redacted(), "postgresql://us%40er:***@localhost/kallithea");
    // A password may contain '/' (SQLAlchemy's grammar); an invalid escape stays as written.
    EXPECT_EQ(parse_ok("postgresql://u:a/b%zz@h/d").pg_conninfo,
              "host=h dbname=d user=u password=a/b%zz");
    EXPECT_EQ(parse_ok("postgresql://u:@h/d").pg_conninfo, "host=h dbname=d user=u password=''");
    EXPECT_EQ(parse_ok("postgresql://h/d?application_name=my+app").pg_conninfo,
              "host=h dbname=d application_name='my app'");
}

TEST(DbUrl, PasswordInQueryIsRedacted) {
    const DbUrl db = parse_ok("postgresql://h/d?password=topsecret&sslmode=disable");
    EXPECT_EQ(db.redacted(), "postgresql://h/d?password=***&sslmode=disable");
    EXPECT_EQ(db.pg_conninfo, "host=h dbname=d password=topsecret sslmode=disable");
}

TEST(DbUrl, UnsupportedAndMalformed) {
    const Error mysql =
        parse_error("mysql://kallithea:password@localhost/kallithea?charset=utf8mb4");
    EXPECT_NE(mysql.message.find("unsupported database 'mysql'"), std::string::npos)
        << mysql.message;
    EXPECT_NE(mysql.message.find("mysql://kallithea:***@localhost"), std::string::npos);
    EXPECT_EQ(mysql.message.find("password@"), std::string::npos) << "password leaked";
    EXPECT_NE(parse_error("foo://x").message.find("'foo'"), std::string::npos);
    EXPECT_NE(parse_error("kallithea.db").message.find("not a database URL"), std::string::npos);
    EXPECT_NE(parse_error("://x").message.find("not a database URL"), std::string::npos);
    const Error port = parse_error("postgresql://u:pw@h:99999/d");
    EXPECT_NE(port.message.find("port"), std::string::npos);
    EXPECT_EQ(port.message.find(":pw@"), std::string::npos) << "password leaked";
    parse_error("postgresql://u:pw@h:abc/d");
    parse_error("postgresql://[::1/d");
    parse_error("postgresql://[::1]x/d");
    parse_error("postgresql://h/d?bad-key=1");
    EXPECT_EQ(parse_error("").message, "sqlalchemy.url is empty");
}

}  // namespace
}  // namespace kallithea::config
