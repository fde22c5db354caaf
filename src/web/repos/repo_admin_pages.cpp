// Repository administration pages: the grid (/_admin/repos), the new-repository form
// (/_admin/create_repository), creating (POST /_admin/repos) and deleting repositories.
#include <charconv>

#include "core/log.hpp"
#include "service/repos/repos.hpp"
#include "web/form_values.hpp"
#include "web/repo_groups/group_options.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

std::string repo_path_url(const Ctx& ctx, const std::string& name, std::string_view suffix = {}) {
    std::string out = ctx.url("/" + http::percent_encode(name, true));
    if (!suffix.empty())
        out += "/" + std::string(suffix);
    return out;
}

// What the form shows: the posted (or default) values and the messages of a failed attempt.
struct FormState {
    std::string repo_name, repo_description, repo_type, repo_landing_rev = "rev:tip";
    std::optional<int64_t> repo_group;
    bool repo_private = false, repo_enable_downloads = false, repo_copy_permissions = false;
    Error error;  // of the failed attempt
};

View form_view(const Ctx& ctx, const service::NewRepoForm& form, const FormState& state) {
    View view;
    std::vector<View> types;
    for (const auto& type : form.types) {
        View option;
        option.set("value", type).set("label", type == "git" ? "Git" : "Mercurial");
        option.set("selected", type == state.repo_type);
        types.push_back(std::move(option));
    }
    std::vector<View> landing;
    View tip;
    tip.set("value", "rev:tip").set("label", "latest tip").set("selected", true);
    if (state.repo_landing_rev != "rev:tip") {
        tip.set("selected", false);
        View other;
        other.set("value", state.repo_landing_rev)
            .set("label", state.repo_landing_rev)
            .set("selected", true);
        landing.push_back(std::move(other));
    }
    landing.insert(landing.begin(), std::move(tip));
    view.set("csrf_token", ctx.session.csrf_token)
        .set("repo_name", state.repo_name)
        .set("repo_description", state.repo_description)
        .set("top_level", form.top_level_allowed)
        .set("top_selected", !state.repo_group.has_value())
        .set("groups", group_options(form.groups, state.repo_group))
        .set("types", std::move(types))
        .set("landing_revs", std::move(landing))
        .set("repo_private", state.repo_private)
        .set("repo_enable_downloads", state.repo_enable_downloads)
        .set("repo_copy_permissions", state.repo_copy_permissions);
    set_form_error(view, state.error, {"repo_name", "repo_group", "repo_type", "repo_landing_rev"});
    return view;
}

}  // namespace

http::Response show_repos_admin(Ctx& ctx) {
    auto repos = service::administered_repositories(ctx.app, ctx.session.user);
    if (!repos)
        return service_failure(ctx, repos.error(), "repository grid");
    std::vector<View> rows;
    for (const auto& repo : *repos) {
        View row;
        row.set("name", repo.name)
            .set("type", repo.type)
            .set("description", repo.description)
            .set("owner", repo.owner)
            .set("private", repo.is_private)
            .set("state", repo.state)
            .set("pending", repo.state != "repo_state_created")
            .set("last_change", repo.last_change)
            .set("url", repo_path_url(ctx, repo.name))
            .set("delete_url",
                 ctx.url("/_admin/repos/" + http::percent_encode(repo.name, true) + "/delete"));
        rows.push_back(std::move(row));
    }
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("create_url", ctx.url("/_admin/create_repository"))
        .set("has_repos", !rows.empty())
        .set("repos", std::move(rows));
    // The delete handler redirects here with the outcome in the query.
    if (auto deleted = ctx.req.query_param("deleted")) {
        View flash;
        flash.set("kind", "success").set("message", "Deleted repository " + *deleted);
        view.set("flash", std::move(flash));
    } else if (auto kept = ctx.req.query_param("has_forks")) {
        View flash;
        flash.set("kind", "error")
            .set("message", "Cannot delete repository " + *kept + " which still has forks");
        view.set("flash", std::move(flash));
    }
    return ctx.page(200, "repos_admin", "Repositories administration", std::move(view));
}

http::Response show_new_repo_form(Ctx& ctx) {
    auto parent = parse_group_choice(ctx.req.query_param("parent_group").value_or(""));
    if (!parent)
        return http::Response::html(404, {});
    auto form = service::new_repository_form(ctx.app, ctx.session.user, *parent);
    if (!form)
        return service_failure(ctx, form.error(), "new repository form");
    FormState state;
    state.repo_group = form->parent_group;
    if (!form->top_level_allowed && !state.repo_group && !form->groups.empty())
        state.repo_group = form->groups.front().group_id;
    state.repo_type = form->default_type;
    state.repo_private = form->default_private;
    state.repo_enable_downloads = form->default_downloads;
    return ctx.page(200, "repo_new", "Add repository", form_view(ctx, *form, state));
}

http::Response create_repo(Ctx& ctx) {
    FormState state;
    state.repo_name = trimmed(ctx.form_value("repo_name").value_or(""));
    state.repo_description = ctx.form_value("repo_description").value_or("");
    state.repo_type = ctx.form_value("repo_type").value_or("");
    state.repo_landing_rev = ctx.form_value("repo_landing_rev").value_or("rev:tip");
    state.repo_private = truthy(ctx.form_value("repo_private"));
    state.repo_copy_permissions = truthy(ctx.form_value("repo_copy_permissions"));
    const auto downloads = ctx.form_value("repo_enable_downloads");
    const auto group = parse_group_choice(ctx.form_value("repo_group").value_or(""));

    service::NewRepo repo;
    repo.name = state.repo_name;
    repo.description = state.repo_description;
    repo.type = state.repo_type;
    repo.landing_rev = state.repo_landing_rev;
    repo.is_private = state.repo_private;
    repo.copy_group_permissions = state.repo_copy_permissions;
    if (downloads)  // absent: the repository defaults decide (as Kallithea's form)
        repo.enable_downloads = truthy(downloads);
    state.repo_enable_downloads = truthy(downloads);
    Result<service::CreatedRepo> created =
        fail_field(Errc::invalid_argument, "repo_group", "Invalid repository group");
    if (!ctx.form_value("clone_uri").value_or("").empty()) {
        created = fail(Errc::invalid_argument,
                       "Creating a repository from a remote URL is not supported yet");
    } else if (group) {
        state.repo_group = *group;
        repo.group_id = *group;
        created = service::create_repository(ctx.app, ctx.session.user, repo, ctx.client_ip);
    }
    if (created)
        return http::Response::redirect(repo_path_url(ctx, created->name, "summary"));

    const Error& error = created.error();
    const bool user_error = error.code == Errc::invalid_argument || error.code == Errc::conflict ||
                            (error.code == Errc::unavailable && error.field == "repo_type");
    if (!user_error)
        return service_failure(ctx, error, "create repository");
    auto form = service::new_repository_form(ctx.app, ctx.session.user, std::nullopt);
    if (!form)
        return service_failure(ctx, form.error(), "new repository form");
    state.error = error;
    const int status = error.code == Errc::conflict ? 409 : 400;
    return ctx.page(status, "repo_new", "Add repository", form_view(ctx, *form, state));
}

http::Response delete_repo(Ctx& ctx) {
    const std::string forks = ctx.form_value("forks").value_or("");
    const auto handling =
        forks == "detach_forks" ? service::ForkHandling::detach : service::ForkHandling::refuse;
    const std::string name = ctx.repo->name;
    auto deleted =
        service::delete_repository(ctx.app, ctx.session.user, name, handling, ctx.client_ip);
    if (!deleted && deleted.error().code == Errc::conflict)
        return http::Response::redirect(ctx.url("/_admin/repos?has_forks=") +
                                        http::percent_encode(name));
    if (!deleted)
        return service_failure(ctx, deleted.error(), "delete repository");
    return http::Response::redirect(ctx.url("/_admin/repos?deleted=") +
                                    http::percent_encode(deleted->name));
}

}  // namespace kallithea::web
