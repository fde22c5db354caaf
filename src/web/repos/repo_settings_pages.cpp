// A repository's settings pages (/{repo}/settings...): the settings tab, the permission editor
// and the advanced tab ("fork of", delete).
#include <charconv>
#include <tuple>

#include "core/log.hpp"
#include "service/permissions/grant_admin.hpp"
#include "service/repos/repo_settings.hpp"
#include "web/form_values.hpp"
#include "web/permissions/perm_editor.hpp"
#include "web/repo_groups/group_options.hpp"
#include "web/routes.hpp"
#include "web/tab_bar.hpp"

namespace kallithea::web {
namespace {

using M = http::Method;

std::string settings_url(const Ctx& ctx, const std::string& name, std::string_view suffix) {
    return ctx.url("/" + http::percent_encode(name, true) + "/settings" + std::string(suffix));
}

// The sub-tab bar of the settings pages.
std::vector<View> subtabs(const Ctx& ctx, std::string_view active) {
    static constexpr TabLink kTabs[] = {{"settings", "Settings", ""},
                                        {"permissions", "Permissions", "/permissions"},
                                        {"advanced", "Advanced", "/advanced"}};
    return tab_bar(ctx, "/" + http::percent_encode(ctx.repo->name, true) + "/settings", kTabs,
                   active);
}

struct SettingsState {
    std::string repo_name, description, landing_rev, owner;
    std::optional<int64_t> group_id;
    bool is_private = false, downloads = false;
    Error error;  // of the failed attempt
};

SettingsState state_of(const service::RepoSettingsData& data) {
    return {data.just_name, data.description, data.landing_rev, data.owner,
            data.group_id,  data.is_private,  data.downloads,   {}};
}

http::Response settings_page(Ctx& ctx, const service::RepoSettingsData& data,
                             const SettingsState& state) {
    std::vector<View> landing;
    for (const auto& choice : data.landing_choices) {
        View option;
        option.set("value", choice)
            .set("label", choice == "rev:tip" ? std::string("latest tip") : choice)
            .set("selected", choice == state.landing_rev);
        landing.push_back(std::move(option));
    }
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("subtabs", subtabs(ctx, "settings"))
        .set("action_url", settings_url(ctx, data.name, ""))
        .set("permanent_url", ctx.url("/_" + std::to_string(data.repo_id)))
        .set("repo_name", state.repo_name)
        .set("repo_description", state.description)
        .set("top_level", data.top_level_allowed || !state.group_id)
        .set("top_selected", !state.group_id.has_value())
        .set("groups", group_options(data.groups, state.group_id))
        .set("landing_revs", std::move(landing))
        .set("owner", state.owner)
        .set("repo_private", state.is_private)
        .set("repo_enable_downloads", state.downloads);
    set_form_error(view, state.error, {"repo_name", "repo_group", "repo_landing_rev", "owner"});
    return ctx.repo_page(200, "repo_settings", "Settings", "settings", std::move(view));
}

http::Response show_settings(Ctx& ctx) {
    auto data = service::repo_settings(ctx.app, ctx.session.user, ctx.repo->name);
    if (!data)
        return service_failure(ctx, data.error(), "repository settings");
    return settings_page(ctx, *data, state_of(*data));
}

http::Response update_settings(Ctx& ctx) {
    auto data = service::repo_settings(ctx.app, ctx.session.user, ctx.repo->name);
    if (!data)
        return service_failure(ctx, data.error(), "repository settings");
    SettingsState state = state_of(*data);
    state.repo_name = trimmed(ctx.form_value("repo_name").value_or(data->just_name));
    state.description = ctx.form_value("repo_description").value_or(data->description);
    state.landing_rev = ctx.form_value("repo_landing_rev").value_or(data->landing_rev);
    state.owner = trimmed(ctx.form_value("owner").value_or(data->owner));
    state.is_private = truthy(ctx.form_value("repo_private"));
    state.downloads = truthy(ctx.form_value("repo_enable_downloads"));
    const auto group = ctx.form_value("repo_group")
                           ? parse_group_choice(*ctx.form_value("repo_group"))
                           : std::optional<std::optional<int64_t>>(data->group_id);
    if (!group) {
        state.error = {Errc::invalid_argument, "Invalid repository group", {}, "repo_group"};
        return settings_page(ctx, *data, state);
    }
    state.group_id = *group;
    service::RepoSettingsChange change{state.repo_name,  state.group_id,    state.description,
                                       state.is_private, state.landing_rev, state.owner,
                                       state.downloads};
    auto updated = service::update_repo_settings(ctx.app, ctx.session.user, ctx.repo->name, change,
                                                 ctx.client_ip);
    if (updated)
        return ctx.redirect_flash("/" + http::percent_encode(*updated, true) + "/settings",
                                  "success", "Repository " + *updated + " updated successfully");
    if (!is_user_error(updated.error()))
        return service_failure(ctx, updated.error(), "update repository settings");
    state.error = std::move(updated.error());
    return settings_page(ctx, *data, state);
}

http::Response permissions_page(Ctx& ctx, const std::string& error) {
    PermEditorSpec spec;
    spec.target = service::GrantTarget::repository;
    spec.object_id = ctx.repo->repo_id;
    spec.action_url = settings_url(ctx, ctx.repo->name, "/permissions");
    spec.revoke_url = settings_url(ctx, ctx.repo->name, "/permissions/delete");
    spec.private_repo = ctx.repo->is_private;
    auto editor = render_perm_editor(ctx, spec, error);
    if (!editor)
        return service_failure(ctx, editor.error(), "repository permissions");
    View view;
    view.set("subtabs", subtabs(ctx, "permissions")).set("editor", *editor);
    return ctx.repo_page(200, "repo_settings_perms", "Permissions", "settings", std::move(view));
}

http::Response show_permissions(Ctx& ctx) {
    return permissions_page(ctx, {});
}

http::Response update_permissions(Ctx& ctx) {
    auto st =
        service::apply_grant_changes(ctx.app, ctx.session.user, service::GrantTarget::repository,
                                     ctx.repo->repo_id, parse_perm_form(ctx));
    if (!st && is_user_error(st.error()))
        return permissions_page(ctx, st.error().message);
    if (!st)
        return service_failure(ctx, st.error(), "update repository permissions");
    return ctx.redirect_flash(
        "/" + http::percent_encode(ctx.repo->name, true) + "/settings/permissions", "success",
        "Repository permissions updated");
}

http::Response revoke_permission(Ctx& ctx) {
    auto change = parse_revoke(ctx);
    if (!change)
        return permissions_page(ctx, "Nothing to revoke");
    auto st = service::apply_grant_changes(
        ctx.app, ctx.session.user, service::GrantTarget::repository, ctx.repo->repo_id, {*change});
    if (!st && is_user_error(st.error()))
        return permissions_page(ctx, st.error().message);
    if (!st)
        return service_failure(ctx, st.error(), "revoke repository permission");
    return ctx.redirect_flash(
        "/" + http::percent_encode(ctx.repo->name, true) + "/settings/permissions", "success",
        "Permission revoked");
}

http::Response advanced_page(Ctx& ctx, const std::string& error) {
    auto data = service::repo_settings(ctx.app, ctx.session.user, ctx.repo->name);
    if (!data)
        return service_failure(ctx, data.error(), "repository settings");
    std::vector<View> choices;
    for (const auto& name : data->fork_choices) {
        View option;
        option.set("name", name).set("selected", data->fork_of && *data->fork_of == name);
        choices.push_back(std::move(option));
    }
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("subtabs", subtabs(ctx, "advanced"))
        .set("fork_url", settings_url(ctx, data->name, "/advanced/fork"))
        .set("delete_url",
             ctx.url("/_admin/repos/" + http::percent_encode(data->name, true) + "/delete"))
        .set("fork_choices", std::move(choices))
        .set("not_fork", !data->fork_of.has_value())
        .set("fork_of", data->fork_of.value_or(""))
        .set("repo_name", data->name);
    if (!error.empty())
        view.set("error", error);
    return ctx.repo_page(200, "repo_settings_advanced", "Advanced", "settings", std::move(view));
}

http::Response show_advanced(Ctx& ctx) {
    return advanced_page(ctx, {});
}

http::Response update_fork(Ctx& ctx) {
    auto target = ctx.form_value("id_fork_of");
    if (target && (target->empty() || *target == "-1"))
        target.reset();
    auto st = service::set_repo_fork_of(ctx.app, ctx.session.user, ctx.repo->name, target);
    if (!st && is_user_error(st.error()))
        return advanced_page(ctx, st.error().message);
    if (!st)
        return service_failure(ctx, st.error(), "set fork of");
    return ctx.redirect_flash(
        "/" + http::percent_encode(ctx.repo->name, true) + "/settings/advanced", "success",
        target ? "Marked repository " + ctx.repo->name + " as fork of " + *target
               : "Repository " + ctx.repo->name + " is no longer a fork");
}

}  // namespace

std::vector<RouteDef> repo_settings_routes() {
    return {
        {{M::get, M::head}, "/{repo:path}/settings", Need::repo_admin, show_settings},
        {{M::post}, "/{repo:path}/settings", Need::repo_admin, update_settings},
        {{M::post}, "/_admin/repos/{repo:path}", Need::repo_admin, update_settings},
        {{M::get, M::head},
         "/{repo:path}/settings/permissions",
         Need::repo_admin,
         show_permissions},
        {{M::post}, "/{repo:path}/settings/permissions", Need::repo_admin, update_permissions},
        {{M::post},
         "/{repo:path}/settings/permissions/delete",
         Need::repo_admin,
         revoke_permission},
        {{M::get, M::head}, "/{repo:path}/settings/advanced", Need::repo_admin, show_advanced},
        {{M::post}, "/{repo:path}/settings/advanced/fork", Need::repo_admin, update_fork},
    };
}

}  // namespace kallithea::web
