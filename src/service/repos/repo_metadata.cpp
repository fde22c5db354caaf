// `repositories.changeset_cache` (Kallithea's JSON of the newest changeset) and the browsing
// indexes, refreshed after pushes through us and by `kallithea repo-update-metadata` for changes
// that bypassed the server.
#include "service/repos/repo_metadata.hpp"

#include <optional>
#include <set>
#include <string>

#include "core/log.hpp"
#include "core/time.hpp"
#include "db/pool.hpp"
#include "store/repos/repositories.hpp"
#include "store/ui.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

// A JSON string as Python's json.dumps writes it (ensure_ascii): non-ASCII as \uXXXX escapes
// (surrogate pairs above U+FFFF), lower-case hex. Input is valid UTF-8.
void append_json_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    auto escape_unit = [&out](uint32_t unit) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4)
            out += kHex[(unit >> shift) & 0xF];
    };
    out += '"';
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            switch (c) {
                case '"':
                    out += "\\\"";
                    continue;
                case '\\':
                    out += "\\\\";
                    continue;
                case '\n':
                    out += "\\n";
                    continue;
                case '\r':
                    out += "\\r";
                    continue;
                case '\t':
                    out += "\\t";
                    continue;
                case '\b':
                    out += "\\b";
                    continue;
                case '\f':
                    out += "\\f";
                    continue;
                default:
                    break;
            }
            if (c < 0x20 || c == 0x7F)
                escape_unit(c);
            else
                out += static_cast<char>(c);
            continue;
        }
        const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        uint32_t cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
        for (size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            escape_unit(0xD800 + (cp >> 10));
            escape_unit(0xDC00 + (cp & 0x3FF));
        } else {
            escape_unit(cp);
        }
    }
    out += '"';
}

// Kallithea's changeset dates: the committer time as a naive datetime, ISO format. Kallithea
// (and this code before) used the server's local time zone; this is UTC, whatever TZ says.
std::string utc_iso_time(int64_t seconds) {
    return timefmt::CivilTime::from_unix(seconds).iso8601();
}

// BaseChangeset.__json__() through Kallithea's json.dumps, keys in its order.
std::string changeset_json(const std::string& short_id, const std::string& raw_id, int64_t revision,
                           const std::string& message, const std::string& date,
                           const std::string& author) {
    std::string out = "{\"short_id\": ";
    append_json_string(out, short_id);
    out += ", \"raw_id\": ";
    append_json_string(out, raw_id);
    out += ", \"revision\": " + std::to_string(revision) + ", \"message\": ";
    append_json_string(out, message);
    out += ", \"date\": ";
    append_json_string(out, date);
    out += ", \"author\": ";
    append_json_string(out, author);
    out += "}";
    return out;
}

// The newest changeset over all branches and tags (Kallithea: the last of `git rev-list --all
// --reverse --date-order`), its revision being its index in that list; EmptyChangeset for an
// empty repository.
Result<std::string> changeset_cache_json(vcs::Repository& repo) {
    auto refs = repo.refs();
    RETURN_IF_ERROR(refs);
    std::set<std::string> targets;
    for (const auto& ref : *refs)
        targets.insert(ref.target);
    vcs::LogQuery query;
    query.start.assign(targets.begin(), targets.end());
    std::vector<vcs::ChangesetInfo> newest;
    if (!query.start.empty()) {
        query.limit = 1;
        auto log = repo.log(query);
        RETURN_IF_ERROR(log);
        newest = std::move(*log);
    }
    if (newest.empty())
        return changeset_json(std::string(12, '0'), std::string(40, '0'), -1, "", utc_iso_time(0),
                              "");
    query.limit = 0;
    auto count = repo.count(query);
    RETURN_IF_ERROR(count);
    const vcs::ChangesetInfo& tip = newest.front();
    return changeset_json(tip.short_id, tip.id, static_cast<int64_t>(*count) - 1, tip.message,
                          utc_iso_time(tip.committer.time), tip.author.full());
}

struct RepoLocation {
    store::RepoRow row;
    std::string path;
};

Result<RepoLocation> locate(App& app, std::string_view repo_name) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto row = store::Repositories(*conn).by_name(repo_name);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository not found", std::string(repo_name));
    auto root = store::Ui(*conn).repo_root();
    RETURN_IF_ERROR(root);
    std::string path = *root + "/" + (*row)->repo_name;
    return RepoLocation{std::move(**row), std::move(path)};
}

}  // namespace

Status update_repository_metadata(App& app, std::string_view repo_name) {
    auto location = locate(app, repo_name);
    RETURN_IF_ERROR(location);
    auto repo = vcs::Repository::open(location->path);
    RETURN_IF_ERROR(repo);
    auto json = changeset_cache_json(**repo);
    RETURN_IF_ERROR(json);
    if (location->row.changeset_cache != *json) {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        auto stored = store::Repositories(*conn).set_changeset_cache(location->row.repo_id, *json);
        RETURN_IF_ERROR(stored);
    }
    // Concurrent pushes race for the commit-graph lock; the loser's graph is written next time.
    if (auto indexed = (*repo)->update_indexes(); !indexed) {
        const std::string& detail = indexed.error().detail;
        log::warn("{}: cannot refresh the commit-graph: {} ({})", location->row.repo_name,
                  indexed.error().message, detail.substr(0, detail.find('\n')));
    }
    return ok();
}

}  // namespace kallithea::service
