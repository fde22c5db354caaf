// Migration 4: mail_queue, the outgoing mails waiting for the sender thread (our own table; mail
// leaves the request path and survives restarts).
#include "db/migration_steps.hpp"
#include "db/sql_text.hpp"

namespace kallithea::db::detail {

Status apply_mail_queue(Connection& conn) {
    // kind: "mail" (ready to send) or "password_reset" (recipients holds the address the form
    // named; the mail is composed by the sender so the request does the same work for any
    // address). next_attempt is when to try (again); claimed_until is the lease of the process
    // sending it, so that several processes sharing the database send each mail once.
    if (auto st = conn.exec_script(ddl_for(conn.dialect(), R"sql(
CREATE TABLE mail_queue (
    mail_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind VARCHAR(32) NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_on BIGINT NOT NULL,
    next_attempt BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT NOT NULL
))sql"));
        !st)
        return st;
    return conn.exec_script(
        "CREATE INDEX mail_queue_next_attempt_idx ON mail_queue (next_attempt)");
}

}  // namespace kallithea::db::detail
