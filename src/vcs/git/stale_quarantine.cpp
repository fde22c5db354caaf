// Removing receive-pack quarantine directories that no running push can own any more.
#include "vcs/git/stale_quarantine.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

namespace kallithea::vcs::git {
namespace {

namespace fs = std::filesystem;

// The newest modification time of dir and everything below it; nullopt when it cannot be read.
std::optional<fs::file_time_type> newest_write(const fs::path& dir) {
    std::error_code ec;
    auto newest = fs::last_write_time(dir, ec);
    if (ec)
        return std::nullopt;
    fs::recursive_directory_iterator it(dir, ec), end;
    if (ec)
        return std::nullopt;
    for (; it != end; it.increment(ec)) {
        if (ec)
            return std::nullopt;
        const auto when = fs::last_write_time(it->path(), ec);
        if (ec)
            return std::nullopt;
        newest = std::max(newest, when);
    }
    return newest;
}

}  // namespace

Result<std::vector<std::string>> remove_stale_quarantines(const std::string& git_dir,
                                                          std::chrono::seconds idle) {
    std::vector<std::string> removed;
    const fs::path objects = fs::path(git_dir) / "objects";
    std::error_code ec;
    fs::directory_iterator it(objects, ec);
    if (ec)
        return removed;  // no objects directory: nothing of ours to clean
    const auto cutoff = fs::file_time_type::clock::now() - idle;
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with("tmp_objdir-incoming-") || entry.is_symlink(ec) ||
            !entry.is_directory(ec))
            continue;
        const auto newest = newest_write(entry.path());
        if (!newest || *newest > cutoff)
            continue;  // in use, or unreadable: leave it
        fs::remove_all(entry.path(), ec);
        if (ec)
            return fail(Errc::io, "cannot remove a stale push quarantine",
                        entry.path().string() + ": " + ec.message());
        removed.push_back(name);
    }
    return removed;
}

}  // namespace kallithea::vcs::git
