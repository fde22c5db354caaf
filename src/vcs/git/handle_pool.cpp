// Pools of open libgit2 repositories and shared commit-graphs.
#include "vcs/git/handle_pool.hpp"

#include <sys/stat.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace kallithea::vcs::git {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxIdleHandles = 16;
constexpr auto kMaxIdleTime = std::chrono::seconds(120);
constexpr auto kMaxAge = std::chrono::minutes(10);

// Identity of a file or directory as stat() sees it; all zero when it does not exist.
struct FileStamp {
    dev_t dev = 0;
    ino_t ino = 0;
    int64_t mtime_ns = 0;
    off_t size = 0;
    bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return {};
    }
    return {st.st_dev, st.st_ino,
            static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, st.st_size};
}

HandleOrigin::File file_of(const std::string& path) {
    const FileStamp st = stamp_of(path);
    return {static_cast<uint64_t>(st.dev), static_cast<uint64_t>(st.ino), st.mtime_ns};
}

struct IdleHandle {
    std::string path;
    std::string git_dir;
    HandleOrigin origin;
    Clock::time_point since;
    RepoHandle repo;
};

struct HandlePool {
    std::mutex mutex;
    std::deque<IdleHandle> idle;  // most recently given back first
};

HandlePool& handle_pool() {
    static HandlePool pool;
    return pool;
}

bool too_old(const IdleHandle& entry, Clock::time_point now) {
    return now - entry.since > kMaxIdleTime || now - entry.origin.opened > kMaxAge;
}

}  // namespace

HandleOrigin HandleOrigin::of(const std::string& git_dir) {
    return {file_of(git_dir), file_of(git_dir + "/objects/pack"), Clock::now()};
}

RepoHandle take_pooled_handle(const std::string& path, HandleOrigin& origin) {
    HandlePool& pool = handle_pool();
    IdleHandle found;
    std::deque<IdleHandle> dropped;  // freed outside the lock
    {
        std::lock_guard lock(pool.mutex);
        const auto now = Clock::now();
        for (auto it = pool.idle.begin(); it != pool.idle.end();) {
            if (too_old(*it, now)) {
                dropped.push_back(std::move(*it));
                it = pool.idle.erase(it);
            } else if (!found.repo && it->path == path) {
                found = std::move(*it);
                it = pool.idle.erase(it);
            } else {
                ++it;
            }
        }
    }
    if (!found.repo || !HandleOrigin::of(found.git_dir).same_repository(found.origin)) {
        return nullptr;  // none idle, or the repository changed on disk: freed here
    }
    origin = found.origin;
    return std::move(found.repo);
}

void give_pooled_handle(const std::string& path, const std::string& git_dir, RepoHandle repo,
                        const HandleOrigin& origin) {
    if (!repo) {
        return;
    }
    IdleHandle entry{path, git_dir, origin, Clock::now(), std::move(repo)};
    if (too_old(entry, entry.since) || !HandleOrigin::of(git_dir).same_repository(origin)) {
        return;  // changed (or gone) while in use: what the handle loaded may be stale
    }
    HandlePool& pool = handle_pool();
    std::deque<IdleHandle> dropped;  // freed outside the lock
    std::lock_guard lock(pool.mutex);
    pool.idle.push_front(std::move(entry));
    while (pool.idle.size() > kMaxIdleHandles) {
        dropped.push_back(std::move(pool.idle.back()));
        pool.idle.pop_back();
    }
}

namespace {

// The files a commit-graph is read from (a single file, or a chain's list of layers).
struct GraphStamp {
    FileStamp single;
    FileStamp chain;
    bool operator==(const GraphStamp&) const = default;
};

GraphStamp graph_stamp(const std::string& git_dir) {
    return {stamp_of(git_dir + "/objects/info/commit-graph"),
            stamp_of(git_dir + "/objects/info/commit-graphs/commit-graph-chain")};
}

struct GraphCache {
    std::mutex mutex;
    std::unordered_map<std::string, std::pair<GraphStamp, std::shared_ptr<const CommitGraph>>>
        entries;
};

GraphCache& graph_cache() {
    static GraphCache cache;
    return cache;
}

}  // namespace

std::shared_ptr<const CommitGraph> shared_commit_graph(const std::string& git_dir) {
    const GraphStamp stamp = graph_stamp(git_dir);
    if (stamp == GraphStamp{}) {
        return nullptr;
    }
    GraphCache& cache = graph_cache();
    {
        std::lock_guard lock(cache.mutex);
        auto it = cache.entries.find(git_dir);
        if (it != cache.entries.end() && it->second.first == stamp) {
            return it->second.second;
        }
    }
    std::shared_ptr<const CommitGraph> graph = CommitGraph::open(git_dir);
    // A graph rewritten while it was being opened gets a new stamp: keep it only when unchanged.
    if (graph_stamp(git_dir) != stamp) {
        return graph;
    }
    std::shared_ptr<const CommitGraph> old;  // freed outside the lock
    std::lock_guard lock(cache.mutex);
    if (cache.entries.size() >= 64 && !cache.entries.contains(git_dir)) {
        cache.entries.clear();
    }
    auto& slot = cache.entries[git_dir];
    old = std::move(slot.second);
    slot = {stamp, graph};
    return graph;
}

}  // namespace kallithea::vcs::git
