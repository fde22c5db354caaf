// The VCS-neutral interface for what a push leaves to do once its refs have moved (Kallithea's
// post-receive hook): repairs of the repository and the journal's list of what arrived.
#pragma once

#include <string>

#include "core/error.hpp"
#include "vcs/transport.hpp"

namespace kallithea::vcs {

class PushBookkeeping {
public:
    virtual ~PushBookkeeping() = default;

    // Repairs the repository after a push (Git: a repository that had no branches gets HEAD
    // pointed at a pushed branch: master, else main, else the first one). Errc::io with the
    // message to log when that fails; the push itself has succeeded.
    virtual Status settle_after_push(const std::string& path,
                                     const PushedChanges& changes) const = 0;

    // The comma-separated list of Kallithea's `push:` journal action: per branch the new
    // changesets oldest first, `delete_branch=>name`, `tag=>name`; each changeset once.
    // Errc::io when the VCS fails.
    virtual Result<std::string> journal_revisions(const std::string& path,
                                                  const PushedChanges& changes) const = 0;
};

}  // namespace kallithea::vcs
