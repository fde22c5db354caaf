// Commit-graph reader (format: Documentation/gitformat-commit-graph.txt in Git) over mmap'ed
// files (POSIX).
#include "vcs/git/commit_graph.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace kallithea::vcs::git {

// A whole file mapped read-only.
class MappedFile {
public:
    static std::unique_ptr<MappedFile> open(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return nullptr;
        }
        struct stat st;
        std::unique_ptr<MappedFile> out;
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            void* data =
                ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (data != MAP_FAILED) {
                out.reset(new MappedFile(static_cast<const uint8_t*>(data),
                                         static_cast<size_t>(st.st_size)));
            }
        }
        ::close(fd);
        return out;
    }
    ~MappedFile() { ::munmap(const_cast<uint8_t*>(data_), size_); }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }

private:
    MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    const uint8_t* data_;
    size_t size_;
};

namespace {

constexpr size_t kOidSize = 20;
constexpr size_t kCommitDataSize = kOidSize + 16;
constexpr uint32_t kNoParent = 0x70000000;
constexpr uint32_t kExtraEdges = 0x80000000;
constexpr uint32_t kLastEdge = 0x80000000;

uint32_t be32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

uint64_t be64(const uint8_t* p) {
    return (uint64_t{be32(p)} << 32) | be32(p + 4);
}

uint32_t rotl(uint32_t v, int n) {
    return (v << n) | (v >> (32 - n));
}

// Murmur3 (32 bit) as Git uses it for changed-path filters (bytes read as unsigned).
uint32_t murmur3(uint32_t seed, std::string_view data) {
    constexpr uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
    auto byte = [&](size_t i) -> uint32_t { return static_cast<unsigned char>(data[i]); };
    size_t blocks = data.size() / 4;
    for (size_t i = 0; i < blocks; ++i) {
        uint32_t k = 0;
        for (size_t b = 0; b < 4; ++b) {
            k |= byte(4 * i + b) << (8 * b);
        }
        k *= c1;
        k = rotl(k, 15);
        k *= c2;
        seed ^= k;
        seed = rotl(seed, 13) * 5 + 0xe6546b64;
    }
    size_t tail = blocks * 4;
    uint32_t k1 = 0;
    switch (data.size() & 3) {
        case 3:
            k1 ^= byte(tail + 2) << 16;
            [[fallthrough]];
        case 2:
            k1 ^= byte(tail + 1) << 8;
            [[fallthrough]];
        case 1:
            k1 ^= byte(tail);
            k1 *= c1;
            k1 = rotl(k1, 15);
            k1 *= c2;
            seed ^= k1;
            break;
        default:
            break;
    }
    seed ^= static_cast<uint32_t>(data.size());
    seed ^= seed >> 16;
    seed *= 0x85ebca6b;
    seed ^= seed >> 13;
    seed *= 0xc2b2ae35;
    seed ^= seed >> 16;
    return seed;
}

// A commit-graph file of version 1 (SHA-1) at position `layer_index` of its chain, long enough
// for its chunk table.
bool valid_header(const uint8_t* p, size_t size, size_t layer_index) {
    if (size < 8 || std::memcmp(p, "CGPH", 4) != 0 || p[4] != 1 || p[5] != 1 ||
        p[7] != layer_index) {
        return false;
    }
    const size_t chunks = p[6];
    return size >= 8 + (chunks + 1) * 12;
}

}  // namespace

BloomKey bloom_key(std::string_view path) {
    constexpr uint32_t kSeed0 = 0x293ae76f, kSeed1 = 0x7e646e2c;
    BloomKey key;
    key.hash[0] = murmur3(kSeed0, path);
    key.hash[1] = murmur3(kSeed1, path);
    key.ascii = std::none_of(path.begin(), path.end(),
                             [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    return key;
}

struct CommitGraph::Layer {
    std::unique_ptr<MappedFile> file;
    uint32_t base = 0;  // global position of this layer's first commit
    uint32_t count = 0;
    const uint8_t* fanout = nullptr;
    const uint8_t* oids = nullptr;
    const uint8_t* data = nullptr;
    const uint8_t* edges = nullptr;
    size_t edge_count = 0;
    const uint8_t* bloom_index = nullptr;
    const uint8_t* bloom_data = nullptr;
    size_t bloom_size = 0;
    uint32_t bloom_version = 0;
    uint32_t bloom_hashes = 0;

    // What the chunk table says beyond the chunk pointers, for the checks after it.
    struct ChunkLengths {
        size_t data = 0;   // CDAT
        size_t index = 0;  // BIDX
        const uint8_t* bloom_header = nullptr;
    };

    // Points the chunk fields at the chunks of file `p` (whose header is valid); false when a
    // chunk lies outside the file.
    bool read_chunks(const uint8_t* p, size_t size, ChunkLengths& lengths) {
        const size_t chunks = p[6];
        for (size_t i = 0; i < chunks; ++i) {
            const uint8_t* entry = p + 8 + i * 12;
            uint64_t begin = be64(entry + 4), end = be64(entry + 16);
            if (begin > end || end > size) {
                return false;
            }
            const uint8_t* chunk = p + begin;
            size_t len = static_cast<size_t>(end - begin);
            std::string_view id(reinterpret_cast<const char*>(entry), 4);
            if (id == "OIDF" && len == 256 * 4) {
                fanout = chunk;
            } else if (id == "OIDL") {
                oids = chunk;
                count = static_cast<uint32_t>(len / kOidSize);
            } else if (id == "CDAT") {
                data = chunk;
                lengths.data = len;
            } else if (id == "EDGE") {
                edges = chunk;
                edge_count = len / 4;
            } else if (id == "BIDX") {
                bloom_index = chunk;
                lengths.index = len;
            } else if (id == "BDAT" && len >= 12) {
                lengths.bloom_header = chunk;
                bloom_data = chunk + 12;
                bloom_size = len - 12;
            }
        }
        return true;
    }

    // The required chunks are there and agree on the commit count.
    bool complete(const ChunkLengths& lengths) const {
        return fanout && oids && data && be32(fanout + 255 * 4) == count &&
               lengths.data == size_t{count} * kCommitDataSize;
    }

    // Keeps the changed-path filters when they are whole and of settings we know.
    void check_bloom_filters(const ChunkLengths& lengths) {
        if (lengths.bloom_header && bloom_index && lengths.index == size_t{count} * 4) {
            bloom_version = be32(lengths.bloom_header);
            bloom_hashes = be32(lengths.bloom_header + 4);
            if ((bloom_version != 1 && bloom_version != 2) || bloom_hashes == 0 ||
                bloom_hashes > 32) {
                bloom_index = nullptr;  // unknown filter settings: walk without them
            }
        } else {
            bloom_index = nullptr;
        }
    }
};

CommitGraph::CommitGraph() = default;
CommitGraph::~CommitGraph() = default;

bool CommitGraph::add_layer(std::unique_ptr<MappedFile> file) {
    const uint8_t* p = file->data();
    size_t size = file->size();
    if (!valid_header(p, size, layers_.size())) {
        return false;
    }
    auto layer = std::make_unique<Layer>();
    layer->base = total_;
    Layer::ChunkLengths lengths;
    if (!layer->read_chunks(p, size, lengths) || !layer->complete(lengths)) {
        return false;
    }
    layer->check_bloom_filters(lengths);
    total_ += layer->count;
    layer->file = std::move(file);
    layers_.push_back(std::move(layer));
    return true;
}

std::unique_ptr<CommitGraph> CommitGraph::open(const std::string& git_dir) {
    // Git ignores the graph in shallow or grafted repositories: parents would differ.
    for (const char* name : {"/shallow", "/info/grafts"}) {
        if (::access((git_dir + name).c_str(), F_OK) == 0) {
            return nullptr;
        }
    }
    std::unique_ptr<CommitGraph> graph(new CommitGraph());
    if (auto single = MappedFile::open(git_dir + "/objects/info/commit-graph")) {
        return graph->add_layer(std::move(single)) ? std::move(graph) : nullptr;
    }
    std::string dir = git_dir + "/objects/info/commit-graphs/";
    std::ifstream chain(dir + "commit-graph-chain");
    std::string hash;
    while (chain >> hash) {
        auto file =
            hash.size() == 40 ? MappedFile::open(dir + "graph-" + hash + ".graph") : nullptr;
        if (!file || !graph->add_layer(std::move(file))) {
            return nullptr;
        }
    }
    return graph->layers_.empty() ? nullptr : std::move(graph);
}

const CommitGraph::Layer* CommitGraph::layer_of(uint32_t pos, uint32_t& local) const {
    for (const auto& layer : layers_) {
        if (pos >= layer->base && pos - layer->base < layer->count) {
            local = pos - layer->base;
            return layer.get();
        }
    }
    return nullptr;
}

uint32_t CommitGraph::find(const RawOid& oid) const {
    for (const auto& layer : layers_) {
        uint32_t lo = oid[0] == 0 ? 0 : be32(layer->fanout + (oid[0] - 1) * 4);
        uint32_t hi = be32(layer->fanout + oid[0] * 4);
        hi = std::min(hi, layer->count);
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            int cmp = std::memcmp(layer->oids + size_t{mid} * kOidSize, oid.data(), kOidSize);
            if (cmp == 0) {
                return layer->base + mid;
            }
            if (cmp < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
    }
    return kNone;
}

RawOid CommitGraph::oid(uint32_t pos) const {
    RawOid out{};
    uint32_t local = 0;
    if (const Layer* layer = layer_of(pos, local)) {
        std::memcpy(out.data(), layer->oids + size_t{local} * kOidSize, kOidSize);
    }
    return out;
}

RawOid CommitGraph::tree(uint32_t pos) const {
    RawOid out{};
    uint32_t local = 0;
    if (const Layer* layer = layer_of(pos, local)) {
        std::memcpy(out.data(), layer->data + size_t{local} * kCommitDataSize, kOidSize);
    }
    return out;
}

int64_t CommitGraph::time(uint32_t pos) const {
    uint32_t local = 0;
    const Layer* layer = layer_of(pos, local);
    if (!layer) {
        return 0;
    }
    const uint8_t* rec = layer->data + size_t{local} * kCommitDataSize;
    return static_cast<int64_t>((uint64_t{be32(rec + 28) & 0x3} << 32) | be32(rec + 32));
}

uint32_t CommitGraph::level(uint32_t pos) const {
    uint32_t local = 0;
    const Layer* layer = layer_of(pos, local);
    if (!layer) {
        return 0;
    }
    return be32(layer->data + size_t{local} * kCommitDataSize + 28) >> 2;
}

std::vector<bool> CommitGraph::reachable(std::span<const uint32_t> from,
                                         std::span<const uint32_t> targets) const {
    std::vector<bool> out(targets.size(), false);
    if (targets.empty()) {
        return out;
    }
    // A parent's level is below its child's: below the lowest target's level nothing can lead
    // to a target. Level 0 means "not computed" (old writers): no pruning then.
    uint32_t min_level = UINT32_MAX;
    for (uint32_t t : targets) {
        min_level = std::min(min_level, level(t));
    }
    std::vector<bool> seen(total_, false);
    std::vector<uint32_t> stack;
    for (uint32_t f : from) {
        if (f < total_) {
            stack.push_back(f);
        }
    }
    size_t found = 0;
    std::vector<uint32_t> parent_list;
    while (!stack.empty() && found < targets.size()) {
        const uint32_t pos = stack.back();
        stack.pop_back();
        if (seen[pos]) {
            continue;
        }
        seen[pos] = true;
        for (size_t i = 0; i < targets.size(); ++i) {
            if (targets[i] == pos && !out[i]) {
                out[i] = true;
                ++found;
            }
        }
        if (min_level > 0 && level(pos) <= min_level) {
            continue;  // its parents' levels are below every target's
        }
        if (parents(pos, parent_list)) {
            stack.insert(stack.end(), parent_list.begin(), parent_list.end());
        }
    }
    return out;
}

bool CommitGraph::parents(uint32_t pos, std::vector<uint32_t>& out) const {
    out.clear();
    uint32_t local = 0;
    const Layer* layer = layer_of(pos, local);
    if (!layer) {
        return false;
    }
    uint32_t limit = layer->base + layer->count;  // parents live in this layer or below
    const uint8_t* rec = layer->data + size_t{local} * kCommitDataSize;
    uint32_t first = be32(rec + 20), second = be32(rec + 24);
    if (first == kNoParent) {
        return true;
    }
    if (first >= limit) {
        return false;
    }
    out.push_back(first);
    if (second == kNoParent) {
        return true;
    }
    if ((second & kExtraEdges) == 0) {
        out.push_back(second);
        return second < limit;
    }
    for (size_t i = second & ~kExtraEdges; i < layer->edge_count; ++i) {
        uint32_t edge = be32(layer->edges + i * 4);
        if ((edge & ~kLastEdge) >= limit) {
            return false;
        }
        out.push_back(edge & ~kLastEdge);
        if (edge & kLastEdge) {
            return true;
        }
    }
    return false;  // the edge list ran off the chunk
}

std::span<const uint32_t> CommitGraph::children(uint32_t pos) const {
    std::call_once(children_once_, [this] {
        // Two passes over every commit's parents: count per parent, then fill (CSR layout).
        std::vector<uint32_t> start(size_t{total_} + 1, 0);
        std::vector<uint32_t> parent_list;
        for (uint32_t i = 0; i < total_; ++i) {
            if (parents(i, parent_list)) {
                for (uint32_t p : parent_list) {
                    ++start[p + 1];
                }
            }
        }
        for (size_t i = 1; i < start.size(); ++i) {
            start[i] += start[i - 1];
        }
        std::vector<uint32_t> list(start.back());
        std::vector<uint32_t> fill(start.begin(), start.end() - 1);
        for (uint32_t i = 0; i < total_; ++i) {
            if (parents(i, parent_list)) {
                for (uint32_t p : parent_list) {
                    list[fill[p]++] = i;
                }
            }
        }
        child_start_ = std::move(start);
        child_list_ = std::move(list);
    });
    if (pos >= total_) {
        return {};
    }
    return {child_list_.data() + child_start_[pos], child_list_.data() + child_start_[pos + 1]};
}

bool CommitGraph::has_bloom_filters() const {
    return std::any_of(layers_.begin(), layers_.end(),
                       [](const auto& layer) { return layer->bloom_index != nullptr; });
}

bool CommitGraph::maybe_changed(uint32_t pos, const BloomKey& key) const {
    uint32_t local = 0;
    const Layer* layer = layer_of(pos, local);
    if (!layer || !layer->bloom_index) {
        return true;
    }
    uint32_t end = be32(layer->bloom_index + size_t{local} * 4);
    uint32_t begin = local == 0 ? 0 : be32(layer->bloom_index + size_t{local - 1} * 4);
    if (begin >= end || end > layer->bloom_size) {
        return true;  // no filter stored for this commit (or a bad offset)
    }
    const uint8_t* filter = layer->bloom_data + begin;
    uint64_t bits = uint64_t{end - begin} * 8;
    if (layer->bloom_version == 1 && !key.ascii) {
        return true;
    }
    for (uint32_t i = 0; i < layer->bloom_hashes; ++i) {
        uint64_t bit = uint32_t(key.hash[0] + i * key.hash[1]) % bits;
        if ((filter[bit / 8] & (1u << (bit % 8))) == 0) {
            return false;
        }
    }
    return true;
}

}  // namespace kallithea::vcs::git
