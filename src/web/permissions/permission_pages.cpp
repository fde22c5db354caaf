// Default permissions (/_admin/permissions, /ips, /perms) and repository defaults
// (/_admin/defaults): the `default` user's grants and the settings new repositories start from.
#include <charconv>

#include "core/log.hpp"
#include "service/permissions/default_permissions.hpp"
#include "web/form_values.hpp"
#include "web/routes.hpp"
#include "web/tab_bar.hpp"

namespace kallithea::web {
namespace {

std::string label_of(std::string_view value) {
    static const std::pair<std::string_view, std::string_view> labels[] = {
        {"repository.none", "None"},
        {"repository.read", "Read"},
        {"repository.write", "Write"},
        {"repository.admin", "Admin"},
        {"group.none", "None"},
        {"group.read", "Read"},
        {"group.write", "Write"},
        {"group.admin", "Admin"},
        {"usergroup.none", "None"},
        {"usergroup.read", "Read"},
        {"usergroup.write", "Write"},
        {"usergroup.admin", "Admin"},
        {"hg.register.none", "Disabled"},
        {"hg.register.manual_activate", "Allowed with manual account activation"},
        {"hg.register.auto_activate", "Allowed with automatic account activation"},
        {"hg.extern_activate.manual", "Manual activation of external account"},
        {"hg.extern_activate.auto", "Automatic activation of external account"},
        {"hg.create.none", "Disabled"},
        {"hg.create.repository", "Enabled"},
        {"hg.usergroup.create.false", "Disabled"},
        {"hg.usergroup.create.true", "Enabled"},
        {"hg.fork.none", "Disabled"},
        {"hg.fork.repository", "Enabled"},
    };
    for (const auto& [value_name, label] : labels)
        if (value_name == value)
            return std::string(label);
    return std::string(value);
}

struct SelectDef {
    const char* form_name;  // Kallithea's form field
    const char* field;      // service field name
    const char* label;
    std::string service::DefaultPermissions::*member;
    const char* overwrite;  // "" when there is no "apply to existing"
    const char* objects;
    const char* help;
};

const std::vector<SelectDef>& selects() {
    using DP = service::DefaultPermissions;
    static const std::vector<SelectDef> all = {
        {"default_repo_perm", "repository", "Repository", &DP::repository, "overwrite_default_repo",
         "repositories",
         "Default permission of everyone on new repositories (private repositories excepted)."},
        {"default_group_perm", "repo_group", "Repository group", &DP::repo_group,
         "overwrite_default_group", "repository groups", ""},
        {"default_user_group_perm", "user_group", "User group", &DP::user_group,
         "overwrite_default_user_group", "user groups", ""},
        {"default_repo_create", "create_repository", "Top level repository creation",
         &DP::create_repository, "", "",
         "Whether users may create repositories at the top level (admins always can)."},
        {"default_user_group_create", "create_user_group", "User group creation",
         &DP::create_user_group, "", "", ""},
        {"default_fork", "fork", "Repository forking", &DP::fork, "", "", ""},
        {"default_register", "registration", "Registration", &DP::registration, "", "", ""},
        {"default_extern_activate", "extern_activate", "External auth account activation",
         &DP::extern_activate, "", "", ""},
    };
    return all;
}

std::vector<View> tabs(const Ctx& ctx, std::string_view active) {
    static constexpr TabLink kTabs[] = {
        {"global", "Global", ""}, {"ips", "IP whitelist", "/ips"}, {"perms", "Overview", "/perms"}};
    return tab_bar(ctx, "/_admin/permissions", kTabs, active);
}

View base_view(const Ctx& ctx, std::string_view tab) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("tabs", tabs(ctx, tab))
        .set("tab_" + std::string(tab), true);
    return view;
}

http::Response global_form(const Ctx& ctx, int status, const service::DefaultPermissions& values,
                           const Error& error) {
    View view = base_view(ctx, "global");
    view.set("anonymous", values.anonymous_access);
    std::vector<View> items;
    for (const auto& def : selects()) {
        View item;
        item.set("name", def.form_name)
            .set("label", def.label)
            .set("has_overwrite", *def.overwrite != '\0')
            .set("overwrite", def.overwrite)
            .set("objects", def.objects)
            .set("has_help", *def.help != '\0')
            .set("help", def.help);
        std::vector<View> options;
        for (const auto& choice : service::default_permission_choices(def.field)) {
            View option;
            option.set("value", choice)
                .set("label", label_of(choice))
                .set("selected", choice == values.*def.member);
            options.push_back(std::move(option));
        }
        item.set("options", std::move(options));
        if (!error.field.empty() && error.field == def.field)
            item.set("field_error", error.message);
        items.push_back(std::move(item));
    }
    view.set("selects", std::move(items));
    if (!error.message.empty() && error.field.empty())
        view.set("error", error.message);
    return ctx.page(status, "permissions", "Default permissions", std::move(view));
}

http::Response show_permissions(Ctx& ctx) {
    auto values = service::load_default_permissions(ctx.app);
    if (!values)
        return service_failure(ctx, values.error(), "default permissions");
    return global_form(ctx, 200, *values, {});
}

http::Response update_permissions(Ctx& ctx) {
    service::DefaultPermissions values;
    values.anonymous_access = truthy(ctx.form_value("anonymous"));
    for (const auto& def : selects())
        values.*def.member = ctx.form_value(def.form_name).value_or("");
    service::ApplyToExisting apply;
    apply.repositories = truthy(ctx.form_value("overwrite_default_repo"));
    apply.repo_groups = truthy(ctx.form_value("overwrite_default_group"));
    apply.user_groups = truthy(ctx.form_value("overwrite_default_user_group"));
    auto st = service::save_default_permissions(ctx.app, values, apply);
    if (!st) {
        if (st.error().code == Errc::invalid_argument)
            return global_form(ctx, 200, values, st.error());
        return service_failure(ctx, st.error(), "saving default permissions");
    }
    log::info("request {}: default permissions updated by {}", ctx.req.request_id,
              ctx.session.user.username);
    return ctx.redirect_flash("/_admin/permissions", "success",
                              "Default permissions updated successfully");
}

http::Response ips_page(const Ctx& ctx, int status, const std::string& new_ip,
                        const std::string& error) {
    auto ips = service::global_ip_whitelist(ctx.app);
    if (!ips)
        return service_failure(ctx, ips.error(), "IP whitelist");
    View view = base_view(ctx, "ips");
    std::vector<View> rows;
    for (const auto& ip : *ips) {
        View row;
        row.set("ip_id", std::to_string(ip.ip_id))
            .set("ip_addr", ip.ip_addr)
            .set("active", ip.active);
        rows.push_back(std::move(row));
    }
    view.set("has_ips", !rows.empty())
        .set("ips", std::move(rows))
        .set("new_ip", new_ip)
        .set("client_ip", ctx.client_ip);
    if (!error.empty())
        view.set("error_new_ip", error);
    return ctx.page(status, "permissions", "IP whitelist", std::move(view));
}

http::Response show_ips(Ctx& ctx) {
    return ips_page(ctx, 200, {}, {});
}

http::Response add_ip(Ctx& ctx) {
    std::string network = ctx.form_value("new_ip").value_or("");
    while (!network.empty() && (network.back() == ' ' || network.back() == '\t'))
        network.pop_back();
    while (!network.empty() && (network.front() == ' ' || network.front() == '\t'))
        network.erase(0, 1);
    if (network.empty())
        return ips_page(ctx, 200, network, "Please enter an IP address or network");
    auto st = service::add_global_ip(ctx.app, network, ctx.session.user.user_id.value_or(0),
                                     ctx.client_ip);
    if (!st) {
        const Errc code = st.error().code;
        if (code == Errc::invalid_argument || code == Errc::conflict || code == Errc::forbidden)
            return ips_page(ctx, 200, network, st.error().message);
        return service_failure(ctx, st.error(), "adding to the IP whitelist");
    }
    log::info("request {}: {} added {} to the global IP whitelist", ctx.req.request_id,
              ctx.session.user.username, network);
    return ctx.redirect_flash("/_admin/permissions/ips", "success",
                              "Added IP address " + network + " to the global whitelist");
}

http::Response delete_ip(Ctx& ctx) {
    const std::string text = ctx.form_value("del_ip_id").value_or("");
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return http::Response::html(404, {});
    auto st =
        service::delete_global_ip(ctx.app, id, ctx.session.user.user_id.value_or(0), ctx.client_ip);
    if (!st) {
        if (st.error().code == Errc::forbidden)
            return ctx.redirect_flash("/_admin/permissions/ips", "error", st.error().message);
        return service_failure(ctx, st.error(), "removing from the IP whitelist");
    }
    return ctx.redirect_flash("/_admin/permissions/ips", "success",
                              "Removed the entry from the global whitelist");
}

http::Response show_perms(Ctx& ctx) {
    auto values = service::load_default_permissions(ctx.app);
    if (!values)
        return service_failure(ctx, values.error(), "default permissions");
    auto globals = service::default_user_global_permissions(ctx.app);
    if (!globals)
        return service_failure(ctx, globals.error(), "default permissions");
    View view = base_view(ctx, "perms");
    view.set("anonymous", values->anonymous_access);
    std::vector<View> levels;
    for (const auto& def : selects()) {
        View level;
        level.set("name", def.field)
            .set("label", def.label)
            .set("value", (*values).*def.member + " (" + label_of((*values).*def.member) + ")");
        levels.push_back(std::move(level));
    }
    std::vector<View> names;
    for (const auto& name : *globals) {
        View item;
        item.set("name", name);
        names.push_back(std::move(item));
    }
    view.set("levels", std::move(levels)).set("globals", std::move(names));
    return ctx.page(200, "permissions", "Default permissions overview", std::move(view));
}

http::Response defaults_form(const Ctx& ctx, int status, const service::RepoDefaultSettings& values,
                             const std::string& type_error) {
    View view;
    std::vector<View> types;
    for (const char* type : {"git", "hg"}) {
        View option;
        option.set("value", type)
            .set("label", std::string_view(type) == "git" ? "Git" : "Mercurial")
            .set("selected", values.type == type);
        types.push_back(std::move(option));
    }
    view.set("csrf_token", ctx.session.csrf_token)
        .set("types", std::move(types))
        .set("private", values.is_private)
        .set("statistics", values.enable_statistics)
        .set("downloads", values.enable_downloads);
    if (!type_error.empty())
        view.set("error_default_repo_type", type_error);
    return ctx.page(status, "defaults", "Repository defaults", std::move(view));
}

http::Response show_defaults(Ctx& ctx) {
    auto values = service::load_repo_default_settings(ctx.app);
    if (!values)
        return service_failure(ctx, values.error(), "repository defaults");
    return defaults_form(ctx, 200, *values, {});
}

http::Response update_defaults(Ctx& ctx) {
    service::RepoDefaultSettings values;
    values.type = ctx.form_value("default_repo_type").value_or("");
    values.is_private = truthy(ctx.form_value("default_repo_private"));
    values.enable_downloads = truthy(ctx.form_value("default_repo_enable_downloads"));
    values.enable_statistics = truthy(ctx.form_value("default_repo_enable_statistics"));
    auto st = service::save_repo_default_settings(ctx.app, values);
    if (!st) {
        if (st.error().code == Errc::invalid_argument)
            return defaults_form(ctx, 200, values, st.error().message);
        return service_failure(ctx, st.error(), "saving repository defaults");
    }
    return ctx.redirect_flash("/_admin/defaults", "success",
                              "Default settings updated successfully");
}

}  // namespace

std::vector<RouteDef> permission_admin_routes() {
    using M = http::Method;
    return {
        {{M::get, M::head}, "/_admin/permissions", Need::admin, show_permissions},
        {{M::post}, "/_admin/permissions", Need::admin, update_permissions},
        {{M::get, M::head}, "/_admin/permissions/ips", Need::admin, show_ips},
        {{M::post}, "/_admin/permissions/ips", Need::admin, add_ip},
        {{M::post}, "/_admin/permissions/ips/delete", Need::admin, delete_ip},
        {{M::get, M::head}, "/_admin/permissions/perms", Need::admin, show_perms},
        {{M::get, M::head}, "/_admin/defaults", Need::admin, show_defaults},
        {{M::post}, "/_admin/defaults", Need::admin, update_defaults},
        {{M::post}, "/_admindefaults/{id}/update", Need::admin, update_defaults},
    };
}

}  // namespace kallithea::web
