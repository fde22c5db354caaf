// The route table of the history pages of a repository: summary, changelog, changesets, compare
// and feeds. Handlers live in the other files of this folder.
#include "web/routes.hpp"

namespace kallithea::web {

std::vector<RouteDef> history_routes() {
    using M = http::Method;
    const std::vector<M> get{M::get, M::head};
    // {repo:path} takes the shortest existing repository name.
    return {
        {get, "/{repo:path}/summary", Need::repo_read, show_summary, true},
        {get, "/{repo:path}/changelog", Need::repo_read, show_changelog, true},
        {get, "/{repo:path}/changelog/{rev}/{path:rest}", Need::repo_read, show_changelog, true},
        {get, "/{repo:path}/changelog_details/{rev}", Need::repo_read, show_changelog_details,
         true},
        {get, "/{repo:path}/changeset/{rev}", Need::repo_read, show_changeset, true},
        {get, "/{repo:path}/changeset-diff/{rev}", Need::repo_read, show_changeset_diff},
        {get, "/{repo:path}/raw-changeset/{rev}", Need::repo_read, show_changeset_diff},
        {get, "/{repo:path}/changeset-patch/{rev}", Need::repo_read, show_changeset_patch},
        {get, "/{repo:path}/changeset-download/{rev}", Need::repo_read, download_changeset},
        {get, "/{repo:path}/changeset_children/{rev}", Need::repo_read, show_changeset_children},
        {get, "/{repo:path}/changeset_parents/{rev}", Need::repo_read, show_changeset_parents},
        {get, "/{repo:path}/compare", Need::repo_read, show_compare, true},
        {get, "/{repo:path}/compare/{spec:rest}", Need::repo_read, show_compare, true},
        {get, "/{repo:path}/feed/rss", Need::repo_read, show_feed_rss, true},
        {get, "/{repo:path}/feed/atom", Need::repo_read, show_feed_atom, true},
    };
}

}  // namespace kallithea::web
