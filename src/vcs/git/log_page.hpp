// Internal to src/vcs/git/: one page of a log from any commit walk (revwalk, commit-graph or
// path history), so that skip, limit and the visitor's stop mean the same in every log.
#pragma once

#include "vcs/git/git_repository_impl.hpp"

namespace kallithea::vcs::git {

// Drives `walk` (anything with `Result<bool> next(git_oid&)`, false at the end): skips the first
// query.skip commits, then hands each commit's ChangesetInfo to `visit` until the walk ends,
// `visit` returns false or query.limit commits (0: no limit) went out. A walk or lookup error
// ends it with that error.
template <class Walk>
Status visit_log_page(GitRepository& repo, const LogQuery& query, Walk& walk,
                      const LogVisitor& visit) {
    git_oid oid;
    size_t seen = 0, emitted = 0;
    while (true) {
        auto more = walk.next(oid);
        RETURN_IF_ERROR(more);
        if (!*more) {
            return ok();
        }
        if (seen++ < query.skip) {
            continue;
        }
        auto info = repo.info_of(oid);
        RETURN_IF_ERROR(info);
        if (!visit(std::move(*info)) || (query.limit > 0 && ++emitted >= query.limit)) {
            return ok();
        }
    }
}

}  // namespace kallithea::vcs::git
