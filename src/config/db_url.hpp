// The database URL of `sqlalchemy.url`, parsed.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace kallithea::config {

struct DbUrl {
    enum class Engine { sqlite, postgresql };
    Engine engine = Engine::sqlite;
    std::string original;       // as written in the ini (password included: never log it)
    std::string sqlite_path;    // sqlite: absolute or relative file path; ":memory:" allowed
    int sqlite_timeout_s = 60;  // sqlite: from ?timeout=
    std::string
        pg_conninfo;  // postgresql: libpq "key=value" form (host, port, dbname, user, password)
    std::string redacted() const;  // original with the password replaced by ***

    // Accepts sqlite:///relative, sqlite:////absolute, sqlite:// (memory), postgresql://,
    // postgres://, postgresql+psycopg2:// forms; config error naming the URL part at fault.
    static Result<DbUrl> parse(std::string_view url);
};

}  // namespace kallithea::config
