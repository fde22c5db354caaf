// The factory choosing a VCS backend by repository type.
#include "vcs/backend.hpp"

#include <string>

#include "vcs/git/git_backend.hpp"

namespace kallithea::vcs {

Result<const Backend*> backend_for(std::string_view type) {
    if (type == "git")
        return &git::git_backend();
    if (type == "hg")
        return fail(Errc::unavailable, "Mercurial repositories are not supported yet");
    return fail(Errc::invalid_argument, "Unknown repository type",
                "repository type \"" + std::string(type) + "\"");
}

}  // namespace kallithea::vcs
