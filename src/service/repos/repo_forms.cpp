// The new-repository form's choices and the repository administration grid
// (service/repos/repos.hpp).

#include "db/pool.hpp"
#include "perm/levels.hpp"
#include "service/home.hpp"
#include "service/permissions/listing_permissions.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_creation.hpp"
#include "service/repos/repos.hpp"
#include "store/permissions/permissions.hpp"
#include "store/permissions/visibility.hpp"
#include "store/repo_groups/repo_groups.hpp"

namespace kallithea::service {
namespace {}  // namespace

Result<NewRepoForm> new_repository_form(App& app, const AuthUser& actor,
                                        std::optional<int64_t> parent_group) {
    if (!actor.authenticated())
        return fail(Errc::forbidden, "You need to log in to create repositories");
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto defaults = detail::load_repo_defaults(*conn);
    RETURN_IF_ERROR(defaults);
    NewRepoForm form;
    form.types = {"git"};
    form.default_type = defaults->type;
    form.default_private = defaults->is_private;
    form.default_downloads = defaults->downloads;
    if (actor.admin) {
        form.top_level_allowed = true;
        auto groups = store::RepoGroups(*conn).all();
        RETURN_IF_ERROR(groups);
        for (auto& group : *groups)
            form.groups.push_back({group.group_id, std::move(group.group_name)});
    } else {
        auto allowed = has_global_permission(app, actor, "hg.create.repository");
        RETURN_IF_ERROR(allowed);
        form.top_level_allowed = *allowed;
        // Groups with group.write (one check per group: the form is rare, groups are few).
        auto groups = store::RepoGroups(*conn).all();
        RETURN_IF_ERROR(groups);
        for (auto& group : *groups) {
            auto level = repo_group_level(app, actor, group.group_id);
            RETURN_IF_ERROR(level);
            if (perm::at_least(*level, perm::Level::write))
                form.groups.push_back({group.group_id, std::move(group.group_name)});
        }
    }
    if (!form.top_level_allowed && form.groups.empty())
        return fail(Errc::forbidden, "You may not create repositories");
    if (parent_group) {
        bool offered = false;
        for (const auto& group : form.groups)
            offered = offered || group.group_id == *parent_group;
        if (!offered)
            return fail(Errc::forbidden, "You may not create repositories in that group");
        form.parent_group = parent_group;
    }
    return form;
}

Result<std::vector<AdminRepoItem>> administered_repositories(App& app, const AuthUser& actor) {
    if (!actor.authenticated())
        return std::vector<AdminRepoItem>{};
    std::vector<store::RepoListingRow> rows;
    detail::GrantsByObject grants;
    if (actor.admin) {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        auto all = store::Repositories(*conn).listing(std::nullopt);
        RETURN_IF_ERROR(all);
        rows = std::move(*all);
    } else {
        // Before taking a connection: the cached `default` user may need one of its own.
        auto def = app.default_user();
        RETURN_IF_ERROR(def);
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        auto candidates =
            store::Visibility(*conn).administration_candidates(*actor.user_id, def->user_id);
        RETURN_IF_ERROR(candidates);
        rows = std::move(candidates->repos);
        grants = detail::fold_grants(candidates->grants, perm::Kind::repository);
    }
    std::vector<AdminRepoItem> out;
    out.reserve(rows.size());
    for (auto& row : rows) {
        const perm::Level level = detail::repository_level(actor, row.owner_id, row.is_private,
                                                           detail::grants_of(grants, row.repo_id));
        if (level != perm::Level::admin)
            continue;
        AdminRepoItem item;
        item.last_change = last_change_text(row.changeset_cache, row.updated_on);
        item.name = std::move(row.repo_name);
        item.type = std::move(row.repo_type);
        item.description = std::move(row.description);
        item.owner = std::move(row.owner_username);
        item.is_private = row.is_private;
        item.state = std::move(row.repo_state);
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace kallithea::service
