// Effective global permissions (hg.create.*, hg.fork.*, hg.register.*, ...): the union of the
// `default` user's, the user's active groups' and the user's own grants, highest weight per kind.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace kallithea::perm {

struct GlobalFacts {
    bool user_is_admin = false;
    std::vector<std::string> default_grants;  // the `default` user's user_to_perm names
    std::vector<std::string> group_grants;    // users_group_to_perm of active groups
    std::vector<std::string> user_grants;     // the user's own user_to_perm names
};

// Admins: {"hg.admin"}. Others: for each kind (the name up to its last dot: "hg.create",
// "repository", ...) the grant with the highest weight among all sources. Unknown names are kept
// as they are (one per kind).
std::set<std::string> effective_global_permissions(const GlobalFacts& facts);

// Weight of a global permission name within its kind (Kallithea's table); -1 when unknown.
int global_weight(const std::string& name);

}  // namespace kallithea::perm
