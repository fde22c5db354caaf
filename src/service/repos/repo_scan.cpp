// repo-scan (repositories on disk -> database rows) and deleted-repository backups
// (service/repos/repos.hpp).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/text.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/repos/repo_access.hpp"
#include "service/repos/repo_creation.hpp"
#include "service/repos/repo_metadata.hpp"
#include "service/repos/repo_names.hpp"
#include "service/repos/repos.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/ui.hpp"
#include "vcs/backend.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 32;

bool hidden(const std::string& name) {
    return name.empty() || name.front() == '.';
}

// Repositories below root/rel: full name -> type (sorted). Non-repository directories are
// descended into (they are groups); repositories are not.
void find_repositories(const fs::path& root, const std::string& rel, int depth,
                       std::map<std::string, std::string>& found,
                       std::vector<std::string>& skipped) {
    std::error_code ec;
    fs::directory_iterator it(rel.empty() ? root : root / rel, ec);
    if (ec) {
        skipped.push_back(fmt::format("{}: cannot be read ({})", rel, ec.message()));
        return;
    }
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        if (hidden(name) || is_removed_backup(name) || !entry.is_directory(ec))
            continue;
        const std::string full = rel.empty() ? name : rel + "/" + name;
        if (fs::is_directory(entry.path() / ".git", ec)) {
            skipped.push_back(full + ": a Git working copy (only bare repositories are served)");
            continue;
        }
        if (auto type = vcs::detect_repository_type(entry.path().string())) {
            found.emplace(full, *type);
            continue;
        }
        if (entry.is_symlink(ec) || depth >= kMaxDepth)
            continue;
        find_repositories(root, full, depth + 1, found, skipped);
    }
}

// The Git `description` file, unless it is git's placeholder; else "<name> repository".
std::string description_of(const fs::path& dir, const std::string& name) {
    std::ifstream in(dir / "description");
    std::string text(4096, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    text = std::string(text::trim(text, " \t\r\n"));
    if (text.empty() || text.starts_with("Unnamed repository;"))
        return name + " repository";
    return text;
}

// One repository found on disk: the rows (and groups) it needs, in its own transaction.
Status add_found_repository(db::Connection& conn, const fs::path& root, const std::string& name,
                            const std::string& type) {
    auto tx = db::Transaction::begin(conn);
    RETURN_IF_ERROR(tx);
    auto defaults = detail::load_repo_defaults(conn);
    auto grants = detail::load_default_grants(conn);
    auto owner = detail::first_admin(conn);
    if (!defaults || !grants || !owner)
        return fail(!defaults ? defaults.error() : !grants ? grants.error() : owner.error());
    if (auto group = store::RepoGroups(conn).by_name_ci(name); !group || *group)
        return group ? fail(Errc::conflict, "a repository group has that name")
                     : fail(std::move(group.error()));
    auto parent = detail::ensure_parent_groups(conn, name, owner->user_id, *grants, nullptr);
    RETURN_IF_ERROR(parent);
    detail::RepoRowsSpec spec;
    spec.row.repo_name = name;
    spec.row.repo_type = type;
    spec.row.owner_id = owner->user_id;
    spec.row.is_private = defaults->is_private;
    spec.row.downloads = defaults->downloads;
    spec.row.statistics = defaults->statistics;
    spec.row.description = description_of(root / name, name);
    spec.row.group_id = *parent;
    spec.owner_username = owner->username;
    spec.journal_created = false;
    RETURN_IF_ERROR(detail::insert_repository_rows(conn, spec, *grants));
    return tx->commit();
}

// Why a repository found on disk cannot get a row, or nullopt when it can.
Result<std::optional<std::string>> refusal(db::Connection& conn, const std::string& name) {
    if (auto st = check_repo_path(name); !st)
        return std::optional<std::string>(st.error().message);
    auto clash = store::Repositories(conn).by_name_ci(name);
    RETURN_IF_ERROR(clash);
    if (*clash)
        return std::optional<std::string>(
            fmt::format("clashes with repository {} (letter case)", (*clash)->repo_name));
    return std::optional<std::string>();
}

Status remove_missing_repository(db::Connection& conn, const std::string& name) {
    auto tx = db::Transaction::begin(conn);
    RETURN_IF_ERROR(tx);
    store::Repositories repos(conn);
    auto row = repos.by_name(name);
    RETURN_IF_ERROR(row);
    if (!*row)
        return ok();
    if (auto st = repos.detach_forks((*row)->repo_id); !st)
        return st;
    if (auto st = repos.remove((*row)->repo_id); !st)
        return st;
    return tx->commit();
}

// Adds rows for repositories found on disk that have none (summary.added / skipped).
Status add_found(db::Connection& conn, const fs::path& root,
                 const std::map<std::string, std::string>& found, ScanSummary& summary) {
    store::Repositories repos(conn);
    for (const auto& [name, type] : found) {
        auto existing = repos.by_name(name);
        RETURN_IF_ERROR(existing);
        if (*existing)
            continue;
        auto why = refusal(conn, name);
        RETURN_IF_ERROR(why);
        Status added = *why ? fail(Errc::invalid_argument, **why)
                            : add_found_repository(conn, root, name, type);
        if (!added) {
            if (added.error().code == Errc::database || added.error().code == Errc::unavailable)
                return fail(std::move(added.error()));
            summary.skipped.push_back(fmt::format("{}: {}", name, added.error().message));
            continue;
        }
        log::info("repo-scan: added repository {} ({})", name, type);
        summary.added.push_back(name);
    }
    return ok();
}

// Rows whose directory is no repository any more; removed when `remove`.
Status handle_missing(db::Connection& conn, const fs::path& root, bool remove,
                      ScanSummary& summary) {
    auto names = store::Repositories(conn).all_names();
    RETURN_IF_ERROR(names);
    for (const auto& name : *names) {
        if (vcs::detect_repository_type((root / name).string()))
            continue;
        if (!remove) {
            summary.missing.push_back(name);
            continue;
        }
        if (auto st = remove_missing_repository(conn, name); !st)
            return st;
        log::info("repo-scan: removed repository {} (its directory is gone)", name);
        summary.removed.push_back(name);
    }
    return ok();
}

// Adoption of a Kallithea installation: its own Git hooks go (vcs::RepositoryInit::adopt).
void retire_hooks(const fs::path& root, const std::map<std::string, std::string>& found,
                  ScanSummary& summary) {
    for (const auto& [name, type] : found) {
        auto backend = vcs::backend_for(type);
        if (!backend)
            continue;
        auto retired = (*backend)->adopt((root / name).string());
        if (!retired) {
            summary.skipped.push_back(
                fmt::format("{}: {} ({})", name, retired.error().message, retired.error().detail));
            continue;
        }
        for (const auto& hook : *retired) {
            log::info("repo-scan: {}: retired Kallithea's {} hook", name, hook);
            summary.hooks_retired.push_back(name + ": " + hook);
        }
    }
}

}  // namespace

Result<ScanSummary> scan_repositories(App& app, bool remove_missing) {
    ScanSummary summary;
    {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        auto root_text = store::Ui(*conn).repo_root();
        RETURN_IF_ERROR(root_text);
        const fs::path root = *root_text;
        std::error_code ec;
        if (!fs::is_directory(root, ec))
            return fail(Errc::config,
                        fmt::format("the repository root {} is not a directory", root.string()));
        std::map<std::string, std::string> found;
        find_repositories(root, "", 0, found, summary.skipped);
        retire_hooks(root, found, summary);
        RETURN_IF_ERROR(add_found(*conn, root, found, summary));
        RETURN_IF_ERROR(handle_missing(*conn, root, remove_missing, summary));
    }
    // After the connection went back to the pool: the metadata update borrows its own.
    for (const auto& name : summary.added)
        if (auto st = update_repository_metadata(app, name); !st)
            log::warn("repo-scan: {}: metadata update failed: {} ({})", name, st.error().message,
                      st.error().detail);
    return summary;
}

Result<std::vector<std::string>> all_repository_names(App& app) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::Repositories(*conn).all_names();
}

namespace {

void find_backups(const fs::path& dir, int depth, std::vector<RemovedBackup>& out) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec)
        return;
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory(ec) || entry.is_symlink(ec))
            continue;
        if (is_removed_backup(name)) {
            out.push_back({entry.path().string(), removed_backup_time(name).value_or(
                                                      std::chrono::system_clock::time_point{})});
            continue;
        }
        if (hidden(name) || depth >= kMaxDepth ||
            vcs::detect_repository_type(entry.path().string()))
            continue;
        find_backups(entry.path(), depth + 1, out);
    }
}

}  // namespace

Result<std::vector<RemovedBackup>> find_removed_backups(App& app, std::chrono::seconds older_than) {
    auto root = repository_root(app);
    RETURN_IF_ERROR(root);
    std::vector<RemovedBackup> all;
    find_backups(fs::path(*root), 0, all);
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    if (older_than.count() <= 0)
        return all;
    const auto cutoff = std::chrono::system_clock::now() - older_than;
    std::vector<RemovedBackup> out;
    for (auto& backup : all)
        if (backup.deleted != std::chrono::system_clock::time_point{} && backup.deleted <= cutoff)
            out.push_back(std::move(backup));
    return out;
}

Status purge_removed_backup(App& app, const std::string& path) {
    auto root = repository_root(app);
    RETURN_IF_ERROR(root);
    std::error_code ec;
    const fs::path target = fs::weakly_canonical(path, ec);
    const fs::path base = fs::weakly_canonical(*root, ec);
    const auto rel = target.lexically_relative(base);
    if (ec || rel.empty() || rel.begin()->string() == ".." ||
        !is_removed_backup(target.filename().string()))
        return fail(
            Errc::invalid_argument,
            fmt::format("{} is not a deleted-repository backup in the repository root", path));
    fs::remove_all(target, ec);
    if (ec)
        return fail(Errc::io, fmt::format("cannot remove {}: {}", path, ec.message()));
    return ok();
}

}  // namespace kallithea::service
