// User group administration pages (/_admin/user_groups): the grid, the new-group form, and the
// edit tabs (settings, members, default permissions, advanced/delete). The "Permissions" tab
// (/edit/perms) belongs to the permission editors.
#include <charconv>

#include "core/log.hpp"
#include "service/user_groups/user_groups.hpp"
#include "web/form_values.hpp"
#include "web/routes.hpp"
#include "web/tab_bar.hpp"

namespace kallithea::web {
namespace {

using M = http::Method;

std::optional<int64_t> parse_id(const std::string& text) {
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return id;
}

// The gate has checked {id} (numeric, existing, usergroup.admin).
int64_t group_id(const Ctx& ctx) {
    return parse_id(ctx.params.at("id")).value_or(0);
}

std::string edit_url(int64_t id, std::string_view tab = {}) {
    std::string out = "/_admin/user_groups/" + std::to_string(id) + "/edit";
    if (!tab.empty())
        out += "/" + std::string(tab);
    return out;
}

// ---- grid and creation ----

http::Response show_user_groups(Ctx& ctx) {
    auto groups = service::visible_user_groups(ctx.app, ctx.session.user);
    if (!groups)
        return service_failure(ctx, groups.error(), "user group grid");
    auto can_create = service::may_create_user_group(ctx.app, ctx.session.user);
    if (!can_create)
        return service_failure(ctx, can_create.error(), "user group grid");
    std::vector<View> rows;
    for (const auto& group : *groups) {
        View row;
        row.set("name", group.name)
            .set("description", group.description)
            .set("active", group.active)
            .set("members", std::to_string(group.member_count))
            .set("owner", group.owner)
            .set("can_admin", group.can_admin)
            .set("edit_url", ctx.url(edit_url(group.id)));
        rows.push_back(std::move(row));
    }
    View view;
    view.set("can_create", *can_create)
        .set("create_url", ctx.url("/_admin/user_groups/new"))
        .set("has_groups", !rows.empty())
        .set("groups", std::move(rows));
    return ctx.page(200, "user_groups", "User groups administration", std::move(view));
}

View new_form_view(const Ctx& ctx, const service::UserGroupForm& form, const Error& error) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("users_group_name", form.name)
        .set("user_group_description", form.description)
        .set("users_group_active", form.active);
    set_form_error(view, error, {"users_group_name", "user_group_description"});
    return view;
}

http::Response show_new_user_group(Ctx& ctx) {
    auto allowed = service::may_create_user_group(ctx.app, ctx.session.user);
    if (!allowed)
        return service_failure(ctx, allowed.error(), "new user group form");
    if (!*allowed)
        return http::Response::html(403, {});
    service::UserGroupForm form;
    return ctx.page(200, "user_group_new", "Add user group", new_form_view(ctx, form, {}));
}

http::Response create_user_group(Ctx& ctx) {
    service::UserGroupForm form;
    form.name = ctx.form_value("users_group_name").value_or("");
    form.description = ctx.form_value("user_group_description").value_or("");
    form.active = truthy(ctx.form_value("users_group_active"));
    auto created = service::create_user_group(ctx.app, ctx.session.user, form, ctx.client_ip);
    if (created)
        return ctx.redirect_flash(edit_url(*created), "success", "Created user group " + form.name);
    if (!is_user_error(created.error()))
        return service_failure(ctx, created.error(), "create user group");
    return ctx.page(200, "user_group_new", "Add user group",
                    new_form_view(ctx, form, created.error()));
}

// ---- edit tabs ----

// The edit page's frame: tab bar and the group's fields; `tab` selects the body.
View edit_view(const Ctx& ctx, const service::UserGroupInfo& group, std::string_view tab) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("id", std::to_string(group.id))
        .set("group_id", std::to_string(group.id))
        .set("name", group.name)
        .set("owner", group.owner)
        .set("created_on", group.created_on)
        .set("member_count", std::to_string(group.member_count))
        .set("tabs", tab_bar(ctx, edit_url(group.id), kUserGroupTabs, tab))
        .set("tab_" + std::string(tab), true);
    return view;
}

Result<service::UserGroupInfo> load_group(Ctx& ctx) {
    return service::user_group(ctx.app, ctx.session.user, group_id(ctx));
}

http::Response settings_page(Ctx& ctx, const service::UserGroupInfo& group,
                             const service::UserGroupForm& form, const Error& error) {
    View view = edit_view(ctx, group, "settings");
    view.set("users_group_name", form.name)
        .set("user_group_description", form.description)
        .set("owner", form.owner)
        .set("users_group_active", form.active);
    set_form_error(view, error, {"users_group_name", "user_group_description", "owner"});
    return ctx.page(200, "user_group_edit", "User group " + group.name, std::move(view));
}

http::Response show_settings(Ctx& ctx) {
    auto group = load_group(ctx);
    if (!group)
        return service_failure(ctx, group.error(), "user group settings");
    service::UserGroupForm form{group->name, group->description, group->active, group->owner};
    return settings_page(ctx, *group, form, {});
}

http::Response update_settings(Ctx& ctx) {
    auto group = load_group(ctx);
    if (!group)
        return service_failure(ctx, group.error(), "update user group");
    service::UserGroupForm form;
    form.name = ctx.form_value("users_group_name").value_or("");
    form.description = ctx.form_value("user_group_description").value_or("");
    form.active = truthy(ctx.form_value("users_group_active"));
    form.owner = ctx.form_value("owner").value_or("");
    auto st = service::update_user_group(ctx.app, ctx.session.user, group->id, form, ctx.client_ip);
    if (st)
        return ctx.redirect_flash(edit_url(group->id), "success",
                                  "Updated user group " + form.name);
    if (!is_user_error(st.error()))
        return service_failure(ctx, st.error(), "update user group");
    return settings_page(ctx, *group, form, st.error());
}

http::Response members_page(Ctx& ctx, const service::UserGroupInfo& group,
                            const std::string& username, const std::string& error) {
    auto members = service::user_group_members(ctx.app, group.id);
    if (!members)
        return service_failure(ctx, members.error(), "user group members");
    std::vector<View> rows;
    for (const auto& m : *members) {
        std::string full = m.firstname;
        if (!m.lastname.empty())
            full += (full.empty() ? "" : " ") + m.lastname;
        View row;
        row.set("user_id", std::to_string(m.user_id))
            .set("username", m.username)
            .set("full_name", full)
            .set("active", m.active);
        rows.push_back(std::move(row));
    }
    View view = edit_view(ctx, group, "members");
    view.set("has_members", !rows.empty())
        .set("members", std::move(rows))
        .set("username", username);
    if (!error.empty())
        view.set("error_username", error);
    return ctx.page(200, "user_group_edit", "User group " + group.name, std::move(view));
}

http::Response show_members(Ctx& ctx) {
    auto group = load_group(ctx);
    if (!group)
        return service_failure(ctx, group.error(), "user group members");
    return members_page(ctx, *group, {}, {});
}

http::Response update_members(Ctx& ctx) {
    auto group = load_group(ctx);
    if (!group)
        return service_failure(ctx, group.error(), "user group members");
    const std::string action = ctx.form_value("action").value_or("");
    if (action == "add") {
        const std::string username = ctx.form_value("username").value_or("");
        auto st = service::add_user_group_member(ctx.app, group->id, username);
        if (st)
            return ctx.redirect_flash(edit_url(group->id, "members"), "success",
                                      "Added " + username + " to the group");
        if (!is_user_error(st.error()))
            return service_failure(ctx, st.error(), "add user group member");
        return members_page(ctx, *group, username, st.error().message);
    }
    if (action == "remove") {
        auto user_id = parse_id(ctx.form_value("user_id").value_or(""));
        if (!user_id)
            return members_page(ctx, *group, {}, "Unknown member");
        auto st = service::remove_user_group_member(ctx.app, group->id, *user_id);
        if (!st && st.error().code != Errc::not_found)
            return service_failure(ctx, st.error(), "remove user group member");
        if (!st)
            return members_page(ctx, *group, {}, "That user is not a member of this group");
        return ctx.redirect_flash(edit_url(group->id, "members"), "success",
                                  "Removed a member from the group");
    }
    return http::Response::html(400, {});
}

http::Response show_default_perms(Ctx& ctx) {
    auto group = load_group(ctx);
    if (!group)
        return service_failure(ctx, group.error(), "user group default permissions");
    auto grants = service::user_group_global_grants(ctx.app, group->id);
    if (!grants)
        return service_failure(ctx, grants.error(), "user group default permissions");
    View view = edit_view(ctx, *group, "default_perms");
    view.set("create_repo_perm", grants->create_repository)
        .set("create_user_group_perm", grants->create_user_group)
        .set("fork_repo_perm", grants->fork_repository);
    return ctx.page(200, "user_group_edit", "User group " + group->name, std::move(view));
}

http::Response update_default_perms(Ctx& ctx) {
    const int64_t id = group_id(ctx);
    service::UserGroupGlobalGrants grants;
    grants.create_repository = truthy(ctx.form_value("create_repo_perm"));
    grants.create_user_group = truthy(ctx.form_value("create_user_group_perm"));
    grants.fork_repository = truthy(ctx.form_value("fork_repo_perm"));
    if (auto st = service::set_user_group_global_grants(ctx.app, id, grants); !st)
        return service_failure(ctx, st.error(), "user group default permissions");
    return ctx.redirect_flash(edit_url(id, "default_perms"), "success",
                              "Updated the group's default permissions");
}

http::Response advanced_page(Ctx& ctx, const service::UserGroupInfo& group,
                             const std::string& error) {
    View view = edit_view(ctx, group, "advanced");
    if (!error.empty())
        view.set("error", error);
    return ctx.page(200, "user_group_edit", "User group " + group.name, std::move(view));
}

http::Response show_advanced(Ctx& ctx) {
    auto group = load_group(ctx);
    if (!group)
        return service_failure(ctx, group.error(), "user group advanced");
    return advanced_page(ctx, *group, {});
}

http::Response delete_user_group(Ctx& ctx) {
    const int64_t id = group_id(ctx);
    auto deleted = service::delete_user_group(ctx.app, id, truthy(ctx.form_value("force")));
    if (deleted)
        return ctx.redirect_flash("/_admin/user_groups", "success",
                                  "Deleted user group " + *deleted);
    if (deleted.error().code != Errc::conflict)
        return service_failure(ctx, deleted.error(), "delete user group");
    auto group = load_group(ctx);
    if (!group)
        return service_failure(ctx, group.error(), "delete user group");
    return advanced_page(ctx, *group, deleted.error().message);
}

}  // namespace

std::vector<RouteDef> user_group_routes() {
    const std::string base = "/_admin/user_groups";
    return {
        {{M::get, M::head}, base, Need::login, show_user_groups},
        {{M::post}, base, Need::login, create_user_group},
        {{M::get, M::head}, base + "/new", Need::login, show_new_user_group},
        {{M::post}, base + "/{id}", Need::usergroup_admin, update_settings},
        {{M::post}, base + "/{id}/delete", Need::usergroup_admin, delete_user_group},
        {{M::get, M::head}, base + "/{id}/edit", Need::usergroup_admin, show_settings},
        {{M::get, M::head}, base + "/{id}/edit/advanced", Need::usergroup_admin, show_advanced},
        {{M::get, M::head}, base + "/{id}/edit/members", Need::usergroup_admin, show_members},
        {{M::post}, base + "/{id}/edit/members", Need::usergroup_admin, update_members},
        {{M::get, M::head},
         base + "/{id}/edit/default_perms",
         Need::usergroup_admin,
         show_default_perms},
        {{M::post}, base + "/{id}/edit/default_perms", Need::usergroup_admin, update_default_perms},
    };
}

}  // namespace kallithea::web
