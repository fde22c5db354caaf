// Repository group administration pages (/_admin/repo_groups...): the grid, the new-group form,
// the edit tabs (settings, permissions with "apply to children", advanced / delete), and the
// permissions tab of user groups (/_admin/user_groups/{id}/edit/perms).
#include <charconv>
#include <tuple>

#include "core/log.hpp"
#include "service/permissions/grant_admin.hpp"
#include "service/repo_groups/repo_group_admin.hpp"
#include "web/form_values.hpp"
#include "web/permissions/perm_editor.hpp"
#include "web/repo_groups/group_options.hpp"
#include "web/routes.hpp"
#include "web/tab_bar.hpp"

namespace kallithea::web {
namespace {

using M = http::Method;

std::string group_admin_path(const std::string& name, std::string_view suffix) {
    return "/_admin/repo_groups/" + http::percent_encode(name, true) + std::string(suffix);
}

// The vertical tab bar of a group's edit pages.
std::vector<View> group_tabs(const Ctx& ctx, const std::string& name, std::string_view active) {
    static constexpr TabLink kTabs[] = {{"settings", "Settings", "/edit"},
                                        {"permissions", "Permissions", "/edit/permissions"},
                                        {"advanced", "Advanced", "/edit/advanced"}};
    return tab_bar(ctx, group_admin_path(name, ""), kTabs, active);
}

// ---- grid and creation ----

http::Response show_repo_groups(Ctx& ctx) {
    auto groups = service::list_repo_groups(ctx.app, ctx.session.user);
    if (!groups)
        return service_failure(ctx, groups.error(), "repository group grid");
    std::vector<View> rows;
    for (const auto& group : *groups) {
        View row;
        row.set("name", group.name)
            .set("description", group.description)
            .set("repositories", std::to_string(group.repositories))
            .set("groups", std::to_string(group.groups))
            .set("url", ctx.url("/" + http::percent_encode(group.name, true)));
        if (group.can_admin)
            row.set("edit_url", ctx.url(group_admin_path(group.name, "/edit")));
        rows.push_back(std::move(row));
    }
    const bool can_create =
        service::repo_group_form(ctx.app, ctx.session.user, std::nullopt).has_value();
    View view;
    view.set("has_groups", !rows.empty()).set("groups", std::move(rows));
    if (can_create)
        view.set("create_url", ctx.url("/_admin/repo_groups/new"));
    return ctx.page(200, "repo_groups", "Repository groups", std::move(view));
}

struct NewGroupState {
    std::string name, description;
    std::optional<int64_t> parent;
    bool copy_permissions = false;
    Error error;  // of the failed attempt
};

http::Response new_group_page(Ctx& ctx, const service::RepoGroupForm& form,
                              const NewGroupState& state) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action_url", ctx.url("/_admin/repo_groups"))
        .set("group_name", state.name)
        .set("group_description", state.description)
        .set("top_level", form.top_level_allowed)
        .set("top_selected", !state.parent.has_value())
        .set("parents", group_options(form.parents, state.parent))
        .set("group_copy_permissions", state.copy_permissions);
    set_form_error(view, state.error, {"group_name", "parent_group_id"});
    return ctx.page(200, "repo_group_new", "Add repository group", std::move(view));
}

http::Response show_new_group(Ctx& ctx) {
    auto parent = parse_group_choice(ctx.req.query_param("parent_group").value_or(""));
    if (!parent)
        return http::Response::html(404, {});
    auto form = service::repo_group_form(ctx.app, ctx.session.user, *parent);
    if (!form)
        return service_failure(ctx, form.error(), "new repository group form");
    NewGroupState state;
    state.parent = form->parent;
    if (!form->top_level_allowed && !state.parent && !form->parents.empty())
        state.parent = form->parents.front().group_id;
    return new_group_page(ctx, *form, state);
}

http::Response create_group(Ctx& ctx) {
    auto form = service::repo_group_form(ctx.app, ctx.session.user, std::nullopt);
    if (!form)
        return service_failure(ctx, form.error(), "new repository group form");
    NewGroupState state;
    state.name = trimmed(ctx.form_value("group_name").value_or(""));
    state.description = ctx.form_value("group_description").value_or("");
    state.copy_permissions = truthy(ctx.form_value("group_copy_permissions"));
    const auto parent = parse_group_choice(ctx.form_value("parent_group_id").value_or(""));
    if (!parent) {
        state.error = {Errc::invalid_argument, "Invalid parent group", {}, "parent_group_id"};
        return new_group_page(ctx, *form, state);
    }
    state.parent = *parent;
    service::NewRepoGroupRequest request{state.name, state.description, state.parent,
                                         state.copy_permissions};
    auto created = service::create_repo_group(ctx.app, ctx.session.user, request);
    if (created)
        return ctx.redirect_flash("/" + http::percent_encode(created->name, true), "success",
                                  "Created repository group " + created->name);
    if (!is_user_error(created.error()))
        return service_failure(ctx, created.error(), "create repository group");
    state.error = std::move(created.error());
    return new_group_page(ctx, *form, state);
}

// ---- a group's edit tabs ----

http::Response redirect_to_group(Ctx& ctx) {
    return http::Response::redirect(
        ctx.url("/" + http::percent_encode(ctx.repo_group->name, true)));
}

struct EditState {
    std::string name, description;
    std::optional<int64_t> parent;
    Error error;  // of the failed attempt
};

http::Response edit_page(Ctx& ctx, const EditState& state) {
    const auto& group = *ctx.repo_group;
    auto form = service::repo_group_form(ctx.app, ctx.session.user, std::nullopt, group.group_id);
    service::RepoGroupForm choices = form ? *form : service::RepoGroupForm{};
    if (!form && form.error().code != Errc::forbidden)
        return service_failure(ctx, form.error(), "repository group form");
    // Its current parent is always offered, even when the actor could not create there.
    bool listed = !group.parent_id;
    for (const auto& p : choices.parents)
        listed = listed || p.group_id == *group.parent_id;
    if (!listed)
        choices.parents.push_back({*group.parent_id, group.name.substr(0, group.name.rfind('/'))});
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("tabs", group_tabs(ctx, group.name, "settings"))
        .set("title", group.name)
        .set("action_url", ctx.url(group_admin_path(group.name, "")))
        .set("group_name", state.name)
        .set("group_description", state.description)
        .set("top_level", choices.top_level_allowed || !group.parent_id)
        .set("top_selected", !state.parent.has_value())
        .set("parents", group_options(choices.parents, state.parent));
    set_form_error(view, state.error, {"group_name", "parent_group_id"});
    return ctx.page(200, "repo_group_edit", "Repository group " + group.name, std::move(view));
}

http::Response show_edit_group(Ctx& ctx) {
    const auto& group = *ctx.repo_group;
    EditState state;
    state.name = group.name.substr(
        group.name.rfind('/') == std::string::npos ? 0 : group.name.rfind('/') + 1);
    state.description = group.description;
    state.parent = group.parent_id;
    return edit_page(ctx, state);
}

http::Response update_group(Ctx& ctx) {
    const auto& group = *ctx.repo_group;
    EditState state;
    state.name = trimmed(ctx.form_value("group_name").value_or(""));
    state.description = ctx.form_value("group_description").value_or(group.description);
    const auto parent = ctx.form_value("parent_group_id")
                            ? parse_group_choice(*ctx.form_value("parent_group_id"))
                            : std::optional<std::optional<int64_t>>(group.parent_id);
    if (!parent) {
        state.error = {Errc::invalid_argument, "Invalid parent group", {}, "parent_group_id"};
        return edit_page(ctx, state);
    }
    state.parent = *parent;
    auto updated = service::update_repo_group(
        ctx.app, ctx.session.user, group.group_id,
        service::RepoGroupChange{state.name, state.parent, state.description});
    if (updated)
        return ctx.redirect_flash(group_admin_path(*updated, "/edit"), "success",
                                  "Updated repository group " + *updated);
    if (!is_user_error(updated.error()))
        return service_failure(ctx, updated.error(), "update repository group");
    state.error = std::move(updated.error());
    return edit_page(ctx, state);
}

http::Response group_perms_page(Ctx& ctx, const std::string& error) {
    const auto& group = *ctx.repo_group;
    PermEditorSpec spec;
    spec.target = service::GrantTarget::repo_group;
    spec.object_id = group.group_id;
    spec.action_url = ctx.url(group_admin_path(group.name, "/edit/permissions"));
    spec.revoke_url = ctx.url(group_admin_path(group.name, "/edit/permissions/delete"));
    auto editor = render_perm_editor(ctx, spec, error);
    if (!editor)
        return service_failure(ctx, editor.error(), "repository group permissions");
    View view;
    view.set("tabs", group_tabs(ctx, group.name, "permissions"))
        .set("title", group.name)
        .set("editor", *editor);
    return ctx.page(200, "repo_group_perms", "Repository group " + group.name, std::move(view));
}

http::Response show_group_perms(Ctx& ctx) {
    return group_perms_page(ctx, {});
}

http::Response update_group_perms(Ctx& ctx) {
    const auto& group = *ctx.repo_group;
    auto st =
        service::apply_grant_changes(ctx.app, ctx.session.user, service::GrantTarget::repo_group,
                                     group.group_id, parse_perm_form(ctx), parse_apply_to(ctx));
    if (!st && is_user_error(st.error()))
        return group_perms_page(ctx, st.error().message);
    if (!st)
        return service_failure(ctx, st.error(), "update repository group permissions");
    return ctx.redirect_flash(group_admin_path(group.name, "/edit/permissions"), "success",
                              "Repository group permissions updated");
}

http::Response revoke_group_perm(Ctx& ctx) {
    const auto& group = *ctx.repo_group;
    auto change = parse_revoke(ctx);
    if (!change)
        return group_perms_page(ctx, "Nothing to revoke");
    auto st =
        service::apply_grant_changes(ctx.app, ctx.session.user, service::GrantTarget::repo_group,
                                     group.group_id, {*change}, parse_apply_to(ctx));
    if (!st && is_user_error(st.error()))
        return group_perms_page(ctx, st.error().message);
    if (!st)
        return service_failure(ctx, st.error(), "revoke repository group permission");
    return ctx.redirect_flash(group_admin_path(group.name, "/edit/permissions"), "success",
                              "Permission revoked");
}

http::Response advanced_page(Ctx& ctx, const std::string& error) {
    const auto& group = *ctx.repo_group;
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("tabs", group_tabs(ctx, group.name, "advanced"))
        .set("title", group.name)
        .set("delete_url", ctx.url(group_admin_path(group.name, "/delete")));
    if (!error.empty())
        view.set("error", error);
    return ctx.page(200, "repo_group_advanced", "Repository group " + group.name, std::move(view));
}

http::Response show_group_advanced(Ctx& ctx) {
    return advanced_page(ctx, {});
}

http::Response delete_group(Ctx& ctx) {
    auto deleted = service::delete_repo_group(ctx.app, ctx.session.user, ctx.repo_group->group_id);
    if (!deleted && is_user_error(deleted.error()))
        return advanced_page(ctx, deleted.error().message);
    if (!deleted)
        return service_failure(ctx, deleted.error(), "delete repository group");
    return ctx.redirect_flash("/_admin/repo_groups", "success",
                              "Removed repository group " + *deleted);
}

// ---- user group permissions tab ----

http::Response user_group_perms_page(Ctx& ctx, const std::string& error) {
    const auto id = parse_positive_id(ctx.params["id"]);
    if (!id)
        return http::Response::html(404, {});
    auto name = service::user_group_name(ctx.app, *id);
    if (!name)
        return service_failure(ctx, name.error(), "user group");
    PermEditorSpec spec;
    spec.target = service::GrantTarget::user_group;
    spec.object_id = *id;
    const std::string base = "/_admin/user_groups/" + std::to_string(*id) + "/edit/perms";
    spec.action_url = ctx.url(base);
    spec.revoke_url = ctx.url(base + "/delete");
    auto editor = render_perm_editor(ctx, spec, error);
    if (!editor)
        return service_failure(ctx, editor.error(), "user group permissions");
    View view;
    view.set("tabs", tab_bar(ctx, "/_admin/user_groups/" + std::to_string(*id) + "/edit",
                             kUserGroupTabs, "perms"))
        .set("title", *name)
        .set("editor", *editor);
    return ctx.page(200, "user_group_perms", "User group " + *name, std::move(view));
}

http::Response show_user_group_perms(Ctx& ctx) {
    return user_group_perms_page(ctx, {});
}

http::Response change_user_group_perms(Ctx& ctx, bool revoke) {
    const auto id = parse_positive_id(ctx.params["id"]);
    if (!id)
        return http::Response::html(404, {});
    std::vector<service::GrantChange> changes;
    if (revoke) {
        auto change = parse_revoke(ctx);
        if (!change)
            return user_group_perms_page(ctx, "Nothing to revoke");
        changes.push_back(*change);
    } else {
        changes = parse_perm_form(ctx);
    }
    auto st = service::apply_grant_changes(ctx.app, ctx.session.user,
                                           service::GrantTarget::user_group, *id, changes);
    if (!st && is_user_error(st.error()))
        return user_group_perms_page(ctx, st.error().message);
    if (!st)
        return service_failure(ctx, st.error(), "user group permissions");
    return ctx.redirect_flash("/_admin/user_groups/" + std::to_string(*id) + "/edit/perms",
                              "success",
                              revoke ? "Permission revoked" : "User group permissions updated");
}

http::Response update_user_group_perms(Ctx& ctx) {
    return change_user_group_perms(ctx, false);
}

http::Response revoke_user_group_perm(Ctx& ctx) {
    return change_user_group_perms(ctx, true);
}

}  // namespace

std::vector<RouteDef> repo_group_routes() {
    return {
        {{M::get, M::head}, "/_admin/repo_groups", Need::login, show_repo_groups},
        {{M::post}, "/_admin/repo_groups", Need::login, create_group},
        {{M::get, M::head}, "/_admin/repo_groups/new", Need::login, show_new_group},
        {{M::get, M::head},
         "/_admin/repo_groups/{group:path}/edit",
         Need::group_admin,
         show_edit_group},
        {{M::get, M::head},
         "/_admin/repo_groups/{group:path}/edit/permissions",
         Need::group_admin,
         show_group_perms},
        {{M::post},
         "/_admin/repo_groups/{group:path}/edit/permissions",
         Need::group_admin,
         update_group_perms},
        {{M::post},
         "/_admin/repo_groups/{group:path}/edit/permissions/delete",
         Need::group_admin,
         revoke_group_perm},
        {{M::get, M::head},
         "/_admin/repo_groups/{group:path}/edit/advanced",
         Need::group_admin,
         show_group_advanced},
        {{M::post}, "/_admin/repo_groups/{group:path}/delete", Need::group_admin, delete_group},
        {{M::post}, "/_admin/repo_groups/{group:path}", Need::group_admin, update_group},
        {{M::get, M::head},
         "/_admin/repo_groups/{group:path}",
         Need::group_read,
         redirect_to_group},
        {{M::get, M::head},
         "/_admin/user_groups/{id}/edit/perms",
         Need::usergroup_admin,
         show_user_group_perms},
        {{M::post},
         "/_admin/user_groups/{id}/edit/perms",
         Need::usergroup_admin,
         update_user_group_perms},
        {{M::post},
         "/_admin/user_groups/{id}/edit/perms/delete",
         Need::usergroup_admin,
         revoke_user_group_perm},
    };
}

}  // namespace kallithea::web
