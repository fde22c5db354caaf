// Repository lookup and the interim permission check (default row, groups, explicit grants).
#include "service/repos/repo_access.hpp"

#include "db/pool.hpp"
#include "perm/repo_permission.hpp"
#include "store/repos/repositories.hpp"
#include "store/ui.hpp"

namespace kallithea::service {
namespace {

// "_123" -> 123 (Kallithea's permanent repository URLs).
std::optional<int64_t> permanent_id(std::string_view name) {
    if (name.size() < 2 || name[0] != '_' || name.size() > 19)
        return std::nullopt;
    int64_t id = 0;
    for (char c : name.substr(1)) {
        if (c < '0' || c > '9')
            return std::nullopt;
        id = id * 10 + (c - '0');
    }
    return id;
}

Result<std::optional<store::RepoRow>> find_row(store::Repositories& repos, std::string_view name) {
    if (auto id = permanent_id(name))
        return repos.by_id(*id);
    return repos.by_name(name);
}

std::string landing_name(const std::string& landing_revision) {
    const auto colon = landing_revision.find(':');
    std::string name =
        colon == std::string::npos ? landing_revision : landing_revision.substr(colon + 1);
    return name.empty() ? "tip" : name;
}

std::optional<perm::Level> repo_level(const std::optional<std::string>& name) {
    if (!name)
        return std::nullopt;
    return perm::parse_level(perm::Kind::repository, *name);
}

}  // namespace

Result<std::string> repository_root(App& app) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::Ui(*conn).repo_root();
}

Result<bool> repository_exists(App& app, std::string_view name) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Repositories repos(*conn);
    auto row = find_row(repos, name);
    RETURN_IF_ERROR(row);
    return row->has_value();
}

Result<ExistingNames> existing_names(App& app, const std::vector<std::string>& names) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Repositories repos(*conn);
    auto found = repos.existing_repo_and_group_names(names);
    RETURN_IF_ERROR(found);
    ExistingNames out{std::move(found->repos), std::move(found->groups)};
    for (const auto& name : names) {
        if (!permanent_id(name))
            continue;
        auto row = find_row(repos, name);
        RETURN_IF_ERROR(row);
        if (*row)
            out.repos.push_back(name);
    }
    return out;
}

Result<RepoInfo> authorize_repository(App& app, const AuthUser& user, std::string_view name,
                                      perm::Level need) {
    // Before taking a connection: on a cache miss these take one of their own.
    auto root = app.repo_root();
    RETURN_IF_ERROR(root);
    auto anonymous = app.anonymous_user();
    RETURN_IF_ERROR(anonymous);
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Repositories repos(*conn);
    auto row = find_row(repos, name);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository not found");
    const store::RepoRow& r = **row;

    perm::RepoFacts facts;
    facts.user_is_admin = user.admin;
    facts.user_is_owner = user.user_id && *user.user_id == r.owner_id && !user.is_default;
    facts.repo_private = r.is_private;
    if (!facts.user_is_admin && !facts.user_is_owner) {
        // The `default` user's rows are everyone's baseline, even with anonymous access off.
        const int64_t default_id = anonymous->user_id.value_or(1);
        std::optional<int64_t> own_id;
        if (user.authenticated())
            own_id = user.user_id;
        auto grants = repos.grants(r.repo_id, default_id, own_id);
        RETURN_IF_ERROR(grants);
        facts.default_grant = repo_level(grants->default_grant);
        facts.user_grant = repo_level(grants->user_grant);
        for (const auto& g : grants->group_grants)
            if (auto level = repo_level(g))
                facts.group_grants.push_back(*level);
        if (user.nobody())
            facts = perm::RepoFacts{};  // anonymous access is off
    }
    const perm::Level level = perm::effective_repo_level(facts);
    if (!perm::at_least(level, perm::Level::read))
        return fail(Errc::not_found, "Repository not found");
    if (!perm::at_least(level, need))
        return fail(Errc::forbidden, "Permission denied");

    RepoInfo info;
    info.repo_id = r.repo_id;
    info.name = r.repo_name;
    info.type = r.repo_type;
    info.description = r.description;
    info.is_private = r.is_private;
    info.downloads = r.downloads;
    info.landing_rev = landing_name(r.landing_revision);
    info.owner_id = r.owner_id;
    info.created_on = r.created_on;
    info.changeset_cache = r.changeset_cache;
    info.path = *root + "/" + r.repo_name;
    info.level = level;
    return info;
}

Result<std::unique_ptr<vcs::Repository>> open_repository(const RepoInfo& repo) {
    return vcs::Repository::open(repo.path);
}

}  // namespace kallithea::service
