// "Apply to children" of a repository-group grant: which rows to write when a grant on a group is
// copied onto what is inside it (Kallithea copies; nothing is inherited at run time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perm/levels.hpp"

namespace kallithea::perm {

enum class ApplyTo { none, repos, groups, all };

// "none" | "repos" | "groups" | "all"; nullopt otherwise.
std::optional<ApplyTo> parse_apply_to(std::string_view text);

struct GroupNode {
    int64_t group_id = 0;
    std::optional<int64_t> parent_id;
};

struct RepoNode {
    int64_t repo_id = 0;
    std::optional<int64_t> group_id;
    bool is_private = false;
};

struct PermissionWrite {
    enum class Target { group, repository } target = Target::group;
    int64_t id = 0;
    std::string permission;  // "group.write" or "repository.write"
};

// Rows to write for granting `level` on group `root_id` to a principal (`to_default_user` when it
// is the `default` user): the group itself always; with repos/all every repository below it
// (as repository.<level>, skipping private ones for the `default` user); with groups/all every
// group below it. Sorted: groups first, then repositories, by id.
std::vector<PermissionWrite> plan_group_grant(int64_t root_id, Level level, ApplyTo apply,
                                              bool to_default_user,
                                              const std::vector<GroupNode>& groups,
                                              const std::vector<RepoNode>& repos);

}  // namespace kallithea::perm
