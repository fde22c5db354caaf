// Git trees and blobs: directory listings, file lists, node kinds, file contents (libgit2; large
// blobs are streamed through `git cat-file` so they never sit in memory whole).
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

#include "core/lru_cache.hpp"

#include "core/text.hpp"
#include "vcs/git/git_command.hpp"
#include "vcs/git/git_repository_impl.hpp"

namespace kallithea::vcs::git {

namespace {

// Blobs above this size are read through the git CLI in chunks.
constexpr uint64_t kInMemoryBlobLimit = 16 * 1024 * 1024;
constexpr size_t kStreamChunk = 64 * 1024;

NodeKind kind_of(git_filemode_t mode) {
    switch (mode) {
        case GIT_FILEMODE_TREE:
            return NodeKind::dir;
        case GIT_FILEMODE_COMMIT:
            return NodeKind::submodule;
        case GIT_FILEMODE_LINK:
            return NodeKind::symlink;
        default:
            return NodeKind::file;
    }
}

std::string join_path(std::string_view dir, std::string_view name) {
    if (dir.empty()) {
        return std::string(name);
    }
    std::string out(dir);
    out += '/';
    out.append(name);
    return out;
}

// A .gitmodules line or value: without blanks and CR around it, nor one pair of quotes.
std::string unquoted(std::string_view s) {
    std::string out(text::trim(s, " \t\r"));
    if (out.size() >= 2 && out.front() == '"' && out.back() == '"') {
        out = out.substr(1, out.size() - 2);
    }
    return out;
}

// Submodule path -> url from the text of a .gitmodules file.
std::map<std::string, std::string> parse_gitmodules(std::string_view text) {
    std::map<std::string, std::string> path_of, url_of, out;
    std::string section;
    size_t begin = 0;
    while (begin < text.size()) {
        size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string line = unquoted(text.substr(begin, end - begin));
        begin = end + 1;
        if (line.empty() || line[0] == '#' || line[0] == ';') {
            continue;
        }
        if (line[0] == '[') {
            section = line;
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string::npos) {
            continue;
        }
        std::string key = unquoted(line.substr(0, eq));
        std::string value = unquoted(line.substr(eq + 1));
        if (key == "path") {
            path_of[section] = value;
        } else if (key == "url") {
            url_of[section] = value;
        }
    }
    for (const auto& [sec, path] : path_of) {
        auto it = url_of.find(sec);
        if (it != url_of.end()) {
            out[path] = it->second;
        }
    }
    return out;
}

Result<TreeEntryHandle> entry_by_path(git_tree* root, const std::string& path) {
    git_tree_entry* raw = nullptr;
    int rc = git_tree_entry_bypath(&raw, root, path.c_str());
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        return fail(Errc::not_found, "no such path", path);
    }
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read the tree"));
    }
    return TreeEntryHandle(raw);
}

// Size of an object from its header only (cheap for packed deltas too).
uint64_t object_size(git_odb* odb, const git_oid* oid) {
    size_t len = 0;
    git_object_t type;
    if (git_odb_read_header(&len, &type, odb, oid) != 0) {
        git_error_clear();
        return 0;
    }
    return len;
}

// The root tree of rev and, for a non-empty path, the tree at that path.
struct TreeAt {
    TreeHandle root;
    TreeHandle dir;  // null when path is the root
    git_tree* get() const { return dir ? dir.get() : root.get(); }
};

}  // namespace

namespace {

Result<TreeAt> tree_at(GitRepository& repo, std::string_view rev, const std::string& path) {
    auto commit = repo.lookup_commit(rev);
    RETURN_IF_ERROR(commit);
    auto root = repo.commit_tree(commit->get());
    RETURN_IF_ERROR(root);
    TreeAt out{std::move(*root), nullptr};
    if (path.empty()) {
        return out;
    }
    auto entry = entry_by_path(out.root.get(), path);
    RETURN_IF_ERROR(entry);
    if (git_tree_entry_type(entry->get()) != GIT_OBJECT_TREE) {
        return fail(Errc::invalid_argument, "not a directory", path);
    }
    git_tree* raw = nullptr;
    int rc = git_tree_lookup(&raw, repo.raw(), git_tree_entry_id(entry->get()));
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read the tree"));
    }
    out.dir.reset(raw);
    return out;
}

std::map<std::string, std::string> submodule_urls(GitRepository& repo, git_tree* root) {
    const git_tree_entry* entry = git_tree_entry_byname(root, ".gitmodules");
    if (!entry || git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
        return {};
    }
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repo.raw(), git_tree_entry_id(entry)) != 0) {
        git_error_clear();
        return {};
    }
    BlobHandle blob(raw);
    std::string_view text(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          static_cast<size_t>(git_blob_rawsize(blob.get())));
    return parse_gitmodules(text);
}

// Directory listings by repository, root tree and path: a tree never changes, so entries are only
// evicted. Saves reading every file's size from the pack (a delta chain's headers each) on every
// visit of a large directory.
using Listing = std::vector<NodeEntry>;
constexpr size_t kListingCacheBytes = 8 * 1024 * 1024;
constexpr size_t kListingEntryOverhead = 160;

LruCache<Listing>& listing_cache() {
    static LruCache<Listing> cache(kListingCacheBytes);
    return cache;
}

std::string listing_key(const std::string& git_dir, const git_tree* root, const std::string& path) {
    std::string key = git_dir;
    key += '\0';
    key += oid_hex(*git_tree_id(root));
    key += '\0';
    key += path;
    return key;
}

size_t listing_bytes(const Listing& listing) {
    size_t bytes = 0;
    for (const auto& node : listing) {
        bytes += kListingEntryOverhead + node.name.size() + node.path.size() +
                 node.submodule_url.size() + node.object_id.size();
    }
    return bytes;
}

}  // namespace

Result<std::vector<NodeEntry>> GitRepository::list_dir(std::string_view rev,
                                                       std::string_view path) {
    auto dir_path = normalize_path(path);
    RETURN_IF_ERROR(dir_path);
    auto tree = tree_at(*this, rev, *dir_path);
    RETURN_IF_ERROR(tree);
    using Made = std::pair<std::shared_ptr<const Listing>, size_t>;
    auto listing = listing_cache().find_or_make(
        listing_key(git_dir_, tree->root.get(), *dir_path), [&]() -> Result<Made> {
            auto made = read_listing(tree->root.get(), tree->get(), *dir_path);
            RETURN_IF_ERROR(made);
            const size_t bytes = listing_bytes(*made);
            return Made(std::make_shared<const Listing>(std::move(*made)), bytes);
        });
    RETURN_IF_ERROR(listing);
    return **listing;
}

Result<std::vector<NodeEntry>> GitRepository::read_listing(git_tree* root, git_tree* tree,
                                                           const std::string& dir_path) {
    git_odb* raw_odb = nullptr;
    if (int rc = git_repository_odb(&raw_odb, repo_.get()); rc != 0) {
        return fail(libgit2_error(rc, "cannot open the object database"));
    }
    OdbHandle odb(raw_odb);
    std::vector<NodeEntry> out;
    size_t n = git_tree_entrycount(tree);
    out.reserve(n);
    bool has_submodules = false;
    for (size_t i = 0; i < n; ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
        NodeEntry node;
        node.name = git_tree_entry_name(entry);
        node.path = join_path(dir_path, node.name);
        git_filemode_t mode = git_tree_entry_filemode(entry);
        node.kind = kind_of(mode);
        node.executable = mode == GIT_FILEMODE_BLOB_EXECUTABLE;
        node.object_id = oid_hex(*git_tree_entry_id(entry));
        if (node.kind == NodeKind::file || node.kind == NodeKind::symlink) {
            node.size = object_size(odb.get(), git_tree_entry_id(entry));
        }
        has_submodules = has_submodules || node.kind == NodeKind::submodule;
        out.push_back(std::move(node));
    }
    if (has_submodules) {
        auto urls = submodule_urls(*this, root);
        for (auto& node : out) {
            if (node.kind == NodeKind::submodule) {
                auto it = urls.find(node.path);
                node.submodule_url = it == urls.end() ? std::string() : it->second;
            }
        }
    }
    auto rank = [](NodeKind k) { return k == NodeKind::dir || k == NodeKind::submodule ? 0 : 1; };
    std::sort(out.begin(), out.end(), [&](const NodeEntry& a, const NodeEntry& b) {
        return std::make_pair(rank(a.kind), std::string_view(a.name)) <
               std::make_pair(rank(b.kind), std::string_view(b.name));
    });
    return out;
}

namespace {

struct FileCollector {
    std::string base;
    std::vector<std::string>* out;
};

int collect_file(const char* root, const git_tree_entry* entry, void* payload) {
    auto* collector = static_cast<FileCollector*>(payload);
    if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
        std::string path = collector->base;
        path += root;
        path += git_tree_entry_name(entry);
        collector->out->push_back(std::move(path));
    }
    return 0;
}

}  // namespace

Result<std::vector<std::string>> GitRepository::list_files(std::string_view rev,
                                                           std::string_view path) {
    auto dir_path = normalize_path(path);
    RETURN_IF_ERROR(dir_path);
    auto tree = tree_at(*this, rev, *dir_path);
    RETURN_IF_ERROR(tree);
    std::vector<std::string> out;
    FileCollector collector{dir_path->empty() ? std::string() : *dir_path + "/", &out};
    int rc = git_tree_walk(tree->get(), GIT_TREEWALK_PRE, collect_file, &collector);
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read the tree"));
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<NodeKind> GitRepository::node_kind(std::string_view rev, std::string_view path) {
    auto file_path = normalize_path(path);
    RETURN_IF_ERROR(file_path);
    auto commit = lookup_commit(rev);
    RETURN_IF_ERROR(commit);
    if (file_path->empty()) {
        return NodeKind::dir;
    }
    auto root = commit_tree(commit->get());
    RETURN_IF_ERROR(root);
    auto entry = entry_by_path(root->get(), *file_path);
    RETURN_IF_ERROR(entry);
    return kind_of(git_tree_entry_filemode(entry->get()));
}

namespace {

struct BlobRef {
    git_oid oid;
    uint64_t size = 0;
    bool executable = false;
    bool symlink = false;
};

Result<BlobRef> find_blob(GitRepository& repo, std::string_view rev, std::string_view path) {
    auto file_path = normalize_path(path);
    RETURN_IF_ERROR(file_path);
    auto commit = repo.lookup_commit(rev);
    RETURN_IF_ERROR(commit);
    if (file_path->empty()) {
        return fail(Errc::invalid_argument, "not a file", "/");
    }
    auto root = repo.commit_tree(commit->get());
    RETURN_IF_ERROR(root);
    auto entry = entry_by_path(root->get(), *file_path);
    RETURN_IF_ERROR(entry);
    if (git_tree_entry_type(entry->get()) != GIT_OBJECT_BLOB) {
        return fail(Errc::invalid_argument, "not a file", *file_path);
    }
    BlobRef out;
    out.oid = *git_tree_entry_id(entry->get());
    git_filemode_t mode = git_tree_entry_filemode(entry->get());
    out.executable = mode == GIT_FILEMODE_BLOB_EXECUTABLE;
    out.symlink = mode == GIT_FILEMODE_LINK;
    git_odb* raw_odb = nullptr;
    if (int rc = git_repository_odb(&raw_odb, repo.raw()); rc != 0) {
        return fail(libgit2_error(rc, "cannot open the object database"));
    }
    OdbHandle odb(raw_odb);
    out.size = object_size(odb.get(), &out.oid);
    return out;
}

// Streams a blob: from memory when small, else from `git cat-file` in chunks. max_bytes > 0
// stops after that many bytes.
Status send_blob(GitRepository& repo, const BlobRef& blob, uint64_t max_bytes,
                 const ByteSink& sink) {
    uint64_t want = max_bytes > 0 ? std::min(max_bytes, blob.size) : blob.size;
    if (blob.size <= kInMemoryBlobLimit) {
        git_blob* raw = nullptr;
        int rc = git_blob_lookup(&raw, repo.raw(), &blob.oid);
        if (rc != 0) {
            return fail(libgit2_error(rc, "cannot read the file"));
        }
        BlobHandle handle(raw);
        const char* data = static_cast<const char*>(git_blob_rawcontent(handle.get()));
        want = std::min<uint64_t>(want, static_cast<uint64_t>(git_blob_rawsize(handle.get())));
        for (uint64_t pos = 0; pos < want; pos += kStreamChunk) {
            size_t n = static_cast<size_t>(std::min<uint64_t>(kStreamChunk, want - pos));
            if (!sink(std::string_view(data + pos, n))) {
                break;
            }
        }
        return ok();
    }
    auto proc =
        Subprocess::start(git_command(repo.git_dir(), {"cat-file", "blob", oid_hex(blob.oid)}));
    RETURN_IF_ERROR(proc);
    uint64_t sent = 0;
    auto exit = proc->communicate(nullptr, [&](std::string_view data) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(data.size(), want - sent));
        sent += n;
        return sink(data.substr(0, n)) && sent < want;
    });
    RETURN_IF_ERROR(exit);
    if (!exit->stopped && !exit->success()) {
        return fail(Errc::io, "cannot read the file", exit->stderr_text);
    }
    return ok();
}

}  // namespace

Result<FileContent> GitRepository::read_file(std::string_view rev, std::string_view path,
                                             uint64_t max_bytes) {
    auto blob = find_blob(*this, rev, path);
    RETURN_IF_ERROR(blob);
    FileContent out;
    out.size = blob->size;
    out.blob_id = oid_hex(blob->oid);
    out.executable = blob->executable;
    out.symlink = blob->symlink;
    out.data.reserve(
        static_cast<size_t>(max_bytes > 0 ? std::min(max_bytes, blob->size) : blob->size));
    auto status = send_blob(*this, *blob, max_bytes, [&](std::string_view data) {
        out.data.append(data);
        return true;
    });
    RETURN_IF_ERROR(status);
    out.truncated = out.data.size() < out.size;
    out.binary = looks_binary(out.data);
    return out;
}

Status GitRepository::stream_file(std::string_view rev, std::string_view path,
                                  const ByteSink& sink) {
    auto blob = find_blob(*this, rev, path);
    RETURN_IF_ERROR(blob);
    return send_blob(*this, *blob, 0, sink);
}

}  // namespace kallithea::vcs::git
