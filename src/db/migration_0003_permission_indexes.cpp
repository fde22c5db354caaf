// Migration 3: indexes for permission checks and listings at scale. Kallithea's schema indexes
// its grant tables only by grantee (the unique constraints); listings and single-object checks
// look rows up by object, by parent group and by member. Extra indexes leave Kallithea's tables
// and columns as they are, so a database stays usable by Kallithea.
#include "db/migration_steps.hpp"

namespace kallithea::db::detail {

Status apply_permission_indexes(Connection& conn) {
    // The same DDL is valid on SQLite and PostgreSQL.
    return conn.exec_script(R"sql(
CREATE INDEX repositories_group_id_idx ON repositories (group_id);
CREATE INDEX repositories_user_id_idx ON repositories (user_id);
CREATE INDEX groups_group_parent_id_idx ON groups (group_parent_id);
CREATE INDEX repo_to_perm_repository_id_idx ON repo_to_perm (repository_id);
CREATE INDEX repo_to_perm_user_id_permission_id_idx ON repo_to_perm (user_id, permission_id, repository_id);
CREATE INDEX users_group_repo_to_perm_users_group_id_idx ON users_group_repo_to_perm (users_group_id, permission_id, repository_id);
CREATE INDEX user_repo_group_to_perm_group_id_idx ON user_repo_group_to_perm (group_id);
CREATE INDEX users_group_repo_group_to_perm_group_id_idx ON users_group_repo_group_to_perm (group_id);
CREATE INDEX users_groups_members_user_id_idx ON users_groups_members (user_id);
CREATE INDEX users_groups_members_users_group_id_idx ON users_groups_members (users_group_id);
)sql");
}

}  // namespace kallithea::db::detail
