// Kallithea's own Git hooks in repositories it created: found by their content and retired when
// this server adopts the repository (it does the push bookkeeping itself, after receive-pack).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kallithea::vcs::git {

// True for the text of a hook Kallithea installed: a line assigning `KALLITHEA_HOOK_VER`, which
// every version of its post-receive and pre-receive templates has (Kallithea itself recognises
// its hooks by that line).
bool is_kallithea_hook(std::string_view text);

// Retires Kallithea's `hooks/post-receive` and `hooks/pre-receive` in git_dir: each is renamed to
// `<name>.kallithea-bak` (git ignores it). Symlinks and hooks without the marker (written by the
// admin) are left alone. Kallithea's post-receive ran an executable `hooks/post-receive-custom`
// after its own work; when there is one, `post-receive` becomes a symlink to it so that it still
// runs. Costs two stat() calls when there is nothing to do. Returns the hook names retired;
// Errc::io when a file cannot be read or renamed.
Result<std::vector<std::string>> retire_kallithea_hooks(const std::string& git_dir);

}  // namespace kallithea::vcs::git
