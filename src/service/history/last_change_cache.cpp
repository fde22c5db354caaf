// Bounded LRU of per-directory last changes (see last_change_cache.hpp).
#include "service/history/last_change_cache.hpp"

#include <unordered_set>

namespace kallithea::service {
namespace {

constexpr size_t kSharedBudgetBytes = 64 * 1024 * 1024;
constexpr size_t kEntryOverhead = 128;
constexpr size_t kChangesetOverhead = 256;

}  // namespace

LastChangeCache& LastChangeCache::shared() {
    static LastChangeCache cache(kSharedBudgetBytes);
    return cache;
}

std::string LastChangeCache::key(std::string_view repo_path, std::string_view commit_id,
                                 std::string_view dir) {
    std::string out;
    out.reserve(repo_path.size() + commit_id.size() + dir.size() + 2);
    out.append(repo_path).push_back('\0');
    out.append(commit_id).push_back('\0');
    out.append(dir);
    return out;
}

size_t LastChangeCache::estimate_bytes(const LastChanges& value) {
    size_t bytes = 0;
    std::unordered_set<const vcs::ChangesetInfo*> seen;
    for (const auto& [name, changeset] : value) {
        bytes += name.size() + kEntryOverhead;
        if (!changeset || !seen.insert(changeset.get()).second)
            continue;
        bytes += kChangesetOverhead + changeset->message.size() + changeset->author.name.size() +
                 changeset->author.email.size() + changeset->committer.name.size() +
                 changeset->committer.email.size() + 41 * changeset->parents.size();
        for (const auto* names : {&changeset->branches, &changeset->tags, &changeset->bookmarks})
            for (const auto& n : *names)
                bytes += n.size() + 32;
    }
    return bytes;
}

}  // namespace kallithea::service
