// Migration 2: tables of our own, beside Kallithea's (which stay untouched): web_sessions holds
// browser sessions in the database so several app processes can share them.
#include "db/migration_steps.hpp"

namespace kallithea::db::detail {

Status apply_web_sessions(Connection& conn) {
    // The same DDL is valid on SQLite and PostgreSQL.
    return conn.exec_script(R"sql(
CREATE TABLE web_sessions (
    session_id VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id INTEGER NULL REFERENCES users (user_id) ON DELETE CASCADE,
    csrf_token VARCHAR(64) NOT NULL,
    created_on BIGINT NOT NULL,
    expires_on BIGINT NOT NULL,
    remember BOOLEAN NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX web_sessions_expires_on_idx ON web_sessions (expires_on);
CREATE INDEX web_sessions_user_id_idx ON web_sessions (user_id);
)sql");
}

}  // namespace kallithea::db::detail
