// The route table of the file pages of a repository: the file browser, raw files, annotate,
// file history, archives and the refs data of the revision switcher.
#include "web/routes.hpp"

namespace kallithea::web {

std::vector<RouteDef> file_routes() {
    using M = http::Method;
    const std::vector<M> get{M::get, M::head};
    return {
        {get, "/{repo:path}/files/{rev}", Need::repo_read, show_files, true},
        {get, "/{repo:path}/files/{rev}/{path:rest}", Need::repo_read, show_files, true},
        {get, "/{repo:path}/raw/{rev}/{path:rest}", Need::repo_read, show_raw},
        {get, "/{repo:path}/rawfile/{rev}/{path:rest}", Need::repo_read, show_rawfile},
        {get, "/{repo:path}/annotate/{rev}/{path:rest}", Need::repo_read, show_annotate, true},
        {get, "/{repo:path}/history/{rev}/{path:rest}", Need::repo_read, show_file_history, true},
        {get, "/{repo:path}/archive/{fname}", Need::repo_read, download_archive},
        {get, "/{repo:path}/refs-data", Need::repo_read, show_refs_data},
    };
}

}  // namespace kallithea::web
