// Read-only access to Git's commit-graph files (parents, dates, root trees and changed-path Bloom
// filters without inflating commit objects); libgit2 1.5 does not use them for history walks.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kallithea::vcs::git {

using RawOid = std::array<uint8_t, 20>;

// The hashes of one path for Bloom filter queries.
struct BloomKey {
    uint32_t hash[2] = {0, 0};
    // Filters of hash version 1 hash bytes >= 0x80 differently depending on the Git release
    // that wrote them (signed chars), so such paths are never ruled out by a version 1 filter.
    bool ascii = true;
};

BloomKey bloom_key(std::string_view path);

class MappedFile;

// One commit-graph (a single file or a split chain). Every accessor is bounds-checked at load
// time, so a loaded graph never reads outside its files.
class CommitGraph {
public:
    static constexpr uint32_t kNone = 0xffffffff;

    // Loads objects/info/commit-graph, else the objects/info/commit-graphs chain. nullptr when
    // there is none, or when it is unusable (corrupt, not SHA-1, shallow or grafted repository).
    static std::unique_ptr<CommitGraph> open(const std::string& git_dir);
    ~CommitGraph();
    CommitGraph(const CommitGraph&) = delete;
    CommitGraph& operator=(const CommitGraph&) = delete;

    uint32_t size() const { return total_; }
    // Position of a commit, or kNone when the graph does not hold it.
    uint32_t find(const RawOid& oid) const;
    RawOid oid(uint32_t pos) const;
    RawOid tree(uint32_t pos) const;
    int64_t time(uint32_t pos) const;  // committer date
    // Topological level (1 for a root, above every parent's otherwise); 0 when not computed.
    uint32_t level(uint32_t pos) const;
    // For each target position, whether it is reachable from (or is) one of the from positions.
    std::vector<bool> reachable(std::span<const uint32_t> from,
                                std::span<const uint32_t> targets) const;
    // Positions of the parents, in order, into out. False on a malformed parent list.
    bool parents(uint32_t pos, std::vector<uint32_t>& out) const;
    // False only when the commit's Bloom filter proves that path (a file or directory) is the
    // same as in its first parent; true when it may differ or there is no filter.
    bool maybe_changed(uint32_t pos, const BloomKey& key) const;
    bool has_bloom_filters() const;
    // Positions of the commits of the graph that have pos as a parent (an index built on first
    // use, once per graph; thread-safe). Empty for a malformed pos.
    std::span<const uint32_t> children(uint32_t pos) const;

private:
    struct Layer;
    CommitGraph();
    bool add_layer(std::unique_ptr<MappedFile> file);
    const Layer* layer_of(uint32_t pos, uint32_t& local) const;

    std::vector<std::unique_ptr<Layer>> layers_;
    uint32_t total_ = 0;
    // Children index: child_start_[pos]..child_start_[pos + 1] into child_list_.
    mutable std::once_flag children_once_;
    mutable std::vector<uint32_t> child_start_;
    mutable std::vector<uint32_t> child_list_;
};

}  // namespace kallithea::vcs::git
