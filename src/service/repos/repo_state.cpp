// Implementation of service/repos/repo_state.hpp.
#include "service/repos/repo_state.hpp"

#include <sys/stat.h>
#include <time.h>

#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

namespace kallithea::service {
namespace {

std::mutex generations_mutex;
std::unordered_map<int64_t, uint64_t> generations;

uint64_t generation(int64_t repo_id) {
    std::lock_guard lock(generations_mutex);
    const auto it = generations.find(repo_id);
    return it == generations.end() ? 0 : it->second;
}

// mtime (ns) and size of a path ("-" when missing). Sets `racy` when the path changed within the
// last two seconds: file times have a coarse clock, so a change in the same tick as the previous
// one would leave the stamp as it was (the "racy git" problem); such states are not cached.
std::string stamp(const std::string& path, bool& racy) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return "-";
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec - st.st_mtim.tv_sec < 2)
        racy = true;
    return fmt::format("{}.{}:{}", st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_size);
}

}  // namespace

void bump_repo_generation(int64_t repo_id) {
    std::lock_guard lock(generations_mutex);
    ++generations[repo_id];
}

std::string repo_state_token(const RepoInfo& repo) {
    // Bare repositories keep refs at the top; non-bare ones under .git.
    std::string git_dir = repo.path;
    struct stat st {};
    if (::stat((repo.path + "/.git").c_str(), &st) == 0)
        git_dir += "/.git";
    std::string token =
        fmt::format("{}|{}|{}|{}|{}|{}{}|{}", repo.repo_id, generation(repo.repo_id), repo.name,
                    repo.landing_rev, repo.description, repo.downloads ? 1 : 0,
                    repo.is_private ? 1 : 0, repo.changeset_cache.value_or(""));
    bool racy = false;
    for (const char* part : {"/HEAD", "/packed-refs", "/refs/heads", "/refs/tags"})
        token += "|" + stamp(git_dir + part, racy);
    return racy ? std::string() : token;
}

}  // namespace kallithea::service
