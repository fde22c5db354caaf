// "My account" (/_admin/my_account...): the logged-in user's profile, password, repositories,
// watched repositories, permissions, extra emails and API keys.
#include "service/account/my_account.hpp"
#include "service/users/user_admin.hpp"
#include "web/form_values.hpp"
#include "web/routes.hpp"
#include "web/tab_bar.hpp"
#include "web/users/user_account_tabs.hpp"

namespace kallithea::web {
namespace {

// The page frame: vertical tabs and the tab's body.
http::Response account_page(Ctx& ctx, std::string_view tab, int status, const std::string& body) {
    static constexpr TabLink kTabs[] = {
        {"profile", "Profile", ""},
        {"password", "Password", "/password"},
        {"repos", "Repositories", "/repos"},
        {"watched", "Watched", "/watched"},
        {"perms", "Permissions", "/perms"},
        {"emails", "Emails", "/emails"},
        {"api_keys", "API keys", "/api_keys"},
    };
    View view;
    view.set("username", ctx.session.user.username)
        .set("tabs", tab_bar(ctx, "/_admin/my_account", kTabs, tab))
        .set("body", body);
    return ctx.page(status, "my_account", "My account", std::move(view));
}

// The logged-in user's account row; the gate guarantees a login.
Result<service::UserAccount> me(Ctx& ctx) {
    if (!ctx.session.user.authenticated())
        return fail(Errc::unauthorized, "log in first");
    return service::get_user(ctx.app, *ctx.session.user.user_id);
}

http::Response profile_page(Ctx& ctx, const service::UserAccount& account,
                            const service::MyProfileChange& values, const Error& error) {
    const auto managed = service::managed_fields(account);
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url("/_admin/my_account"))
        .set("username", account.username)
        .set("firstname", values.firstname)
        .set("lastname", values.lastname)
        .set("email", values.email)
        .set("extern_type", account.extern_type)
        .set("managed_names", managed.names)
        .set("managed_email", managed.email)
        .set("managed_any", managed.names || managed.email);
    set_form_error(view, error, {"firstname", "lastname", "email"});
    return account_page(ctx, "profile", 200, render("my_account_profile", view));
}

http::Response show_profile(Ctx& ctx) {
    auto account = me(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "my account");
    return profile_page(ctx, *account, {account->firstname, account->lastname, account->email}, {});
}

http::Response update_profile(Ctx& ctx) {
    auto account = me(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "my account");
    service::MyProfileChange change{trimmed_form(ctx, "firstname"), trimmed_form(ctx, "lastname"),
                                    trimmed_form(ctx, "email")};
    auto st = service::update_my_profile(ctx.app, ctx.session.user, change);
    if (st)
        return ctx.redirect_flash("/_admin/my_account", "success", "Your account was updated");
    if (!is_user_error(st.error()))
        return service_failure(ctx, st.error(), "update my account");
    return profile_page(ctx, *account, change, st.error());
}

http::Response password_page(Ctx& ctx, const service::UserAccount& account, const Error& error) {
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url("/_admin/my_account/password"))
        .set("managed", service::managed_fields(account).password)
        .set("extern_type", account.extern_type);
    set_form_error(view, error, {"current_password", "new_password", "password_confirmation"});
    return account_page(ctx, "password", 200, render("my_account_password", view));
}

http::Response show_password(Ctx& ctx) {
    auto account = me(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "my password");
    return password_page(ctx, *account, {});
}

http::Response change_password(Ctx& ctx) {
    auto account = me(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "my password");
    auto st = service::change_my_password(ctx.app, ctx.session,
                                          ctx.form_value("current_password").value_or(""),
                                          ctx.form_value("new_password").value_or(""),
                                          ctx.form_value("new_password_confirmation").value_or(""));
    if (st)
        return ctx.redirect_flash("/_admin/my_account/password", "success",
                                  "Successfully updated password");
    if (st.error().code != Errc::invalid_argument)
        return service_failure(ctx, st.error(), "change my password");
    return password_page(ctx, *account, st.error());
}

http::Response repo_list_page(Ctx& ctx, std::string_view tab, std::string_view heading,
                              const Result<std::vector<service::ObjectRef>>& repos) {
    if (!repos)
        return service_failure(ctx, repos.error(), "my repositories");
    std::vector<View> rows;
    for (const auto& r : *repos) {
        View v;
        v.set("name", r.name).set("url", ctx.url("/" + http::percent_encode(r.name, true)));
        rows.push_back(std::move(v));
    }
    View view;
    view.set("heading", std::string(heading))
        .set("list_id", std::string(tab))
        .set("repos", std::move(rows))
        .set("has_repos", !repos->empty());
    return account_page(ctx, tab, 200, render("my_account_repos", view));
}

http::Response show_repos(Ctx& ctx) {
    return repo_list_page(ctx, "repos", "My repositories",
                          service::my_repositories(ctx.app, ctx.session.user));
}

http::Response show_watched(Ctx& ctx) {
    return repo_list_page(ctx, "watched", "Watched repositories",
                          service::watched_repositories(ctx.app, ctx.session.user));
}

http::Response show_perms(Ctx& ctx) {
    auto perms = service::my_permissions(ctx.app, ctx.session.user);
    if (!perms)
        return service_failure(ctx, perms.error(), "my permissions");
    std::vector<View> global, repos;
    for (const auto& name : perms->global) {
        View v;
        v.set("name", name);
        global.push_back(std::move(v));
    }
    for (const auto& r : perms->repositories) {
        View v;
        v.set("name", r.name)
            .set("url", ctx.url("/" + http::percent_encode(r.name, true)))
            .set("level", perm::level_name(perm::Kind::repository, r.level));
        repos.push_back(std::move(v));
    }
    View view;
    view.set("global", std::move(global))
        .set("repos", std::move(repos))
        .set("has_repos", !perms->repositories.empty());
    return account_page(ctx, "perms", 200, render("my_account_perms", view));
}

// API keys and emails: the shared tabs, on oneself.
template <http::Response (*Handler)(Ctx&, const AccountTab&, const TabFrame&)>
http::Response self_tab(Ctx& ctx, std::string tab, std::string path) {
    auto account = me(ctx);
    if (!account)
        return service_failure(ctx, account.error(), "my account tab");
    AccountTab target{account->user_id, account->api_key, std::move(path)};
    return Handler(ctx, target, [&ctx, tab](int status, const std::string& body) {
        return account_page(ctx, tab, status, body);
    });
}

http::Response show_api_keys(Ctx& ctx) {
    return self_tab<show_api_keys_tab>(ctx, "api_keys", "/_admin/my_account/api_keys");
}
http::Response add_api_key(Ctx& ctx) {
    return self_tab<add_api_key_tab>(ctx, "api_keys", "/_admin/my_account/api_keys");
}
http::Response delete_api_key(Ctx& ctx) {
    return self_tab<delete_api_key_tab>(ctx, "api_keys", "/_admin/my_account/api_keys");
}
http::Response show_emails(Ctx& ctx) {
    return self_tab<show_emails_tab>(ctx, "emails", "/_admin/my_account/emails");
}
http::Response add_email(Ctx& ctx) {
    return self_tab<add_email_tab>(ctx, "emails", "/_admin/my_account/emails");
}
http::Response delete_email(Ctx& ctx) {
    return self_tab<delete_email_tab>(ctx, "emails", "/_admin/my_account/emails");
}

}  // namespace

std::vector<RouteDef> my_account_routes() {
    using http::Method;
    const std::vector<Method> get{Method::get}, post{Method::post};
    return {
        {get, "/_admin/my_account", Need::login, show_profile},
        {post, "/_admin/my_account", Need::login, update_profile},
        {get, "/_admin/my_account/password", Need::login, show_password},
        {post, "/_admin/my_account/password", Need::login, change_password},
        {get, "/_admin/my_account/repos", Need::login, show_repos},
        {get, "/_admin/my_account/watched", Need::login, show_watched},
        {get, "/_admin/my_account/perms", Need::login, show_perms},
        {get, "/_admin/my_account/emails", Need::login, show_emails},
        {post, "/_admin/my_account/emails", Need::login, add_email},
        {post, "/_admin/my_account/emails/delete", Need::login, delete_email},
        {get, "/_admin/my_account/api_keys", Need::login, show_api_keys},
        {post, "/_admin/my_account/api_keys", Need::login, add_api_key},
        {post, "/_admin/my_account/api_keys/delete", Need::login, delete_api_key},
    };
}

}  // namespace kallithea::web
