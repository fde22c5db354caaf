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

constexpr size_t kMaxIdleHandles = 32;
constexpr auto kMaxIdleTime = std::chrono::seconds(120);

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

// What must be unchanged for an idle handle to be reused: the repository directory itself (not
// deleted and recreated) and its pack directory (no pack added or removed).
struct RepoStamp {
    FileStamp dir;
    FileStamp packs;
    bool operator==(const RepoStamp&) const = default;
};

RepoStamp repo_stamp(const std::string& git_dir) {
    return {stamp_of(git_dir), stamp_of(git_dir + "/objects/pack")};
}

struct IdleHandle {
    std::string path;
    std::string git_dir;
    RepoStamp stamp;
    Clock::time_point since;
    RepoHandle repo;
};

struct HandlePool {
    std::mutex mutex;
    std::deque<IdleHandle> idle;  // most recently given back first

    void expire(Clock::time_point now) {
        while (!idle.empty() && now - idle.back().since > kMaxIdleTime) {
            idle.pop_back();
        }
    }
};

HandlePool& handle_pool() {
    static HandlePool pool;
    return pool;
}

}  // namespace

RepoHandle take_pooled_handle(const std::string& path) {
    HandlePool& pool = handle_pool();
    IdleHandle found;
    {
        std::lock_guard lock(pool.mutex);
        pool.expire(Clock::now());
        for (auto it = pool.idle.begin(); it != pool.idle.end(); ++it) {
            if (it->path == path) {
                found = std::move(*it);
                pool.idle.erase(it);
                break;
            }
        }
    }
    if (!found.repo || repo_stamp(found.git_dir) != found.stamp) {
        return nullptr;  // none idle, or the repository changed on disk: freed here
    }
    return std::move(found.repo);
}

void give_pooled_handle(const std::string& path, const std::string& git_dir, RepoHandle repo) {
    if (!repo) {
        return;
    }
    IdleHandle entry{path, git_dir, repo_stamp(git_dir), Clock::now(), std::move(repo)};
    if (entry.stamp.dir == FileStamp{}) {
        return;  // the repository is gone
    }
    HandlePool& pool = handle_pool();
    std::deque<IdleHandle> dropped;  // freed outside the lock
    std::lock_guard lock(pool.mutex);
    pool.idle.push_front(std::move(entry));
    while (pool.idle.size() > kMaxIdleHandles) {
        dropped.push_back(std::move(pool.idle.back()));
        pool.idle.pop_back();
    }
    const auto now = Clock::now();
    while (!pool.idle.empty() && now - pool.idle.back().since > kMaxIdleTime) {
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
