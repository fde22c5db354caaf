// /{repo}/refs-data: branches, closed branches, tags and bookmarks as Kallithea's select2 JSON
// ({"more": false, "results": [{"text": "Branch", "children": [{"id", "text", "type"}]}, ...]}).
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "service/files/files.hpp"
#include "web/files/file_page_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {

http::Response show_refs_data(Ctx& ctx) {
    auto refs = service::repository_refs(*ctx.repo);
    if (!refs)
        return file_pages::error_response(ctx, refs.error(), "refs-data");
    struct Group {
        const char* label;
        const char* type;
        vcs::RefKind kind;
        bool closed;
    };
    const Group groups[] = {{"Branch", "branch", vcs::RefKind::branch, false},
                            {"Closed Branches", "closed-branch", vcs::RefKind::branch, true},
                            {"Tag", "tag", vcs::RefKind::tag, false},
                            {"Bookmark", "book", vcs::RefKind::bookmark, false}};
    nlohmann::json results = nlohmann::json::array();
    for (const auto& group : groups) {
        nlohmann::json children = nlohmann::json::array();
        for (const auto& ref : *refs)
            if (ref.kind == group.kind && ref.closed == group.closed)
                children.push_back({{"id", ref.target}, {"text", ref.name}, {"type", group.type}});
        if (!children.empty())
            results.push_back({{"text", group.label}, {"children", std::move(children)}});
    }
    nlohmann::json out = {{"more", false}, {"results", std::move(results)}};
    return http::Response::json(200,
                                out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace kallithea::web
