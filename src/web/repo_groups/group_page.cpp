// A repository group's page (/{group}): its subgroups and repositories.
#include "core/log.hpp"
#include "service/home.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

std::string path_url(const Ctx& ctx, const std::string& name) {
    return ctx.url("/" + http::percent_encode(name, true));
}

std::string short_name(const std::string& name) {
    const auto slash = name.rfind('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

}  // namespace

http::Response show_group(Ctx& ctx) {
    auto group = service::group_overview(ctx.app, ctx.session.user, ctx.params["group"]);
    if (!group) {
        if (group.error().code == Errc::not_found)
            return http::Response::html(404, {});
        log::error("request {}: group page: {} ({})", ctx.req.request_id, group.error().message,
                   group.error().detail);
        return http::Response::html(503, {});
    }
    std::vector<View> crumbs;
    for (const auto& parent : group->parents) {
        View crumb;
        crumb.set("name", short_name(parent.name)).set("url", path_url(ctx, parent.name));
        crumbs.push_back(std::move(crumb));
    }
    std::vector<View> groups;
    for (const auto& sub : group->groups) {
        View item;
        item.set("name", sub.name)
            .set("short_name", short_name(sub.name))
            .set("description", sub.description)
            .set("url", path_url(ctx, sub.name));
        groups.push_back(std::move(item));
    }
    std::vector<View> repos;
    for (const auto& repo : group->repos) {
        View item;
        item.set("name", repo.name)
            .set("short_name", short_name(repo.name))
            .set("type", repo.type)
            .set("description", repo.description)
            .set("private", repo.is_private)
            .set("last_change", repo.last_change)
            .set("url", path_url(ctx, repo.name));
        repos.push_back(std::move(item));
    }
    View view;
    view.set("name", group->name)
        .set("short_name", short_name(group->name))
        .set("description", group->description)
        .set("home_url", ctx.url("/"))
        .set("crumbs", std::move(crumbs))
        .set("has_groups", !groups.empty())
        .set("has_repos", !repos.empty())
        .set("groups", std::move(groups))
        .set("repos", std::move(repos));
    if (group->can_create_repository)
        view.set("create_url", ctx.url("/_admin/create_repository?parent_group=" +
                                       std::to_string(group->group_id)));
    return ctx.page(200, "group", group->name, std::move(view));
}

}  // namespace kallithea::web
