// The start page's listing of top-level repositories and groups.
#include "service/home.hpp"

#include "db/pool.hpp"
#include "store/repositories.hpp"

namespace kallithea::service {
namespace {

// "YYYY-MM-DD HH:MM" from Kallithea's changeset_cache JSON ("date" field), else updated_on.
std::string last_change_of(const store::RepoSummaryRow& row) {
    if (row.changeset_cache) {
        const std::string& json = *row.changeset_cache;
        const auto key = json.find("\"date\"");
        if (key != std::string::npos) {
            const auto open = json.find('"', json.find(':', key) + 1);
            if (open != std::string::npos && open + 17 <= json.size()) {
                std::string date = json.substr(open + 1, 16);
                if (date.size() == 16 && date[4] == '-') {
                    if (date[10] == 'T')
                        date[10] = ' ';
                    return date;
                }
            }
        }
    }
    return row.updated_on ? row.updated_on->substr(0, 16) : std::string();
}

}  // namespace

Result<HomeOverview> home_overview(App& app, const AuthUser& user) {
    auto conn = app.pool().acquire();
    if (!conn)
        return fail(std::move(conn.error()));
    store::Repositories repositories(*conn);
    auto groups = repositories.groups_in(std::nullopt);
    if (!groups)
        return fail(std::move(groups.error()));
    auto repos = repositories.in_group(std::nullopt);
    if (!repos)
        return fail(std::move(repos.error()));

    HomeOverview overview;
    for (auto& group : *groups)
        overview.groups.push_back({std::move(group.group_name), std::move(group.description)});
    for (auto& repo : *repos) {
        // Until the permission model lands: private repositories are shown to their owner and
        // to admins only.
        if (repo.is_private && !user.admin && user.user_id != repo.owner_id)
            continue;
        RepoListItem item;
        item.last_change = last_change_of(repo);
        item.name = std::move(repo.repo_name);
        item.type = std::move(repo.repo_type);
        item.description = std::move(repo.description);
        item.is_private = repo.is_private;
        overview.repos.push_back(std::move(item));
    }
    return overview;
}

}  // namespace kallithea::service
