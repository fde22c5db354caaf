// SQL for store/repos/repo_updates.hpp.
#include "store/repos/repo_updates.hpp"

namespace kallithea::store {

Status RepoUpdates::update_settings(int64_t repo_id, const RepoSettingsRow& row) {
    return conn_.exec(
        "UPDATE repositories SET repo_name = ?, group_id = ?, description = ?, private = ?, "
        "landing_revision = ?, user_id = ?, downloads = ? WHERE repo_id = ?",
        row.repo_name, row.group_id, row.description, row.is_private, row.landing_revision,
        row.owner_id, row.downloads, repo_id);
}

Status RepoUpdates::set_fork(int64_t repo_id, std::optional<int64_t> fork_id) {
    return conn_.exec("UPDATE repositories SET fork_id = ? WHERE repo_id = ?", fork_id, repo_id);
}

}  // namespace kallithea::store
