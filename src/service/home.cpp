// The start page's and group pages' listings of repositories and repository groups.
#include "service/home.hpp"

#include "db/pool.hpp"
#include "service/repo_names.hpp"
#include "store/repo_groups.hpp"
#include "store/repositories.hpp"

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

// Groups and repositories directly inside `group_id` (nullopt: top level).
Status fill_listing(store::Repositories& repositories, std::optional<int64_t> group_id,
                    const AuthUser& user, std::vector<GroupListItem>& groups_out,
                    std::vector<RepoListItem>& repos_out) {
    auto groups = repositories.groups_in(group_id);
    if (!groups)
        return fail(std::move(groups.error()));
    auto repos = repositories.in_group(group_id);
    if (!repos)
        return fail(std::move(repos.error()));
    for (auto& group : *groups)
        groups_out.push_back({std::move(group.group_name), std::move(group.description)});
    for (auto& repo : *repos) {
        // Until the permission model lands: private repositories are shown to their owner and
        // to admins only.
        if (repo.is_private && !user.admin && user.user_id != repo.owner_id)
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
    auto conn = app.pool().acquire();
    if (!conn)
        return fail(std::move(conn.error()));
    store::Repositories repositories(*conn);
    HomeOverview overview;
    if (auto st = fill_listing(repositories, std::nullopt, user, overview.groups, overview.repos);
        !st)
        return fail(std::move(st.error()));
    return overview;
}

Result<GroupOverview> group_overview(App& app, const AuthUser& user, std::string_view group_name) {
    auto conn = app.pool().acquire();
    if (!conn)
        return fail(std::move(conn.error()));
    store::RepoGroups groups(*conn);
    auto group = groups.by_name(group_name);
    if (!group)
        return fail(std::move(group.error()));
    if (!*group)
        return fail(Errc::not_found, "Repository group not found");
    GroupOverview overview;
    overview.group_id = (*group)->group_id;
    overview.name = (*group)->group_name;
    overview.description = (*group)->description;
    for (const auto& parent : parent_groups(overview.name)) {
        auto row = groups.by_name(parent);
        if (!row)
            return fail(std::move(row.error()));
        overview.parents.push_back({parent, *row ? (*row)->description : std::string()});
    }
    // Until repository group permissions land, only admins add repositories to groups.
    overview.can_create_repository = user.admin;
    store::Repositories repositories(*conn);
    if (auto st =
            fill_listing(repositories, overview.group_id, user, overview.groups, overview.repos);
        !st)
        return fail(std::move(st.error()));
    return overview;
}

}  // namespace kallithea::service
