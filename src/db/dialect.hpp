// The SQL dialects the db layer speaks (SQLite by default, PostgreSQL for multi-node installs).
#pragma once

#include <string_view>

namespace kallithea::db {

enum class Dialect { sqlite, postgresql };

// "sqlite" or "postgresql", for log lines and messages.
constexpr std::string_view dialect_name(Dialect dialect) {
    return dialect == Dialect::sqlite ? "sqlite" : "postgresql";
}

}  // namespace kallithea::db
