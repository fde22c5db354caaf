// One VCS's operations beyond browsing (creating repositories, the wire protocol, push
// bookkeeping), chosen by repository type; browsing is Repository::open (repository.hpp).
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "vcs/push_bookkeeping.hpp"
#include "vcs/repository_init.hpp"
#include "vcs/transport.hpp"

namespace kallithea::vcs {

class Backend : public RepositoryInit, public Transport, public PushBookkeeping {
public:
    virtual std::string_view type() const = 0;  // "git" or "hg"
};

// The backend of a repository type ("git", "hg"): a process-wide object that lives as long as
// the program. Errc::unavailable for a type this build cannot serve yet (Mercurial),
// Errc::invalid_argument for an unknown one.
Result<const Backend*> backend_for(std::string_view type);

}  // namespace kallithea::vcs
