// libgit2 setup and error mapping.
#include "vcs/git/libgit2_handles.hpp"

#include <mutex>

namespace kallithea::vcs::git {

void ensure_libgit2() {
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
        // Keep whole commits and directory trees cached: history walks revisit them.
        git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, size_t{64 * 1024});
        git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, size_t{1024 * 1024});
        // Memory: repositories stay open between requests (handle_pool.hpp), so bound what they
        // keep: decoded objects (all repositories together), and the pack windows mapped (their
        // pages count in the server's resident size).
        git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, ssize_t{16} * 1024 * 1024);
        git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, size_t{8} * 1024 * 1024);
        git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, size_t{32} * 1024 * 1024);
        // Open pack files (descriptors) for all repositories; least recently used closed first.
        git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, size_t{128});
        for (int level : {GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
                          GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL}) {
            git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
        }
    });
}

Error libgit2_error(int rc, std::string message) {
    const git_error* last = git_error_last();
    std::string detail =
        last && last->message ? last->message : "libgit2 error " + std::to_string(rc);
    git_error_clear();
    return Error{Errc::io, std::move(message), std::move(detail)};
}

std::string oid_hex(const git_oid& oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return std::string(buf, GIT_OID_HEXSZ);
}

}  // namespace kallithea::vcs::git
