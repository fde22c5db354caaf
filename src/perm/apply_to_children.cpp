// Planning of recursive repository-group grants.
#include "perm/apply_to_children.hpp"

#include <algorithm>
#include <set>

namespace kallithea::perm {

std::optional<ApplyTo> parse_apply_to(std::string_view text) {
    if (text == "none")
        return ApplyTo::none;
    if (text == "repos")
        return ApplyTo::repos;
    if (text == "groups")
        return ApplyTo::groups;
    if (text == "all")
        return ApplyTo::all;
    return std::nullopt;
}

std::vector<PermissionWrite> plan_group_grant(int64_t root_id, Level level, ApplyTo apply,
                                              bool to_default_user,
                                              const std::vector<GroupNode>& groups,
                                              const std::vector<RepoNode>& repos) {
    // The root and every group below it (groups form a tree; iterate to a fixed point).
    std::set<int64_t> subtree = {root_id};
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& g : groups)
            if (g.parent_id && subtree.count(*g.parent_id) && subtree.insert(g.group_id).second)
                grew = true;
    }
    std::vector<PermissionWrite> out;
    out.push_back({PermissionWrite::Target::group, root_id, level_name(Kind::group, level)});
    if (apply == ApplyTo::groups || apply == ApplyTo::all)
        for (int64_t id : subtree)
            if (id != root_id)
                out.push_back({PermissionWrite::Target::group, id, level_name(Kind::group, level)});
    if (apply == ApplyTo::repos || apply == ApplyTo::all) {
        std::vector<RepoNode> inside;
        for (const auto& r : repos)
            if (r.group_id && subtree.count(*r.group_id) && !(to_default_user && r.is_private))
                inside.push_back(r);
        std::sort(inside.begin(), inside.end(),
                  [](const RepoNode& a, const RepoNode& b) { return a.repo_id < b.repo_id; });
        for (const auto& r : inside)
            out.push_back({PermissionWrite::Target::repository, r.repo_id,
                           level_name(Kind::repository, level)});
    }
    return out;
}

}  // namespace kallithea::perm
