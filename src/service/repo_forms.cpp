// The new-repository form's choices and the repository administration grid (service/repos.hpp).

#include "db/pool.hpp"
#include "service/home.hpp"
#include "service/repo_creation.hpp"
#include "service/repos.hpp"
#include "store/permissions.hpp"
#include "store/repo_groups.hpp"

namespace kallithea::service {
namespace {

Result<bool> has_global(db::Connection& conn, const std::vector<int64_t>& user_ids,
                        std::string_view permission) {
    store::Permissions perms(conn);
    for (int64_t id : user_ids) {
        auto names = perms.user_global(id);
        if (!names)
            return fail(std::move(names.error()));
        for (const auto& name : *names)
            if (name == permission)
                return true;
    }
    return false;
}

}  // namespace

Result<NewRepoForm> new_repository_form(App& app, const AuthUser& actor,
                                        std::optional<int64_t> parent_group) {
    if (!actor.authenticated())
        return fail(Errc::forbidden, "You need to log in to create repositories");
    auto conn = app.pool().acquire();
    if (!conn)
        return fail(std::move(conn.error()));
    auto defaults = detail::load_repo_defaults(*conn);
    if (!defaults)
        return fail(std::move(defaults.error()));
    auto grants = detail::load_default_grants(*conn);
    if (!grants)
        return fail(std::move(grants.error()));
    NewRepoForm form;
    form.types = {"git"};
    form.default_type = defaults->type;
    form.default_private = defaults->is_private;
    form.default_downloads = defaults->downloads;
    if (actor.admin) {
        form.top_level_allowed = true;
        auto groups = store::RepoGroups(*conn).all();
        if (!groups)
            return fail(std::move(groups.error()));
        for (auto& group : *groups)
            form.groups.push_back({group.group_id, std::move(group.group_name)});
    } else {
        // Until repository group permissions land, non-admins create top-level repositories only.
        auto allowed =
            has_global(*conn, {grants->user_id, actor.user_id.value_or(0)}, "hg.create.repository");
        if (!allowed)
            return fail(std::move(allowed.error()));
        form.top_level_allowed = *allowed;
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
    auto conn = app.pool().acquire();
    if (!conn)
        return fail(std::move(conn.error()));
    auto rows = store::Repositories(*conn).listing(actor.admin ? std::nullopt : actor.user_id);
    if (!rows)
        return fail(std::move(rows.error()));
    std::vector<AdminRepoItem> out;
    out.reserve(rows->size());
    for (auto& row : *rows) {
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
