// The start page: repositories and repository groups the visitor can see.
#include "core/log.hpp"
#include "service/home.hpp"
#include "web/routes.hpp"

namespace kallithea::web {

http::Response show_home(Ctx& ctx) {
    auto overview = service::home_overview(ctx.app, ctx.session.user);
    if (!overview) {
        log::error("request {}: home: {} ({})", ctx.req.request_id, overview.error().message,
                   overview.error().detail);
        return http::Response::html(503, {});
    }
    std::vector<View> groups;
    for (const auto& group : overview->groups) {
        View item;
        item.set("name", group.name)
            .set("description", group.description)
            .set("url", ctx.url("/" + http::percent_encode(group.name, true)));
        groups.push_back(std::move(item));
    }
    std::vector<View> repos;
    for (const auto& repo : overview->repos) {
        View item;
        item.set("name", repo.name)
            .set("type", repo.type)
            .set("description", repo.description)
            .set("private", repo.is_private)
            .set("last_change", repo.last_change)
            .set("url", ctx.url("/" + http::percent_encode(repo.name, true)));
        repos.push_back(std::move(item));
    }
    View view;
    view.set("heading", "Repositories")
        .set("has_groups", !groups.empty())
        .set("has_repos", !repos.empty())
        .set("groups", std::move(groups))
        .set("repos", std::move(repos));
    return ctx.page(200, "home", "Repositories", std::move(view));
}

}  // namespace kallithea::web
