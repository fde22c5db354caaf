// The repository summary page: description, clone URLs, latest changesets, README, downloads.
#include "service/history/history.hpp"
#include "web/history/history_views.hpp"
#include "web/markup/markup.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

std::vector<View> download_views(const Ctx& ctx, const service::RepoSummary& summary) {
    std::vector<std::string> revs = {"tip"};
    for (const auto& name : summary.branch_names) {
        if (name.find('/') == std::string::npos && revs.size() < 11)
            revs.push_back(name);
    }
    std::vector<View> out;
    for (const auto& rev : revs) {
        std::vector<View> formats;
        for (const char* ext : {".zip", ".tar.gz", ".tar.bz2"}) {
            View f;
            f.set("ext", ext)
                .set("url", ctx.repo_url("archive/" + http::percent_encode(rev) + ext));
            formats.push_back(std::move(f));
        }
        View v;
        v.set("rev", rev).set("formats", std::move(formats));
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace

http::Response show_summary(Ctx& ctx) {
    const service::RepoInfo& repo = *ctx.repo;
    auto summary = service::repository_summary(ctx.app, repo, request_origin(ctx));
    if (!summary)
        return history_error(ctx, summary.error());

    std::vector<View> latest;
    for (const auto& cs : summary->latest)
        latest.push_back(changeset_view(ctx, cs));
    View view;
    if (!repo.description.empty())
        view.set("description", repo.description);
    view.set("clone_url", summary->clone.by_name)
        .set("clone_url_id", summary->clone.by_id)
        .set("clone_url_ssh", summary->clone.ssh)
        .set("has_ssh", !summary->clone.ssh.empty())
        .set("empty", summary->empty)
        .set("default_branch",
             summary->default_branch.empty() ? std::string("master") : summary->default_branch)
        .set("latest", std::move(latest))
        .set("branch_count", std::to_string(summary->branch_count))
        .set("tag_count", std::to_string(summary->tag_count))
        .set("changelog_url", ctx.repo_url("changelog"))
        .set("rss_url", ctx.repo_url("feed/rss"))
        .set("atom_url", ctx.repo_url("feed/atom"))
        .set("downloads", repo.downloads && !summary->empty);
    if (repo.downloads && !summary->empty)
        view.set("download_list", download_views(ctx, *summary));
    if (summary->readme) {
        View readme;
        readme.set("path", summary->readme->path)
            .set("url", ctx.repo_url("files/" + http::percent_encode(repo.landing_rev) + "/" +
                                     http::percent_encode(summary->readme->path, true)))
            .set("html", *markup::render_readme(*summary->readme))
            .set("truncated", summary->readme->truncated);
        view.set("readme", std::move(readme));
    }
    return ctx.repo_page(200, "summary", "Summary", "summary", std::move(view));
}

}  // namespace kallithea::web
