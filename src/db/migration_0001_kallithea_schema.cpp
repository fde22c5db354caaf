// Migration 1: the Kallithea 0.7 schema (alembic revision 7ba0d2cad930) exactly as Kallithea's
// db-create writes it on SQLite; PostgreSQL gets the same DDL with native types (sql_text.hpp).
#include <string_view>
#include <vector>

#include "db/migration_steps.hpp"
#include "db/migrations.hpp"
#include "db/sql_text.hpp"

namespace kallithea::db::detail {
namespace {

// One literal per statement (small literals keep MSVC's string-literal limit happy).
constexpr const char* kStatements[] = {
    R"sql(CREATE TABLE settings (
    app_settings_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    app_settings_name VARCHAR(255) NOT NULL,
    app_settings_value VARCHAR(4096) NOT NULL,
    app_settings_type VARCHAR(255),
    CONSTRAINT uq_settings_app_settings_name UNIQUE (app_settings_name)
))sql",
    R"sql(CREATE TABLE ui (
    ui_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    ui_section VARCHAR(255) NOT NULL,
    ui_key VARCHAR(255) NOT NULL,
    ui_value VARCHAR(255),
    ui_active BOOLEAN NOT NULL,
    CONSTRAINT uq_ui_ui_section UNIQUE (ui_section, ui_key)
))sql",
    R"sql(CREATE INDEX ui_ui_section_ui_key_idx ON ui (ui_section, ui_key))sql",
    R"sql(CREATE TABLE users (
    user_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    username VARCHAR(255) NOT NULL,
    password VARCHAR(255) NOT NULL,
    active BOOLEAN NOT NULL,
    admin BOOLEAN NOT NULL,
    firstname VARCHAR(255) NOT NULL,
    lastname VARCHAR(255) NOT NULL,
    email VARCHAR(255),
    last_login DATETIME,
    extern_type VARCHAR(255),
    extern_name VARCHAR(255),
    api_key VARCHAR(255) NOT NULL,
    created_on DATETIME NOT NULL,
    user_data BLOB,
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT uq_users_email UNIQUE (email)
))sql",
    R"sql(CREATE INDEX u_email_idx ON users (email))sql",
    R"sql(CREATE INDEX u_username_idx ON users (username))sql",
    R"sql(CREATE TABLE permissions (
    permission_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    permission_name VARCHAR(255) NOT NULL
))sql",
    R"sql(CREATE INDEX p_perm_name_idx ON permissions (permission_name))sql",
    R"sql(CREATE TABLE user_api_keys (
    user_api_key_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    api_key VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    expires FLOAT NOT NULL,
    created_on DATETIME NOT NULL,
    CONSTRAINT fk_user_api_keys_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT uq_user_api_keys_api_key UNIQUE (api_key)
))sql",
    R"sql(CREATE INDEX uak_api_key_expires_idx ON user_api_keys (api_key, expires))sql",
    R"sql(CREATE INDEX uak_api_key_idx ON user_api_keys (api_key))sql",
    R"sql(CREATE TABLE user_email_map (
    email_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL,
    CONSTRAINT fk_user_email_map_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT uq_user_email_map_email UNIQUE (email)
))sql",
    R"sql(CREATE INDEX uem_email_idx ON user_email_map (email))sql",
    R"sql(CREATE TABLE user_ip_map (
    ip_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    ip_addr VARCHAR(255) NOT NULL,
    active BOOLEAN NOT NULL,
    CONSTRAINT uq_user_ip_map_user_id UNIQUE (user_id, ip_addr),
    CONSTRAINT fk_user_ip_map_user_id FOREIGN KEY(user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE TABLE users_groups (
    users_group_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    users_group_name VARCHAR(255) NOT NULL,
    user_group_description VARCHAR(10000),
    users_group_active BOOLEAN NOT NULL,
    user_id INTEGER NOT NULL,
    created_on DATETIME NOT NULL,
    group_data BLOB,
    CONSTRAINT uq_users_groups_users_group_name UNIQUE (users_group_name),
    CONSTRAINT fk_users_groups_user_id FOREIGN KEY(user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE TABLE groups (
    group_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    group_name VARCHAR(255) NOT NULL,
    group_parent_id INTEGER,
    group_description VARCHAR(10000) NOT NULL,
    user_id INTEGER NOT NULL,
    created_on DATETIME NOT NULL,
    CONSTRAINT uq_groups_group_name UNIQUE (group_name),
    CONSTRAINT fk_groups_group_parent_id FOREIGN KEY(group_parent_id) REFERENCES groups (group_id),
    CONSTRAINT fk_groups_user_id FOREIGN KEY(user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE TABLE user_to_perm (
    user_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    CONSTRAINT uq_user_to_perm_user_id UNIQUE (user_id, permission_id),
    CONSTRAINT fk_user_to_perm_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_user_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id)
))sql",
    R"sql(CREATE TABLE gists (
    gist_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    gist_access_id VARCHAR(250) NOT NULL,
    gist_description TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    gist_expires FLOAT NOT NULL,
    gist_type VARCHAR(128) NOT NULL,
    created_on DATETIME NOT NULL,
    modified_at DATETIME NOT NULL,
    CONSTRAINT fk_gists_user_id FOREIGN KEY(user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE INDEX g_created_on_idx ON gists (created_on))sql",
    R"sql(CREATE INDEX g_gist_access_id_idx ON gists (gist_access_id))sql",
    R"sql(CREATE TABLE user_ssh_keys (
    user_ssh_key_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    public_key TEXT NOT NULL,
    description TEXT NOT NULL,
    fingerprint VARCHAR(255) NOT NULL,
    created_on DATETIME NOT NULL,
    last_seen DATETIME,
    CONSTRAINT fk_user_ssh_keys_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT uq_user_ssh_keys_fingerprint UNIQUE (fingerprint)
))sql",
    R"sql(CREATE INDEX usk_fingerprint_idx ON user_ssh_keys (fingerprint))sql",
    R"sql(CREATE TABLE users_groups_members (
    users_group_member_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    users_group_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    CONSTRAINT fk_users_groups_members_users_group_id FOREIGN KEY(users_group_id) REFERENCES users_groups (users_group_id),
    CONSTRAINT fk_users_groups_members_user_id FOREIGN KEY(user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE TABLE repositories (
    repo_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    repo_name VARCHAR(255) NOT NULL,
    repo_state VARCHAR(255) NOT NULL,
    clone_uri VARCHAR(255),
    repo_type VARCHAR(255) NOT NULL,
    user_id INTEGER NOT NULL,
    private BOOLEAN NOT NULL,
    statistics BOOLEAN NOT NULL,
    downloads BOOLEAN NOT NULL,
    description VARCHAR(10000) NOT NULL,
    created_on DATETIME NOT NULL,
    updated_on DATETIME NOT NULL,
    landing_revision VARCHAR(255) NOT NULL,
    changeset_cache BLOB,
    fork_id INTEGER,
    group_id INTEGER,
    CONSTRAINT uq_repositories_repo_name UNIQUE (repo_name),
    CONSTRAINT fk_repositories_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_repositories_fork_id FOREIGN KEY(fork_id) REFERENCES repositories (repo_id),
    CONSTRAINT fk_repositories_group_id FOREIGN KEY(group_id) REFERENCES groups (group_id)
))sql",
    R"sql(CREATE INDEX r_repo_name_idx ON repositories (repo_name))sql",
    R"sql(CREATE TABLE user_user_group_to_perm (
    user_user_group_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    user_group_id INTEGER NOT NULL,
    CONSTRAINT uq_user_user_group_to_perm_user_id UNIQUE (user_id, user_group_id, permission_id),
    CONSTRAINT fk_user_user_group_to_perm_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_user_user_group_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id),
    CONSTRAINT fk_user_user_group_to_perm_user_group_id FOREIGN KEY(user_group_id) REFERENCES users_groups (users_group_id)
))sql",
    R"sql(CREATE TABLE user_group_user_group_to_perm (
    user_group_user_group_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    target_user_group_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    user_group_id INTEGER NOT NULL,
    CONSTRAINT uq_user_group_user_group_to_perm_target_user_group_id UNIQUE (target_user_group_id, user_group_id, permission_id),
    CONSTRAINT fk_user_group_user_group_to_perm_target_user_group_id FOREIGN KEY(target_user_group_id) REFERENCES users_groups (users_group_id),
    CONSTRAINT fk_user_group_user_group_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id),
    CONSTRAINT fk_user_group_user_group_to_perm_user_group_id FOREIGN KEY(user_group_id) REFERENCES users_groups (users_group_id)
))sql",
    R"sql(CREATE TABLE users_group_to_perm (
    users_group_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    users_group_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    CONSTRAINT uq_users_group_to_perm_users_group_id UNIQUE (users_group_id, permission_id),
    CONSTRAINT fk_users_group_to_perm_users_group_id FOREIGN KEY(users_group_id) REFERENCES users_groups (users_group_id),
    CONSTRAINT fk_users_group_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id)
))sql",
    R"sql(CREATE TABLE user_repo_group_to_perm (
    group_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    CONSTRAINT uq_user_repo_group_to_perm_user_id UNIQUE (user_id, group_id, permission_id),
    CONSTRAINT fk_user_repo_group_to_perm_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_user_repo_group_to_perm_group_id FOREIGN KEY(group_id) REFERENCES groups (group_id),
    CONSTRAINT fk_user_repo_group_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id)
))sql",
    R"sql(CREATE TABLE users_group_repo_group_to_perm (
    users_group_repo_group_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    users_group_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    CONSTRAINT uq_users_group_repo_group_to_perm_users_group_id UNIQUE (users_group_id, group_id),
    CONSTRAINT fk_users_group_repo_group_to_perm_users_group_id FOREIGN KEY(users_group_id) REFERENCES users_groups (users_group_id),
    CONSTRAINT fk_users_group_repo_group_to_perm_group_id FOREIGN KEY(group_id) REFERENCES groups (group_id),
    CONSTRAINT fk_users_group_repo_group_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id)
))sql",
    R"sql(CREATE TABLE user_logs (
    user_log_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER,
    username VARCHAR(255) NOT NULL,
    repository_id INTEGER,
    repository_name VARCHAR(255) NOT NULL,
    user_ip VARCHAR(255),
    action TEXT NOT NULL,
    action_date DATETIME NOT NULL,
    CONSTRAINT fk_user_logs_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_user_logs_repository_id FOREIGN KEY(repository_id) REFERENCES repositories (repo_id)
))sql",
    R"sql(CREATE TABLE repositories_fields (
    repo_field_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    repository_id INTEGER NOT NULL,
    field_key VARCHAR(250) NOT NULL,
    field_label VARCHAR(1024) NOT NULL,
    field_value VARCHAR(10000) NOT NULL,
    field_desc VARCHAR(1024) NOT NULL,
    field_type VARCHAR(255) NOT NULL,
    created_on DATETIME NOT NULL,
    CONSTRAINT uq_repositories_fields_repository_id UNIQUE (repository_id, field_key),
    CONSTRAINT fk_repositories_fields_repository_id FOREIGN KEY(repository_id) REFERENCES repositories (repo_id)
))sql",
    R"sql(CREATE TABLE repo_to_perm (
    repo_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    repository_id INTEGER NOT NULL,
    CONSTRAINT uq_repo_to_perm_user_id UNIQUE (user_id, repository_id, permission_id),
    CONSTRAINT fk_repo_to_perm_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_repo_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id),
    CONSTRAINT fk_repo_to_perm_repository_id FOREIGN KEY(repository_id) REFERENCES repositories (repo_id)
))sql",
    R"sql(CREATE TABLE users_group_repo_to_perm (
    users_group_to_perm_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    users_group_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    repository_id INTEGER NOT NULL,
    CONSTRAINT uq_users_group_repo_to_perm_repository_id UNIQUE (repository_id, users_group_id, permission_id),
    CONSTRAINT fk_users_group_repo_to_perm_users_group_id FOREIGN KEY(users_group_id) REFERENCES users_groups (users_group_id),
    CONSTRAINT fk_users_group_repo_to_perm_permission_id FOREIGN KEY(permission_id) REFERENCES permissions (permission_id),
    CONSTRAINT fk_users_group_repo_to_perm_repository_id FOREIGN KEY(repository_id) REFERENCES repositories (repo_id)
))sql",
    R"sql(CREATE TABLE statistics (
    stat_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    repository_id INTEGER NOT NULL,
    stat_on_revision INTEGER NOT NULL,
    commit_activity BLOB NOT NULL,
    commit_activity_combined BLOB NOT NULL,
    languages BLOB NOT NULL,
    CONSTRAINT uq_statistics_repository_id UNIQUE (repository_id),
    CONSTRAINT fk_statistics_repository_id FOREIGN KEY(repository_id) REFERENCES repositories (repo_id)
))sql",
    R"sql(CREATE TABLE user_followings (
    user_following_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    follows_repository_id INTEGER,
    follows_user_id INTEGER,
    follows_from DATETIME NOT NULL,
    CONSTRAINT uq_user_followings_user_repo UNIQUE (user_id, follows_repository_id),
    CONSTRAINT uq_user_followings_user_user UNIQUE (user_id, follows_user_id),
    CONSTRAINT fk_user_followings_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_user_followings_follows_repository_id FOREIGN KEY(follows_repository_id) REFERENCES repositories (repo_id),
    CONSTRAINT fk_user_followings_follows_user_id FOREIGN KEY(follows_user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE TABLE pull_requests (
    pull_request_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    title VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    status VARCHAR(255) NOT NULL,
    created_on DATETIME NOT NULL,
    updated_on DATETIME NOT NULL,
    user_id INTEGER NOT NULL,
    revisions TEXT NOT NULL,
    org_repo_id INTEGER NOT NULL,
    org_ref VARCHAR(255) NOT NULL,
    other_repo_id INTEGER NOT NULL,
    other_ref VARCHAR(255) NOT NULL,
    CONSTRAINT fk_pull_requests_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_pull_requests_org_repo_id FOREIGN KEY(org_repo_id) REFERENCES repositories (repo_id),
    CONSTRAINT fk_pull_requests_other_repo_id FOREIGN KEY(other_repo_id) REFERENCES repositories (repo_id)
))sql",
    R"sql(CREATE INDEX pr_other_repo_id_idx ON pull_requests (other_repo_id))sql",
    R"sql(CREATE INDEX pr_org_repo_id_idx ON pull_requests (org_repo_id))sql",
    R"sql(CREATE TABLE changeset_comments (
    comment_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    repo_id INTEGER NOT NULL,
    revision VARCHAR(40),
    pull_request_id INTEGER,
    line_no VARCHAR(10),
    f_path VARCHAR(1000),
    user_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    created_on DATETIME NOT NULL,
    modified_at DATETIME NOT NULL,
    CONSTRAINT fk_changeset_comments_repo_id FOREIGN KEY(repo_id) REFERENCES repositories (repo_id),
    CONSTRAINT fk_changeset_comments_pull_request_id FOREIGN KEY(pull_request_id) REFERENCES pull_requests (pull_request_id),
    CONSTRAINT fk_changeset_comments_user_id FOREIGN KEY(user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE INDEX cc_pull_request_id_idx ON changeset_comments (pull_request_id))sql",
    R"sql(CREATE INDEX cc_revision_idx ON changeset_comments (revision))sql",
    R"sql(CREATE TABLE pull_request_reviewers (
    pull_requests_reviewers_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    pull_request_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    CONSTRAINT uq_pull_request_reviewers_pull_request_id UNIQUE (pull_request_id, user_id),
    CONSTRAINT fk_pull_request_reviewers_pull_request_id FOREIGN KEY(pull_request_id) REFERENCES pull_requests (pull_request_id),
    CONSTRAINT fk_pull_request_reviewers_user_id FOREIGN KEY(user_id) REFERENCES users (user_id)
))sql",
    R"sql(CREATE INDEX pull_request_reviewers_user_id_idx ON pull_request_reviewers (user_id))sql",
    R"sql(CREATE TABLE changeset_statuses (
    changeset_status_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    repo_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    revision VARCHAR(40),
    status VARCHAR(128) NOT NULL,
    changeset_comment_id INTEGER NOT NULL,
    modified_at DATETIME NOT NULL,
    version INTEGER NOT NULL,
    pull_request_id INTEGER,
    CONSTRAINT uq_changeset_statuses_repo_id UNIQUE (repo_id, revision, version),
    CONSTRAINT fk_changeset_statuses_repo_id FOREIGN KEY(repo_id) REFERENCES repositories (repo_id),
    CONSTRAINT fk_changeset_statuses_user_id FOREIGN KEY(user_id) REFERENCES users (user_id),
    CONSTRAINT fk_changeset_statuses_changeset_comment_id FOREIGN KEY(changeset_comment_id) REFERENCES changeset_comments (comment_id),
    CONSTRAINT fk_changeset_statuses_pull_request_id FOREIGN KEY(pull_request_id) REFERENCES pull_requests (pull_request_id)
))sql",
    R"sql(CREATE INDEX cs_repo_id_pull_request_id_idx ON changeset_statuses (repo_id, pull_request_id))sql",
    R"sql(CREATE INDEX cs_version_idx ON changeset_statuses (version))sql",
    R"sql(CREATE INDEX cs_changeset_comment_id_idx ON changeset_statuses (changeset_comment_id))sql",
    R"sql(CREATE INDEX cs_revision_idx ON changeset_statuses (revision))sql",
    R"sql(CREATE INDEX cs_pull_request_id_user_id_version_idx ON changeset_statuses (pull_request_id, user_id, version))sql",
    R"sql(CREATE INDEX cs_pull_request_id_idx ON changeset_statuses (pull_request_id))sql",
    R"sql(CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
))sql",
};

}  // namespace

std::span<const std::string_view> kallithea_table_names() {
    static const std::vector<std::string_view> names = [] {
        constexpr std::string_view kPrefix = "CREATE TABLE ";
        std::vector<std::string_view> out;
        for (std::string_view statement : kStatements) {
            if (statement.starts_with(kPrefix)) {
                statement.remove_prefix(kPrefix.size());
                out.push_back(statement.substr(0, statement.find(' ')));
            }
        }
        return out;
    }();
    return names;
}

Status apply_kallithea_schema(Connection& conn) {
    for (const char* statement : kStatements) {
        if (auto st = conn.exec_script(ddl_for(conn.dialect(), statement)); !st)
            return st;
    }
    return conn.exec("INSERT INTO alembic_version (version_num) VALUES (?)",
                     kKallitheaAlembicRevision);
}

}  // namespace kallithea::db::detail
