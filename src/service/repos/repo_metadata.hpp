// Keeping the database's view of a repository in step with its content after changes (pushes
// through us, or pushes and edits that bypassed us).
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "service/app.hpp"

namespace kallithea::service {

// Recomputes `repositories.changeset_cache` from the repository's newest changeset (Kallithea's
// JSON form) and refreshes the on-disk browsing indexes (Git commit-graph). Errc::not_found for
// an unknown repository name.
Status update_repository_metadata(App& app, std::string_view repo_name);

}  // namespace kallithea::service
