// The file pages' use cases: open the repository, resolve the revision, then read trees, blobs,
// blame and history through the vcs interface (archives and refs are in files_archive.cpp).
#include "service/files/files.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <utility>

#include "core/log.hpp"
#include "service/files/files_internal.hpp"
#include "service/history/last_change_cache.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace files_internal {

std::string clean_path(std::string_view path) {
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    return std::string(path);
}

Result<std::unique_ptr<vcs::Repository>> open_vcs(const RepoInfo& repo) {
    auto opened = open_repository(repo);
    if (!opened && opened.error().code == Errc::not_found)
        return fail(Errc::not_found, "The repository is missing on disk",
                    opened.error().message + ": " + opened.error().detail);
    return opened;
}

bool lookup_failed(const Error& error) {
    return error.code == Errc::not_found || error.code == Errc::invalid_argument;
}

Result<RevisionContext> revision_context(vcs::Repository& vcs, std::string_view rev) {
    RevisionContext at;
    at.rev = rev.empty() ? "tip" : std::string(rev);
    auto changeset = vcs.changeset(at.rev);
    if (!changeset) {
        if (lookup_failed(changeset.error()))
            return fail(Errc::not_found, std::string(kNoSuchRevision),
                        changeset.error().message + " " + changeset.error().detail);
        return fail(std::move(changeset.error()));
    }
    at.changeset = std::move(*changeset);
    auto refs = vcs.refs();
    RETURN_IF_ERROR(refs);
    at.refs = std::move(*refs);
    return at;
}

Error path_not_found(std::string_view path, const vcs::ChangesetInfo& changeset) {
    return Error{Errc::not_found,
                 "There is no file nor directory at the given path: '" + std::string(path) +
                     "' at revision " + changeset.short_id,
                 {}};
}

}  // namespace files_internal

namespace {

using namespace files_internal;

constexpr uint64_t kFullDisplayCap = 4 * 1024 * 1024;
constexpr size_t kLastChangeMaxCommits = 250'000;
constexpr size_t kMaxPageSize = 2000;
constexpr uint64_t kRawProbeBytes = 8000;

uint64_t display_limit(App& app, bool full) {
    const int64_t cut_off = app.config().cut_off_limit;
    if (full || cut_off <= 0)
        return kFullDisplayCap;
    return std::min<uint64_t>(static_cast<uint64_t>(cut_off), kFullDisplayCap);
}

std::string parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Last changes of a directory's entries, from the shared cache or one history walk. Lists the
// directory itself when `entries` is null and the cache has nothing.
Result<std::shared_ptr<const LastChanges>> dir_last_changes(
    vcs::Repository& vcs, const RepoInfo& repo, const std::string& commit_id,
    const std::string& dir, const std::vector<vcs::NodeEntry>* entries) {
    LastChangeCache& cache = LastChangeCache::shared();
    const std::string key = LastChangeCache::key(repo.path, commit_id, dir);
    using Made = std::pair<std::shared_ptr<const LastChanges>, size_t>;
    return cache.find_or_make(key, [&]() -> Result<Made> {
        std::vector<vcs::NodeEntry> listed;
        if (!entries) {
            auto listing = vcs.list_dir(commit_id, dir);
            RETURN_IF_ERROR(listing);
            listed = std::move(*listing);
            entries = &listed;
        }
        std::vector<std::string> names;
        names.reserve(entries->size());
        for (const auto& entry : *entries)
            names.push_back(entry.name);
        auto found = vcs.last_changes(commit_id, dir, names, kLastChangeMaxCommits);
        RETURN_IF_ERROR(found);
        auto value = std::make_shared<LastChanges>();
        std::map<std::string, ChangesetRef> shared_by_id;
        for (auto& [name, changeset] : *found) {
            ChangesetRef& ref = shared_by_id[changeset.id];
            if (!ref)
                ref = std::make_shared<const vcs::ChangesetInfo>(std::move(changeset));
            value->emplace(name, ref);
        }
        const size_t bytes = LastChangeCache::estimate_bytes(*value);
        return Made(std::move(value), bytes);
    });
}

// True when text is valid UTF-8 (no overlong forms, surrogates or code points over U+10FFFF);
// checks eight ASCII bytes at a time, so the common case costs little.
bool is_valid_utf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const unsigned char* end = p + text.size();
    while (p < end) {
        if (end - p >= 8) {
            uint64_t word = 0;
            std::memcpy(&word, p, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                p += 8;
                continue;
            }
        }
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        size_t len = 0;
        uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p < static_cast<ptrdiff_t>(len))
            return false;
        for (size_t k = 1; k < len; ++k) {
            if ((p[k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += len;
    }
    return true;
}

// Text for display: the bytes as they are when valid UTF-8, else with U+FFFD for invalid bytes.
std::string display_text(std::string&& data) {
    if (is_valid_utf8(data))
        return std::move(data);
    return vcs::to_valid_utf8(data);
}

// Reads a file for display: the first `limit` bytes, shown when the whole file fits.
Result<FileSource> read_source(vcs::Repository& vcs, const std::string& commit_id,
                               const std::string& path, uint64_t limit, bool with_text) {
    auto content = vcs.read_file(commit_id, path, limit);
    RETURN_IF_ERROR(content);
    FileSource source;
    source.size = content->size;
    source.binary = content->binary;
    source.executable = content->executable;
    source.symlink = content->symlink;
    source.image = !content->symlink && raw_inline_image(path);
    source.too_large = !content->symlink && content->size > limit;
    source.can_show_full = source.too_large && content->size <= kFullDisplayCap;
    source.language = highlight_language(path);
    if (content->symlink)
        source.text = display_text(std::move(content->data));
    else if (with_text && !source.binary && !source.too_large && !source.image)
        source.text = display_text(std::move(content->data));
    return source;
}

// The last change of one entry, through its directory's cached last changes; null when unknown.
ChangesetRef entry_last_change(vcs::Repository& vcs, const RepoInfo& repo,
                               const std::string& commit_id, const std::string& path) {
    auto changes = dir_last_changes(vcs, repo, commit_id, parent_of(path), nullptr);
    if (!changes) {
        log::warn("last change of {} in {}: {} ({})", path, repo.name, changes.error().message,
                  changes.error().detail);
        return nullptr;
    }
    auto it = (*changes)->find(base_of(path));
    return it == (*changes)->end() ? nullptr : it->second;
}

Status fill_directory(vcs::Repository& vcs, const RepoInfo& repo, FilesPage& page) {
    const std::string& id = page.at.changeset.id;
    auto listing = vcs.list_dir(id, page.path);
    RETURN_IF_ERROR(listing);
    auto changes = dir_last_changes(vcs, repo, id, page.path, &*listing);
    if (!changes)
        log::warn("last changes of {}/{}: {} ({})", repo.name, page.path, changes.error().message,
                  changes.error().detail);
    page.entries.reserve(listing->size());
    for (auto& node : *listing) {
        DirEntry entry;
        if (changes) {
            if (auto it = (*changes)->find(node.name); it != (*changes)->end())
                entry.last_change = it->second;
        }
        entry.node = std::move(node);
        page.entries.push_back(std::move(entry));
    }
    return ok();
}

Status fill_submodule(vcs::Repository& vcs, FilesPage& page) {
    auto listing = vcs.list_dir(page.at.changeset.id, parent_of(page.path));
    RETURN_IF_ERROR(listing);
    const std::string name = base_of(page.path);
    for (const auto& entry : *listing)
        if (entry.name == name)
            page.submodule_url = entry.submodule_url;
    return ok();
}

}  // namespace

Result<FilesPage> browse_files(App& app, const RepoInfo& repo, std::string_view rev,
                               std::string_view path, bool full) {
    auto vcs = open_vcs(repo);
    RETURN_IF_ERROR(vcs);
    FilesPage page;
    page.path = clean_path(path);
    auto empty = (*vcs)->is_empty();
    RETURN_IF_ERROR(empty);
    if (*empty) {
        if (!page.path.empty())
            return fail(Errc::not_found, "There are no files yet");
        page.at.rev = rev.empty() ? "tip" : std::string(rev);
        page.empty_repository = true;
        return page;
    }
    auto at = revision_context(**vcs, rev);
    RETURN_IF_ERROR(at);
    page.at = std::move(*at);
    const std::string& id = page.at.changeset.id;
    auto kind = (*vcs)->node_kind(id, page.path);
    if (!kind)
        return lookup_failed(kind.error()) ? fail(path_not_found(page.path, page.at.changeset))
                                           : fail(std::move(kind.error()));
    page.kind = *kind;
    Status filled;
    switch (page.kind) {
        case vcs::NodeKind::dir:
            filled = fill_directory(**vcs, repo, page);
            break;
        case vcs::NodeKind::submodule:
            filled = fill_submodule(**vcs, page);
            break;
        case vcs::NodeKind::file:
        case vcs::NodeKind::symlink: {
            auto source = read_source(**vcs, id, page.path, display_limit(app, full), true);
            RETURN_IF_ERROR(source);
            page.file = std::move(*source);
            page.last_change = entry_last_change(**vcs, repo, id, page.path);
            break;
        }
    }
    RETURN_IF_ERROR(filled);
    return page;
}

Result<RawFile> open_raw_file(const RepoInfo& repo, std::string_view rev, std::string_view path) {
    auto vcs = open_vcs(repo);
    RETURN_IF_ERROR(vcs);
    auto changeset = (*vcs)->changeset(rev.empty() ? std::string_view("tip") : rev);
    if (!changeset)
        return lookup_failed(changeset.error())
                   ? fail(Errc::not_found, std::string(kNoSuchRevision), changeset.error().message)
                   : fail(std::move(changeset.error()));
    const std::string file_path = clean_path(path);
    auto kind = (*vcs)->node_kind(changeset->id, file_path);
    if (!kind)
        return lookup_failed(kind.error()) ? fail(path_not_found(file_path, *changeset))
                                           : fail(std::move(kind.error()));
    if (*kind != vcs::NodeKind::file && *kind != vcs::NodeKind::symlink)
        return fail(Errc::not_found, "'" + file_path + "' is not a file");
    auto head = (*vcs)->read_file(changeset->id, file_path, kRawProbeBytes);
    RETURN_IF_ERROR(head);
    RawFile raw;
    raw.name = base_of(file_path);
    raw.commit_id = changeset->id;
    raw.size = head->size;
    raw.binary = head->binary;
    if (!head->truncated) {
        raw.stream = [data = std::move(head->data)](const vcs::ByteSink& sink) -> Status {
            if (!data.empty())
                sink(data);
            return ok();
        };
    } else {
        std::shared_ptr<vcs::Repository> shared(std::move(*vcs));
        raw.stream = [shared, id = raw.commit_id, file_path](const vcs::ByteSink& sink) {
            return shared->stream_file(id, file_path, sink);
        };
    }
    return raw;
}

Result<AnnotatePage> annotate_file(App& app, const RepoInfo& repo, std::string_view rev,
                                   std::string_view path, bool full) {
    auto vcs = open_vcs(repo);
    RETURN_IF_ERROR(vcs);
    auto at = revision_context(**vcs, rev);
    RETURN_IF_ERROR(at);
    AnnotatePage page;
    page.at = std::move(*at);
    page.path = clean_path(path);
    const std::string& id = page.at.changeset.id;
    auto kind = (*vcs)->node_kind(id, page.path);
    if (!kind)
        return lookup_failed(kind.error()) ? fail(path_not_found(page.path, page.at.changeset))
                                           : fail(std::move(kind.error()));
    if (*kind != vcs::NodeKind::file && *kind != vcs::NodeKind::symlink)
        return fail(Errc::not_found, "'" + page.path + "' is not a file");
    auto source = read_source(**vcs, id, page.path, display_limit(app, full), false);
    RETURN_IF_ERROR(source);
    page.file = std::move(*source);
    if (page.file.binary || page.file.too_large || page.file.image)
        return page;
    auto blame = (*vcs)->blame(id, page.path);
    RETURN_IF_ERROR(blame);
    std::map<std::string, ChangesetRef> changesets;
    page.lines.reserve(blame->size());
    for (auto& line : *blame) {
        ChangesetRef& ref = changesets[line.changeset_id];
        if (!ref) {
            auto changeset = (*vcs)->changeset(line.changeset_id);
            RETURN_IF_ERROR(changeset);
            ref = std::make_shared<const vcs::ChangesetInfo>(std::move(*changeset));
        }
        page.lines.push_back(AnnotatedLine{line.line_no, vcs::to_valid_utf8(line.text), ref});
    }
    return page;
}

Result<FileHistoryPage> file_history(const RepoInfo& repo, std::string_view rev,
                                     std::string_view path, size_t page_no, size_t size) {
    auto vcs = open_vcs(repo);
    RETURN_IF_ERROR(vcs);
    auto at = revision_context(**vcs, rev);
    RETURN_IF_ERROR(at);
    FileHistoryPage page;
    page.at = std::move(*at);
    page.path = clean_path(path);
    page.page = std::max<size_t>(page_no, 1);
    page.size = std::clamp<size_t>(size, 1, kMaxPageSize);
    auto kind = (*vcs)->node_kind(page.at.changeset.id, page.path);
    if (!kind)
        return lookup_failed(kind.error()) ? fail(path_not_found(page.path, page.at.changeset))
                                           : fail(std::move(kind.error()));
    page.kind = *kind;
    vcs::LogQuery query;
    query.start = {page.at.changeset.id};
    query.path = page.path;
    query.skip = (page.page - 1) * page.size;
    query.limit = page.size + 1;
    auto log = (*vcs)->log(query);
    RETURN_IF_ERROR(log);
    page.has_more = log->size() > page.size;
    if (page.has_more)
        log->resize(page.size);
    page.changesets = std::move(*log);
    return page;
}

}  // namespace kallithea::service
