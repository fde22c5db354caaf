// Shared steps of the file pages' use cases (files.cpp, files_archive.cpp); not for surfaces.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "service/files/files.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service::files_internal {

inline constexpr std::string_view kNoSuchRevision =
    "Such revision does not exist for this repository";

// path without leading or trailing '/'.
std::string clean_path(std::string_view path);
// open_repository with a message safe to show when the directory is gone (not_found).
Result<std::unique_ptr<vcs::Repository>> open_vcs(const RepoInfo& repo);
// True for the vcs errors that mean "no such revision/path" (404, not 500).
bool lookup_failed(const Error& error);
// Resolves rev ("" = tip) and loads the refs; not_found with kNoSuchRevision when unknown.
Result<RevisionContext> revision_context(vcs::Repository& vcs, std::string_view rev);
// Kallithea's message for a path missing at a changeset.
Error path_not_found(std::string_view path, const vcs::ChangesetInfo& changeset);

}  // namespace kallithea::service::files_internal
