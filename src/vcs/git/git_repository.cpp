// Git repositories: opening, refs, revision resolution and changeset metadata (libgit2).
#include "vcs/git/git_repository.hpp"

#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <tuple>
#include <unordered_map>

#include "vcs/git/git_repository_impl.hpp"
#include "vcs/git/handle_pool.hpp"

namespace kallithea::vcs::git {

Result<std::unique_ptr<Repository>> open_git_repository(const std::string& path) {
    ensure_libgit2();
    HandleOrigin origin;
    if (RepoHandle pooled = take_pooled_handle(path, origin)) {
        return std::make_unique<GitRepository>(path, std::move(pooled), origin);
    }
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (rc == GIT_ENOTFOUND && !std::filesystem::exists(path)) {
        git_error_clear();
        return fail(Errc::not_found, "not a repository", path);
    }
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot open repository"));
    }
    RepoHandle repo(raw);
    std::string git_dir = git_repository_path(repo.get());
    while (git_dir.size() > 1 && git_dir.back() == '/') {
        git_dir.pop_back();
    }
    // Before any object is read: libgit2 lists the packs on first use.
    return std::make_unique<GitRepository>(path, std::move(repo), HandleOrigin::of(git_dir));
}

GitRepository::GitRepository(std::string path, RepoHandle repo, const HandleOrigin& origin)
    : path_(std::move(path)), repo_(std::move(repo)), origin_(origin) {
    git_dir_ = git_repository_path(repo_.get());
    while (git_dir_.size() > 1 && git_dir_.back() == '/') {
        git_dir_.pop_back();
    }
}

GitRepository::~GitRepository() {
    give_pooled_handle(path_, git_dir_, std::move(repo_), origin_);
}

Result<std::string> normalize_path(std::string_view path) {
    if (path.find('\0') != std::string_view::npos) {
        return fail(Errc::invalid_argument, "invalid path");
    }
    std::string out;
    size_t begin = 0;
    while (begin <= path.size()) {
        size_t end = path.find('/', begin);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        std::string_view part = path.substr(begin, end - begin);
        if (part == "." || part == "..") {
            return fail(Errc::invalid_argument, "invalid path");
        }
        if (!part.empty()) {
            if (!out.empty()) {
                out += '/';
            }
            out.append(part);
        }
        begin = end + 1;
    }
    return out;
}

namespace {

// Appends the identity and time of p to out ("-" when missing); racy when it changed in the last
// few seconds (file times come from a coarse clock: a change in the same tick as the previous one
// would not show).
void add_stat(std::string& out, bool& racy, time_t now, const std::string& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
        out += "-|";
        return;
    }
    if (now - st.st_mtim.tv_sec < 3) {
        racy = true;
    }
    out += std::to_string(st.st_ino);
    out += ':';
    out += std::to_string(st.st_mtim.tv_sec);
    out += '.';
    out += std::to_string(st.st_mtim.tv_nsec);
    out += ':';
    out += std::to_string(st.st_size);
    out += '|';
}

// Directories below refs/heads and refs/tags, as last listed, by git directory: while none of
// them changed (a ref written, renamed or deleted changes its directory's time: git and libgit2
// write refs through a lock file renamed into place) they are not listed again.
struct RefDirCache {
    std::mutex mutex;
    std::unordered_map<std::string, std::pair<std::vector<std::string>, std::string>> entries;
};

RefDirCache& ref_dir_cache() {
    static RefDirCache cache;
    return cache;
}

std::string dirs_stamp(const std::vector<std::string>& dirs, bool& racy, time_t now) {
    std::string out;
    for (const auto& dir : dirs) {
        add_stat(out, racy, now, dir);
    }
    return out;
}

std::vector<std::string> list_ref_dirs(const std::string& git_dir) {
    std::vector<std::string> dirs;
    for (const char* top : {"/refs/heads", "/refs/tags"}) {
        dirs.push_back(git_dir + top);
        std::error_code ec;
        for (std::filesystem::recursive_directory_iterator it(git_dir + top, ec), end;
             !ec && it != end; it.increment(ec)) {
            if (it->is_directory(ec) && !it->is_symlink(ec)) {
                dirs.push_back(it->path().native());
            }
        }
    }
    return dirs;
}

// A fingerprint of every ref of a repository: HEAD, packed-refs and the directories of loose
// refs. Empty when something changed in the last few seconds (such states are not cached).
std::string refs_stamp(const std::string& git_dir) {
    std::string out;
    bool racy = false;
    const time_t now = ::time(nullptr);
    add_stat(out, racy, now, git_dir + "/HEAD");
    add_stat(out, racy, now, git_dir + "/packed-refs");
    RefDirCache& cache = ref_dir_cache();
    std::vector<std::string> dirs;
    std::string known_stamp;
    {
        std::lock_guard lock(cache.mutex);
        if (auto it = cache.entries.find(git_dir); it != cache.entries.end()) {
            dirs = it->second.first;
            known_stamp = it->second.second;
        }
    }
    std::string stamp = dirs.empty() ? std::string() : dirs_stamp(dirs, racy, now);
    if (dirs.empty() || stamp != known_stamp) {
        dirs = list_ref_dirs(git_dir);
        bool recent = false;
        stamp = dirs_stamp(dirs, recent, now);
        racy = racy || recent;
        if (recent) {  // a directory may have appeared after the listing: list again next time
            out += stamp;
            return std::string();
        }
        std::lock_guard lock(cache.mutex);
        if (cache.entries.size() >= 256) {
            cache.entries.clear();
        }
        cache.entries[git_dir] = {dirs, stamp};
    }
    out += stamp;
    return racy ? std::string() : out;
}

// Peeled ref indexes of recently opened repositories, by git directory.
struct RefIndexCache {
    std::mutex mutex;
    std::unordered_map<std::string, std::pair<std::string, std::shared_ptr<const RefIndex>>>
        entries;
};

RefIndexCache& ref_index_cache() {
    static RefIndexCache cache;
    return cache;
}

// The index of one repository's refs read at `stamp`, if the cache holds it.
std::shared_ptr<const RefIndex> cached_ref_index(const std::string& git_dir,
                                                 const std::string& stamp) {
    RefIndexCache& cache = ref_index_cache();
    std::lock_guard lock(cache.mutex);
    const auto it = cache.entries.find(git_dir);
    if (it != cache.entries.end() && it->second.first == stamp) {
        return it->second.second;
    }
    return nullptr;
}

void cache_ref_index(const std::string& git_dir, const std::string& stamp,
                     const std::shared_ptr<const RefIndex>& index) {
    RefIndexCache& cache = ref_index_cache();
    std::lock_guard lock(cache.mutex);
    if (cache.entries.size() >= 256) {
        cache.entries.clear();
    }
    cache.entries[git_dir] = {stamp, index};
}

// A branch or a tag with the changeset it points to; nullopt for other refs, tags of a tree or
// blob, and dangling refs.
std::optional<Ref> changeset_ref(git_reference* ref) {
    std::string_view name = git_reference_name(ref);
    Ref out;
    if (name.rfind("refs/heads/", 0) == 0) {
        out.kind = RefKind::branch;
        out.name = name.substr(11);
    } else if (name.rfind("refs/tags/", 0) == 0) {
        out.kind = RefKind::tag;
        out.name = name.substr(10);
    } else {
        return std::nullopt;
    }
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) != 0) {
        git_error_clear();  // a tag of a tree or blob, or a dangling ref: not a changeset
        return std::nullopt;
    }
    out.target = oid_hex(*git_object_id(peeled));
    git_object_free(peeled);
    return out;
}

// Reads the branches and tags (branches first, each by name) and indexes them by target.
Result<std::shared_ptr<const RefIndex>> read_ref_index(git_repository* repo) {
    git_reference_iterator* raw_it = nullptr;
    int rc = git_reference_iterator_new(&raw_it, repo);
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read refs"));
    }
    RefIteratorHandle it(raw_it);
    RefIndex index;
    git_reference* raw_ref = nullptr;
    while ((rc = git_reference_next(&raw_ref, it.get())) == 0) {
        ReferenceHandle ref(raw_ref);
        if (std::optional<Ref> out = changeset_ref(ref.get())) {
            index.refs.push_back(std::move(*out));
        }
    }
    if (rc != GIT_ITEROVER) {
        return fail(libgit2_error(rc, "cannot read refs"));
    }
    std::sort(index.refs.begin(), index.refs.end(), [](const Ref& a, const Ref& b) {
        return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
    });
    for (size_t i = 0; i < index.refs.size(); ++i) {
        index.by_target[index.refs[i].target].push_back(i);
    }
    return std::make_shared<const RefIndex>(std::move(index));
}

}  // namespace

Result<const RefIndex*> GitRepository::ref_index() {
    if (refs_) {
        return refs_.get();
    }
    const std::string stamp = refs_stamp(git_dir_);
    if (!stamp.empty()) {
        refs_ = cached_ref_index(git_dir_, stamp);
        if (refs_) {
            return refs_.get();
        }
    }
    auto index = read_ref_index(repo_.get());
    RETURN_IF_ERROR(index);
    refs_ = std::move(*index);
    if (!stamp.empty()) {
        cache_ref_index(git_dir_, stamp, refs_);
    }
    return refs_.get();
}

Result<std::vector<Ref>> GitRepository::refs() {
    auto index = ref_index();
    RETURN_IF_ERROR(index);
    return (*index)->refs;
}

Result<bool> GitRepository::is_empty() {
    auto index = ref_index();
    RETURN_IF_ERROR(index);
    return (*index)->refs.empty();
}

Result<std::string> GitRepository::default_branch() {
    git_reference* raw = nullptr;
    int rc = git_reference_lookup(&raw, repo_.get(), "HEAD");
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read HEAD"));
    }
    ReferenceHandle head(raw);
    const char* target = git_reference_symbolic_target(head.get());
    std::string_view name = target ? target : "";
    if (name.rfind("refs/heads/", 0) != 0) {
        return std::string();  // detached HEAD
    }
    return std::string(name.substr(11));
}

namespace {

bool is_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

// The commit a reference name points at, or nullopt when there is no such ref.
std::optional<git_oid> peel_ref(git_repository* repo, const std::string& name) {
    int valid = 0;
    if (git_reference_name_is_valid(&valid, name.c_str()) != 0 || !valid) {
        git_error_clear();
        return std::nullopt;
    }
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, repo, name.c_str()) != 0) {
        git_error_clear();
        return std::nullopt;
    }
    ReferenceHandle ref(raw);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref.get(), GIT_OBJECT_COMMIT) != 0) {
        git_error_clear();
        return std::nullopt;
    }
    git_oid oid = *git_object_id(peeled);
    git_object_free(peeled);
    return oid;
}

}  // namespace

Result<git_oid> GitRepository::resolve_oid(std::string_view rev) {
    if (rev.find('\0') != std::string_view::npos) {
        return fail(Errc::not_found, "unknown revision");
    }
    if (rev.empty() || rev == "tip" || rev == "HEAD") {
        if (auto head = peel_ref(repo_.get(), "HEAD")) {
            return *head;
        }
        // HEAD names a branch that does not exist: use the newest branch head instead.
        auto index = ref_index();
        RETURN_IF_ERROR(index);
        std::optional<git_oid> best;
        int64_t best_time = 0;
        for (const auto& ref : (*index)->refs) {
            git_oid oid;
            if (ref.kind != RefKind::branch || git_oid_fromstr(&oid, ref.target.c_str()) != 0) {
                continue;
            }
            auto commit = lookup_commit(oid);
            if (commit && (!best || git_commit_time(commit->get()) > best_time)) {
                best = oid;
                best_time = git_commit_time(commit->get());
            }
        }
        if (!best) {
            return fail(Errc::not_found, "the repository has no changesets yet");
        }
        return *best;
    }
    std::string name(rev);
    for (const char* prefix : {"refs/heads/", "refs/tags/"}) {
        if (auto oid = peel_ref(repo_.get(), prefix + name)) {
            return *oid;
        }
    }
    if (name.rfind("refs/", 0) == 0) {
        if (auto oid = peel_ref(repo_.get(), name)) {
            return *oid;
        }
    }
    if (name.size() >= 4 && name.size() <= GIT_OID_HEXSZ && is_hex(name)) {
        git_oid prefix;
        git_object* raw = nullptr;
        if (git_oid_fromstrn(&prefix, name.c_str(), name.size()) == 0 &&
            git_object_lookup_prefix(&raw, repo_.get(), &prefix, name.size(), GIT_OBJECT_ANY) ==
                0) {
            ObjectHandle object(raw);
            git_object* peeled = nullptr;
            if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) == 0) {
                git_oid oid = *git_object_id(peeled);
                git_object_free(peeled);
                return oid;
            }
        }
        git_error_clear();
    }
    return fail(Errc::not_found, "unknown revision", name);
}

Result<std::string> GitRepository::resolve(std::string_view rev) {
    auto oid = resolve_oid(rev);
    RETURN_IF_ERROR(oid);
    return oid_hex(*oid);
}

Result<CommitHandle> GitRepository::lookup_commit(const git_oid& oid) {
    git_commit* raw = nullptr;
    int rc = git_commit_lookup(&raw, repo_.get(), &oid);
    if (rc != 0) {
        return fail(libgit2_error(rc, "unknown revision"));
    }
    return CommitHandle(raw);
}

Result<CommitHandle> GitRepository::lookup_commit(std::string_view rev) {
    auto oid = resolve_oid(rev);
    RETURN_IF_ERROR(oid);
    return lookup_commit(*oid);
}

Result<TreeHandle> GitRepository::commit_tree(const git_commit* commit) {
    git_tree* raw = nullptr;
    int rc = git_commit_tree(&raw, commit);
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read the changeset's tree"));
    }
    return TreeHandle(raw);
}

namespace {

Signature signature_of(const git_signature* sig) {
    Signature out;
    if (sig) {
        out.name = to_valid_utf8(sig->name ? sig->name : "");
        out.email = to_valid_utf8(sig->email ? sig->email : "");
        out.time = sig->when.time;
        out.offset_minutes = sig->when.offset;
    }
    return out;
}

}  // namespace

ChangesetInfo GitRepository::info_of(const git_commit* commit) {
    ChangesetInfo info;
    info.id = oid_hex(*git_commit_id(commit));
    info.short_id = info.id.substr(0, 12);
    unsigned n = git_commit_parentcount(commit);
    info.parents.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
        info.parents.push_back(oid_hex(*git_commit_parent_id(commit, i)));
    }
    info.author = signature_of(git_commit_author(commit));
    info.committer = signature_of(git_commit_committer(commit));
    const char* message = git_commit_message(commit);
    info.message = to_valid_utf8(message ? message : "");
    while (!info.message.empty() && (info.message.back() == '\n' || info.message.back() == '\r')) {
        info.message.pop_back();
    }
    auto index = ref_index();
    if (index) {
        auto it = (*index)->by_target.find(info.id);
        if (it != (*index)->by_target.end()) {
            for (size_t i : it->second) {
                const Ref& ref = (*index)->refs[i];
                (ref.kind == RefKind::branch ? info.branches : info.tags).push_back(ref.name);
            }
        }
    }
    return info;
}

Result<ChangesetInfo> GitRepository::info_of(const git_oid& oid) {
    auto commit = lookup_commit(oid);
    RETURN_IF_ERROR(commit);
    return info_of(commit->get());
}

Result<ChangesetInfo> GitRepository::changeset(std::string_view rev) {
    auto commit = lookup_commit(rev);
    RETURN_IF_ERROR(commit);
    return info_of(commit->get());
}

Result<uint64_t> GitRepository::size_on_disk() {
    std::error_code ec;
    uint64_t total = 0;
    auto options = std::filesystem::directory_options::skip_permission_denied;
    for (std::filesystem::recursive_directory_iterator it(path_, options, ec), end;
         !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && !it->is_symlink(ec)) {
            total += it->file_size(ec);
        }
    }
    if (ec) {
        return fail(Errc::io, "cannot measure the repository size", ec.message());
    }
    return total;
}

}  // namespace kallithea::vcs::git
