// Pure text transformations of SQL: placeholders, script splitting, SQLite DDL -> PostgreSQL DDL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/dialect.hpp"

namespace kallithea::db {

enum class PlaceholderStyle {
    soci,    // :p1, :p2, ... (what SOCI binds by position)
    dollar,  // $1, $2, ... (libpq, used to describe statements on PostgreSQL)
};

struct RewrittenSql {
    std::string text;
    size_t placeholders = 0;
};

// Replaces each `?` outside string literals, quoted identifiers and comments with the numbered
// form of `style`. A ':' outside quotes is refused (Errc::internal): SOCI would take it for a
// named parameter, so store SQL must use CAST(x AS type) rather than x::type.
Result<RewrittenSql> rewrite_placeholders(std::string_view sql, PlaceholderStyle style);

// Splits a script at ';' outside literals and comments; statements holding only whitespace and
// comments are dropped. No failure mode: an unterminated literal ends the last statement.
std::vector<std::string> split_sql_script(std::string_view script);

// Turns Kallithea's SQLite DDL into the PostgreSQL DDL SQLAlchemy emits for the same model:
// INTEGER ... PRIMARY KEY AUTOINCREMENT -> SERIAL, DATETIME -> TIMESTAMP WITHOUT TIME ZONE,
// BLOB -> BYTEA, FLOAT -> DOUBLE PRECISION. Other text is unchanged.
std::string sqlite_ddl_to_postgresql(std::string_view ddl);

// The statement in `dialect`: unchanged for SQLite, sqlite_ddl_to_postgresql for PostgreSQL.
std::string ddl_for(Dialect dialect, std::string_view sqlite_ddl);

// Collapses newlines and runs of blanks so a driver message fits on one log/CLI line.
std::string one_line(std::string_view text);

}  // namespace kallithea::db
