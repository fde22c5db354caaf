// Opening Git repositories behind the VCS-neutral Repository interface (no libgit2 types here).
#pragma once

#include <memory>
#include <string>

#include "core/error.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs::git {

// Opens a bare repository or a work tree's .git. not_found when path holds no Git repository;
// io when it cannot be read.
Result<std::unique_ptr<Repository>> open_git_repository(const std::string& path);

}  // namespace kallithea::vcs::git
