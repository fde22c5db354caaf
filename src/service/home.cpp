// The start page's and group pages' listings of repositories and repository groups.
#include "service/home.hpp"

#include "db/pool.hpp"
#include "perm/levels.hpp"
#include "service/permissions/listing_permissions.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_names.hpp"
#include "store/permissions/visibility.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/repositories.hpp"

namespace kallithea::service {
namespace {

// The string value of a top-level "key" in flat JSON (Kallithea's changeset_cache); no escapes
// are expected in the fields read here. Empty when absent.
std::string json_text_field(const std::string& json, std::string_view key) {
    const auto at = json.find("\"" + std::string(key) + "\"");
    if (at == std::string::npos)
        return {};
    const auto colon = json.find(':', at + key.size() + 2);
    if (colon == std::string::npos)
        return {};
    const auto open = json.find_first_not_of(" \t", colon + 1);
    if (open == std::string::npos || json[open] != '"')
        return {};
    const auto close = json.find('"', open + 1);
    return close == std::string::npos ? std::string() : json.substr(open + 1, close - open - 1);
}

// Who the listing is for: nullopt for "nobody" (sees nothing); the `default` user's id and, for
// a logged-in user, the user's id.
struct Viewer {
    int64_t default_user_id = 0;
    std::optional<int64_t> user_id;
};

Result<std::optional<Viewer>> viewer_of(App& app, const AuthUser& user) {
    if (user.nobody())
        return std::optional<Viewer>();
    auto def = app.default_user();
    RETURN_IF_ERROR(def);
    Viewer viewer;
    viewer.default_user_id = def->user_id;
    if (user.authenticated())
        viewer.user_id = user.user_id;
    return std::optional<Viewer>(viewer);
}

// Groups and repositories directly inside `group_id` (nullopt: top level) that `user` may read
// (>= group.read / repository.read): a constant number of queries, one pass over the rows.
Status fill_listing(db::Connection& conn, const std::optional<Viewer>& viewer,
                    std::optional<int64_t> group_id, const AuthUser& user,
                    std::vector<GroupListItem>& groups_out, std::vector<RepoListItem>& repos_out) {
    if (!viewer)
        return ok();
    store::Repositories repositories(conn);
    auto groups = repositories.groups_in(group_id);
    RETURN_IF_ERROR(groups);
    auto repos = repositories.in_group(group_id);
    RETURN_IF_ERROR(repos);

    // Admins see everything: no grant rows needed.
    detail::GrantsByObject group_grants, repo_grants;
    if (!user.admin) {
        store::Visibility visibility(conn);
        if (!groups->empty()) {
            auto rows =
                visibility.repo_group_grants(group_id, viewer->default_user_id, viewer->user_id);
            RETURN_IF_ERROR(rows);
            group_grants = detail::fold_grants(*rows, perm::Kind::group);
        }
        if (!repos->empty()) {
            auto rows =
                visibility.repository_grants(group_id, viewer->default_user_id, viewer->user_id);
            RETURN_IF_ERROR(rows);
            repo_grants = detail::fold_grants(*rows, perm::Kind::repository);
        }
    }

    for (auto& group : *groups) {
        const perm::Level level =
            detail::repo_group_level(user, detail::grants_of(group_grants, group.group_id));
        if (!perm::at_least(level, perm::Level::read))
            continue;
        groups_out.push_back({std::move(group.group_name), std::move(group.description)});
    }
    repos_out.reserve(repos->size());
    for (auto& repo : *repos) {
        const perm::Level level = detail::repository_level(
            user, repo.owner_id, repo.is_private, detail::grants_of(repo_grants, repo.repo_id));
        if (!perm::at_least(level, perm::Level::read))
            continue;
        RepoListItem item;
        item.last_change = last_change_text(repo.changeset_cache, repo.updated_on);
        item.name = std::move(repo.repo_name);
        item.type = std::move(repo.repo_type);
        item.description = std::move(repo.description);
        item.is_private = repo.is_private;
        repos_out.push_back(std::move(item));
    }
    return ok();
}

}  // namespace

std::string last_change_text(const std::optional<std::string>& changeset_cache,
                             const std::optional<std::string>& updated_on) {
    const std::string fallback = updated_on ? updated_on->substr(0, 16) : std::string();
    if (!changeset_cache)
        return fallback;
    // An empty repository's cache holds the all-zero changeset dated 1970: not a change.
    const std::string raw_id = json_text_field(*changeset_cache, "raw_id");
    if (raw_id.empty() || raw_id.find_first_not_of('0') == std::string::npos)
        return fallback;
    std::string date = json_text_field(*changeset_cache, "date");
    if (date.size() < 16 || date[4] != '-')
        return fallback;
    date.resize(16);
    if (date[10] == 'T')
        date[10] = ' ';
    return date;
}

Result<HomeOverview> home_overview(App& app, const AuthUser& user) {
    // Before taking a connection: the cached `default` user may need one of its own.
    auto viewer = viewer_of(app, user);
    RETURN_IF_ERROR(viewer);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    HomeOverview overview;
    if (auto st = fill_listing(*conn, *viewer, std::nullopt, user, overview.groups, overview.repos);
        !st)
        return fail(std::move(st.error()));
    return overview;
}

Result<GroupOverview> group_overview(App& app, const AuthUser& user, std::string_view group_name) {
    // A group the user may not read is not found, like a missing one.
    auto group = authorize_repo_group(app, user, group_name, perm::Level::read);
    RETURN_IF_ERROR(group);
    auto viewer = viewer_of(app, user);
    RETURN_IF_ERROR(viewer);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::RepoGroups groups(*conn);
    GroupOverview overview;
    overview.group_id = group->group_id;
    overview.name = group->name;
    overview.description = group->description;
    for (const auto& parent : parent_groups(overview.name)) {
        auto row = groups.by_name(parent);
        RETURN_IF_ERROR(row);
        overview.parents.push_back({parent, *row ? (*row)->description : std::string()});
    }
    // group.write: may create repositories in the group.
    overview.can_create_repository = perm::at_least(group->level, perm::Level::write);
    if (auto st =
            fill_listing(*conn, *viewer, overview.group_id, user, overview.groups, overview.repos);
        !st)
        return fail(std::move(st.error()));
    return overview;
}

}  // namespace kallithea::service
