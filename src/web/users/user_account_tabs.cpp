// Implementation of web/users/user_account_tabs.hpp.
#include "web/users/user_account_tabs.hpp"

#include <charconv>

#include "core/log.hpp"
#include "core/time.hpp"
#include "service/users/user_admin.hpp"

namespace kallithea::web {
namespace {

std::string expiry_text(const service::ApiKeyInfo& key) {
    if (key.expires < 0)
        return "never";
    const std::string when = timefmt::CivilTime::from_unix(key.expires).display_minutes() + " UTC";
    return (key.expired ? "expired " : "") + when;
}

struct ApiKeyForm {
    std::string description, lifetime = "-1", error;
};

http::Response render_api_keys(Ctx& ctx, const AccountTab& tab, const TabFrame& frame,
                               const ApiKeyForm& form) {
    const bool show_expired = ctx.req.query_param("show_expired").has_value();
    auto keys = service::api_keys(ctx.app, tab.user_id, show_expired);
    if (!keys)
        return service_failure(ctx, keys.error(), "API keys");
    std::vector<View> rows;
    for (const auto& key : *keys) {
        View row;
        row.set("api_key", key.api_key)
            .set("description", key.description)
            .set("expires", expiry_text(key))
            .set("expired", key.expired)
            .set("created_on", key.created_on);
        rows.push_back(std::move(row));
    }
    std::vector<View> lifetimes;
    for (auto [value, label] :
         {std::pair{"-1", "forever"}, std::pair{"5", "5 minutes"}, std::pair{"60", "1 hour"},
          std::pair{"1440", "1 day"}, std::pair{"43200", "1 month"}}) {
        View option;
        option.set("value", value).set("label", label).set("selected", form.lifetime == value);
        lifetimes.push_back(std::move(option));
    }
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url(tab.url))
        .set("main_api_key", tab.main_api_key)
        .set("keys", std::move(rows))
        .set("has_keys", !keys->empty())
        .set("show_expired", show_expired)
        .set("description", form.description)
        .set("lifetimes", std::move(lifetimes));
    if (!form.error.empty())
        view.set("error", form.error);
    return frame(200, render("user_tab_api_keys", view));
}

struct EmailForm {
    std::string new_email, error;
};

http::Response render_emails(Ctx& ctx, const AccountTab& tab, const TabFrame& frame,
                             const EmailForm& form) {
    auto emails = service::extra_emails(ctx.app, tab.user_id);
    if (!emails)
        return service_failure(ctx, emails.error(), "extra emails");
    std::vector<View> rows;
    for (const auto& e : *emails) {
        View row;
        row.set("id", std::to_string(e.id)).set("email", e.email);
        rows.push_back(std::move(row));
    }
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("action", ctx.url(tab.url))
        .set("emails", std::move(rows))
        .set("has_emails", !emails->empty())
        .set("new_email", form.new_email);
    if (!form.error.empty())
        view.set("error", form.error);
    return frame(200, render("user_tab_emails", view));
}

}  // namespace

http::Response show_api_keys_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame) {
    return render_api_keys(ctx, tab, frame, {});
}

http::Response add_api_key_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame) {
    ApiKeyForm form;
    form.description = trimmed_form(ctx, "description");
    form.lifetime = trimmed_form(ctx, "lifetime");
    int64_t minutes = 0;
    const auto [end, ec] =
        std::from_chars(form.lifetime.data(), form.lifetime.data() + form.lifetime.size(), minutes);
    Status added = fail(Errc::invalid_argument, "Choose one of the offered lifetimes");
    if (ec == std::errc() && end == form.lifetime.data() + form.lifetime.size())
        added = service::add_api_key(ctx.app, tab.user_id, form.description, minutes);
    if (added)
        return ctx.redirect_flash(tab.url, "success", "API key successfully created");
    if (!is_user_error(added.error()))
        return service_failure(ctx, added.error(), "add API key");
    form.error = added.error().message;
    return render_api_keys(ctx, tab, frame, form);
}

http::Response delete_api_key_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame) {
    if (form_checked(ctx, "del_api_key_builtin")) {
        if (auto st = service::reset_main_api_key(ctx.app, tab.user_id); !st)
            return service_failure(ctx, st.error(), "reset API key");
        return ctx.redirect_flash(tab.url, "success", "API key successfully reset");
    }
    const std::string key = trimmed_form(ctx, "del_api_key");
    auto st = service::delete_api_key(ctx.app, tab.user_id, key);
    if (st)
        return ctx.redirect_flash(tab.url, "success", "API key successfully deleted");
    if (st.error().code != Errc::not_found)
        return service_failure(ctx, st.error(), "delete API key");
    ApiKeyForm form;
    form.error = "No such API key";
    return render_api_keys(ctx, tab, frame, form);
}

http::Response show_emails_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame) {
    return render_emails(ctx, tab, frame, {});
}

http::Response add_email_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame) {
    EmailForm form;
    form.new_email = trimmed_form(ctx, "new_email");
    auto st = service::add_extra_email(ctx.app, tab.user_id, form.new_email);
    if (st)
        return ctx.redirect_flash(tab.url, "success", "Added email " + form.new_email);
    if (!is_user_error(st.error()))
        return service_failure(ctx, st.error(), "add email");
    form.error = st.error().message;
    return render_emails(ctx, tab, frame, form);
}

http::Response delete_email_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame) {
    const std::string text = trimmed_form(ctx, "del_email_id");
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    Status st = fail(Errc::not_found, "no such email");
    if (ec == std::errc() && end == text.data() + text.size())
        st = service::delete_extra_email(ctx.app, tab.user_id, id);
    if (st)
        return ctx.redirect_flash(tab.url, "success", "Removed email address");
    if (st.error().code != Errc::not_found)
        return service_failure(ctx, st.error(), "delete email");
    EmailForm form;
    form.error = "No such email address";
    return render_emails(ctx, tab, frame, form);
}

}  // namespace kallithea::web
