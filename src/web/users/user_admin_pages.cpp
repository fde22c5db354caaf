// User administration (/_admin/users...): the grid, creating accounts, and the edit tabs
// (profile, advanced/delete, API keys, global permissions, extra emails, IP whitelist).
#include <charconv>

#include "core/log.hpp"
#include "service/users/user_admin.hpp"
#include "service/users/users.hpp"
#include "web/form_values.hpp"
#include "web/routes.hpp"
#include "web/tab_bar.hpp"
#include "web/users/user_account_tabs.hpp"

namespace kallithea::web {
namespace {

constexpr int64_t kPageSize = 50;

// The account named by the route's {id}; not_found for bad ids, unknown users and `default`.
Result<service::UserAccount> route_user(Ctx& ctx) {
    const auto id = parse_positive_id(ctx.params["id"]);
    if (!id)
        return fail(Errc::not_found, "no such user");
    auto account = service::get_user(ctx.app, *id);
    if (account && account->is_default)
        return fail(Errc::not_found, "the default user is not editable");
    return account;
}

std::string user_path(const service::UserAccount& account, std::string_view suffix = {}) {
    return "/_admin/users/" + std::to_string(account.user_id) + std::string(suffix);
}

// The edit page frame: heading, vertical tabs, and the tab's body.
http::Response edit_page(Ctx& ctx, const service::UserAccount& account, std::string_view tab,
                         int status, const std::string& body) {
    static constexpr TabLink kTabs[] = {
        {"profile", "Profile", "/edit"},
        {"advanced", "Advanced", "/edit/advanced"},
        {"api_keys", "API keys", "/edit/api_keys"},
        {"permissions", "Permissions", "/edit/permissions"},
        {"emails", "Emails", "/edit/emails"},
        {"ips", "IP whitelist", "/edit/ips"},
    };
    View view;
    view.set("username", account.username)
        .set("user_id", std::to_string(account.user_id))
        .set("users_url", ctx.url("/_admin/users"))
        .set("tabs", tab_bar(ctx, user_path(account), kTabs, tab))
        .set("body", body);
    return ctx.page(status, "user_edit", "Edit user " + account.username, std::move(view));
}

TabFrame frame_for(Ctx& ctx, const service::UserAccount& account, std::string tab) {
    return [&ctx, account, tab](int status, const std::string& body) {
        return edit_page(ctx, account, tab, status, body);
    };
}

AccountTab account_tab(const service::UserAccount& account, std::string_view suffix) {
    return {account.user_id, account.api_key, user_path(account, suffix)};
}

// ---- grid and creation ------------------------------------------------------------------

http::Response show_users(Ctx& ctx) {
    const std::string query = ctx.req.query_param("q").value_or("");
    const auto page = parse_positive_id(ctx.req.query_param("page").value_or("1")).value_or(1);
    auto list = service::list_users(ctx.app, query, page, kPageSize);
    if (!list)
        return service_failure(ctx, list.error(), "user grid");
    std::vector<View> rows;
    for (const auto& u : list->users) {
        View row;
        row.set("id", std::to_string(u.user_id))
            .set("username", u.username)
            .set("edit_url", ctx.url(user_path(u, "/edit")))
            .set("firstname", u.firstname)
            .set("lastname", u.lastname)
            .set("email", u.email)
            .set("active", u.active)
            .set("admin", u.admin)
            .set("last_login",
                 u.last_login.empty() ? std::string("never") : u.last_login.substr(0, 19))
            .set("extern_type", u.extern_type);
        rows.push_back(std::move(row));
    }
    const std::string q = http::percent_encode(query);
    auto page_url = [&](int64_t n) {
        return ctx.url("/_admin/users?page=" + std::to_string(n) + (q.empty() ? "" : "&q=" + q));
    };
    View view;
    view.set("users", std::move(rows))
        .set("has_users", !list->users.empty())
        .set("q", query)
        .set("total", std::to_string(list->total))
        .set("page", std::to_string(list->page))
        .set("pages", std::to_string(list->pages))
        .set("paged", list->pages > 1)
        .set("has_prev", list->page > 1)
        .set("has_next", list->page < list->pages)
        .set("prev_url", page_url(list->page - 1))
        .set("next_url", page_url(list->page + 1))
        .set("search_url", ctx.url("/_admin/users"))
        .set("new_url", ctx.url("/_admin/users/new"));
    return ctx.page(200, "user_list", "Users", std::move(view));
}

struct NewUserState {
    service::NewAccount account;
    std::string password_confirmation;
    Error error;  // of the failed attempt
};

http::Response new_user_page(Ctx& ctx, const NewUserState& state) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url("/_admin/users"))
        .set("username", state.account.username)
        .set("firstname", state.account.firstname)
        .set("lastname", state.account.lastname)
        .set("email", state.account.email)
        .set("active", state.account.active)
        .set("admin", state.account.admin);
    set_form_error(
        view, state.error,
        {"username", "password", "password_confirmation", "firstname", "lastname", "email"});
    return ctx.page(200, "user_new", "Add user", std::move(view));
}

http::Response show_new_user(Ctx& ctx) {
    return new_user_page(ctx, {});
}

http::Response create_user(Ctx& ctx) {
    NewUserState state;
    state.account.username = trimmed_form(ctx, "username");
    state.account.password = ctx.form_value("password").value_or("");
    state.password_confirmation = ctx.form_value("password_confirmation").value_or("");
    state.account.firstname = trimmed_form(ctx, "firstname");
    state.account.lastname = trimmed_form(ctx, "lastname");
    state.account.email = trimmed_form(ctx, "email");
    state.account.active = form_checked(ctx, "active");
    state.account.admin = form_checked(ctx, "admin");
    Result<int64_t> id =
        fail_field(Errc::invalid_argument, "password_confirmation", "Passwords do not match");
    if (auto st = service::validate_password(state.account.password); !st)
        id = fail_field("password", std::move(st.error()));
    else if (state.account.password == state.password_confirmation)
        id = service::create_user(ctx.app, state.account);
    if (id)
        return ctx.redirect_flash("/_admin/users/" + std::to_string(*id) + "/edit", "success",
                                  "Created user " + state.account.username);
    if (!is_user_error(id.error()))
        return service_failure(ctx, id.error(), "create user");
    state.error = std::move(id.error());
    return new_user_page(ctx, state);
}

// ---- profile ----------------------------------------------------------------------------

http::Response profile_tab(Ctx& ctx, const service::UserAccount& account,
                           const service::ProfileChange& values, const Error& error) {
    const auto managed = service::managed_fields(account);
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url(user_path(account)))
        .set("username", values.username)
        .set("firstname", values.firstname)
        .set("lastname", values.lastname)
        .set("email", values.email)
        .set("active", values.active)
        .set("admin", values.admin)
        .set("extern_type", account.extern_type)
        .set("extern_name", account.extern_name)
        .set("managed_username", managed.username)
        .set("managed_names", managed.names)
        .set("managed_email", managed.email)
        .set("managed_password", managed.password)
        .set("managed_any", managed.username || managed.names || managed.email);
    set_form_error(view, error,
                   {"username", "firstname", "lastname", "email", "active", "admin", "new_password",
                    "password_confirmation"});
    return edit_page(ctx, account, "profile", 200, render("user_tab_profile", view));
}

http::Response show_edit_user(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "edit user");
    service::ProfileChange values;
    values.username = account->username;
    values.firstname = account->firstname;
    values.lastname = account->lastname;
    values.email = account->email;
    values.active = account->active;
    values.admin = account->admin;
    return profile_tab(ctx, *account, values, {});
}

http::Response update_user(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "update user");
    service::ProfileChange change;
    change.username = trimmed_form(ctx, "username");
    change.firstname = trimmed_form(ctx, "firstname");
    change.lastname = trimmed_form(ctx, "lastname");
    change.email = trimmed_form(ctx, "email");
    change.active = form_checked(ctx, "active");
    change.admin = form_checked(ctx, "admin");
    change.new_password = ctx.form_value("new_password").value_or("");
    change.password_confirmation = ctx.form_value("password_confirmation").value_or("");
    const auto managed = service::managed_fields(*account);
    if (managed.username)
        change.username = account->username;
    if (managed.names) {
        change.firstname = account->firstname;
        change.lastname = account->lastname;
    }
    if (managed.email)
        change.email = account->email;
    auto st =
        service::update_user(ctx.app, ctx.session.user, account->user_id, change, ctx.session.id);
    if (st)
        return ctx.redirect_flash(user_path(*account, "/edit"), "success",
                                  "User " + change.username + " updated successfully");
    if (!is_user_error(st.error()))
        return service_failure(ctx, st.error(), "update user");
    change.new_password.clear();
    change.password_confirmation.clear();
    return profile_tab(ctx, *account, change, st.error());
}

// ---- advanced / delete ------------------------------------------------------------------

std::vector<View> ref_views(const std::vector<service::ObjectRef>& refs, const Ctx& ctx,
                            std::string_view prefix, bool by_id) {
    std::vector<View> out;
    for (const auto& r : refs) {
        View v;
        v.set("name", r.name)
            .set("url",
                 ctx.url(std::string(prefix) +
                         (by_id ? std::to_string(r.id) : http::percent_encode(r.name, true))));
        out.push_back(std::move(v));
    }
    return out;
}

http::Response advanced_tab(Ctx& ctx, const service::UserAccount& account,
                            const std::string& error) {
    auto ties = service::user_ties(ctx.app, account.user_id);
    if (!ties)
        return service_failure(ctx, ties.error(), "user ties");
    const bool owns =
        !ties->repositories.empty() || !ties->repo_groups.empty() || !ties->user_groups.empty();
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("delete_url", ctx.url(user_path(account, "/delete")))
        .set("username", account.username)
        .set("created_on", account.created_on)
        .set("last_login", account.last_login.empty() ? std::string("never") : account.last_login)
        .set("extern_type", account.extern_type)
        .set("extern_name", account.extern_name)
        .set("member_of", ref_views(ties->member_of, ctx, "/_admin/user_groups/", true))
        .set("has_member_of", !ties->member_of.empty())
        .set("repositories", ref_views(ties->repositories, ctx, "/", false))
        .set("has_repositories", !ties->repositories.empty())
        .set("repo_groups", ref_views(ties->repo_groups, ctx, "/", false))
        .set("has_repo_groups", !ties->repo_groups.empty())
        .set("user_groups", ref_views(ties->user_groups, ctx, "/_admin/user_groups/", true))
        .set("has_user_groups", !ties->user_groups.empty())
        .set("owns", owns)
        .set("self", ctx.session.user.user_id == account.user_id);
    if (!error.empty())
        view.set("error", error);
    return edit_page(ctx, account, "advanced", 200, render("user_tab_advanced", view));
}

http::Response show_user_advanced(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "user advanced");
    return advanced_tab(ctx, *account, {});
}

http::Response delete_user(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "delete user");
    auto st = service::delete_user(ctx.app, ctx.session.user, account->user_id);
    if (st)
        return ctx.redirect_flash("/_admin/users", "success",
                                  "Successfully deleted user " + account->username);
    if (st.error().code != Errc::invalid_argument && st.error().code != Errc::conflict)
        return service_failure(ctx, st.error(), "delete user");
    return advanced_tab(ctx, *account, st.error().message);
}

// ---- API keys and emails (shared with my account) ---------------------------------------

template <http::Response (*Handler)(Ctx&, const AccountTab&, const TabFrame&)>
http::Response tab_handler(Ctx& ctx, std::string_view tab, std::string_view suffix) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "user tab");
    return Handler(ctx, account_tab(*account, suffix), frame_for(ctx, *account, std::string(tab)));
}

http::Response show_user_api_keys(Ctx& ctx) {
    return tab_handler<show_api_keys_tab>(ctx, "api_keys", "/edit/api_keys");
}
http::Response add_user_api_key(Ctx& ctx) {
    return tab_handler<add_api_key_tab>(ctx, "api_keys", "/edit/api_keys");
}
http::Response delete_user_api_key(Ctx& ctx) {
    return tab_handler<delete_api_key_tab>(ctx, "api_keys", "/edit/api_keys");
}
http::Response show_user_emails(Ctx& ctx) {
    return tab_handler<show_emails_tab>(ctx, "emails", "/edit/emails");
}
http::Response add_user_email(Ctx& ctx) {
    return tab_handler<add_email_tab>(ctx, "emails", "/edit/emails");
}
http::Response delete_user_email(Ctx& ctx) {
    return tab_handler<delete_email_tab>(ctx, "emails", "/edit/emails");
}

// ---- global permissions -----------------------------------------------------------------

http::Response show_user_permissions(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "user permissions");
    auto grants = service::user_global_grants(ctx.app, account->user_id);
    if (!grants)
        return service_failure(ctx, grants.error(), "user permissions");
    std::vector<View> effective;
    for (const auto& name : grants->effective) {
        View v;
        v.set("name", name);
        effective.push_back(std::move(v));
    }
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url(user_path(*account, "/edit/permissions")))
        .set("create_repo_perm", grants->create_repository)
        .set("create_user_group_perm", grants->create_user_group)
        .set("fork_repo_perm", grants->fork)
        .set("admin", account->admin)
        .set("effective", std::move(effective));
    return edit_page(ctx, *account, "permissions", 200, render("user_tab_permissions", view));
}

http::Response update_user_permissions(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "user permissions");
    auto st = service::set_user_global_grants(
        ctx.app, account->user_id, form_checked(ctx, "create_repo_perm"),
        form_checked(ctx, "create_user_group_perm"), form_checked(ctx, "fork_repo_perm"));
    if (!st)
        return service_failure(ctx, st.error(), "user permissions");
    return ctx.redirect_flash(user_path(*account, "/edit/permissions"), "success",
                              "Updated permissions");
}

// ---- IP whitelist -----------------------------------------------------------------------

http::Response ips_tab(Ctx& ctx, const service::UserAccount& account, const std::string& new_ip,
                       const std::string& error) {
    auto ips = service::user_ips(ctx.app, account.user_id);
    if (!ips)
        return service_failure(ctx, ips.error(), "user IPs");
    std::vector<View> rows;
    for (const auto& ip : *ips) {
        View v;
        v.set("id", std::to_string(ip.id)).set("ip", ip.ip);
        rows.push_back(std::move(v));
    }
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url(user_path(account, "/edit/ips")))
        .set("global_url", ctx.url("/_admin/permissions/ips"))
        .set("ips", std::move(rows))
        .set("has_ips", !ips->empty())
        .set("new_ip", new_ip);
    if (!error.empty())
        view.set("error", error);
    return edit_page(ctx, account, "ips", 200, render("user_tab_ips", view));
}

http::Response show_user_ips(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "user IPs");
    return ips_tab(ctx, *account, {}, {});
}

http::Response add_user_ip(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "user IPs");
    const std::string ip = trimmed_form(ctx, "new_ip");
    auto st = service::add_user_ip(ctx.app, account->user_id, ip);
    if (st)
        return ctx.redirect_flash(user_path(*account, "/edit/ips"), "success",
                                  "Added IP address " + ip + " to the whitelist");
    if (st.error().code != Errc::invalid_argument && st.error().code != Errc::conflict)
        return service_failure(ctx, st.error(), "add IP");
    return ips_tab(ctx, *account, ip, st.error().message);
}

http::Response delete_user_ip(Ctx& ctx) {
    auto account = route_user(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "user IPs");
    const auto id = parse_positive_id(trimmed_form(ctx, "del_ip_id"));
    Status st = fail(Errc::not_found, "no such IP");
    if (id)
        st = service::delete_user_ip(ctx.app, account->user_id, *id);
    if (st)
        return ctx.redirect_flash(user_path(*account, "/edit/ips"), "success",
                                  "Removed IP address from the whitelist");
    if (st.error().code != Errc::not_found)
        return service_failure(ctx, st.error(), "delete IP");
    return ips_tab(ctx, *account, {}, "No such IP address on the list");
}

}  // namespace

std::vector<RouteDef> user_admin_routes() {
    using http::Method;
    const std::vector<Method> get{Method::get}, post{Method::post};
    return {
        {get, "/_admin/users", Need::admin, show_users},
        {post, "/_admin/users", Need::admin, create_user},
        {get, "/_admin/users/new", Need::admin, show_new_user},
        {post, "/_admin/users/new", Need::admin, create_user},
        {post, "/_admin/users/{id}", Need::admin, update_user},
        {post, "/_admin/users/{id}/delete", Need::admin, delete_user},
        {get, "/_admin/users/{id}/edit", Need::admin, show_edit_user},
        {get, "/_admin/users/{id}/edit/advanced", Need::admin, show_user_advanced},
        {get, "/_admin/users/{id}/edit/api_keys", Need::admin, show_user_api_keys},
        {post, "/_admin/users/{id}/edit/api_keys", Need::admin, add_user_api_key},
        {post, "/_admin/users/{id}/edit/api_keys/delete", Need::admin, delete_user_api_key},
        {get, "/_admin/users/{id}/edit/permissions", Need::admin, show_user_permissions},
        {post, "/_admin/users/{id}/edit/permissions", Need::admin, update_user_permissions},
        {get, "/_admin/users/{id}/edit/emails", Need::admin, show_user_emails},
        {post, "/_admin/users/{id}/edit/emails", Need::admin, add_user_email},
        {post, "/_admin/users/{id}/edit/emails/delete", Need::admin, delete_user_email},
        {get, "/_admin/users/{id}/edit/ips", Need::admin, show_user_ips},
        {post, "/_admin/users/{id}/edit/ips", Need::admin, add_user_ip},
        {post, "/_admin/users/{id}/edit/ips/delete", Need::admin, delete_user_ip},
    };
}

}  // namespace kallithea::web
