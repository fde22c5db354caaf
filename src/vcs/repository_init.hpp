// The VCS-neutral interface for putting a repository on disk: a new one, or one this server
// adopts (made by Kallithea or by hand).
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"

namespace kallithea::vcs {

class RepositoryInit {
public:
    virtual ~RepositoryInit() = default;

    // Creates an empty repository at path, which must not exist yet (Git: a bare one).
    // Errc::io "The repository could not be created on disk" with the VCS's output in detail.
    virtual Status init(const std::string& path) const = 0;

    // Prepares a repository found on disk for serving by this server: Git retires the hooks
    // Kallithea installed (kallithea_hooks.hpp); others have nothing to do. Returns what was
    // retired (hook names, for the log); Errc::io when a file cannot be read or renamed.
    virtual Result<std::vector<std::string>> adopt(const std::string& path) const = 0;
};

}  // namespace kallithea::vcs
