// Internal to src/db: the body of each numbered migration (one .cpp per migration).
#pragma once

#include <span>
#include <string_view>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::db::detail {

// Migration 1: every table and index of Kallithea 0.7 plus alembic_version = 7ba0d2cad930.
Status apply_kallithea_schema(Connection& conn);
// The tables migration 1 creates, in creation order (also what an adopted Kallithea DB must have).
std::span<const std::string_view> kallithea_table_names();

// Migration 2: our own tables (web_sessions).
Status apply_web_sessions(Connection& conn);

// Migration 3: indexes on grant tables, repositories and groups for permission-aware listings.
Status apply_permission_indexes(Connection& conn);

// Migration 4: the outgoing mail queue (mail_queue).
Status apply_mail_queue(Connection& conn);

}  // namespace kallithea::db::detail
