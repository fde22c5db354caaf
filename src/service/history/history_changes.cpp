// History use cases, part 2: changelog pages, changesets (single or a...b ranges) with their
// diffs, raw diffs and format-patch output, parents and children.
#include <algorithm>
#include <cctype>
#include <memory>

#include "core/lru_cache.hpp"
#include "service/history/history.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

using RepoPtr = std::unique_ptr<vcs::Repository>;

constexpr size_t kDiffCacheBytes = 32 * 1024 * 1024;

// Number of diff bytes a page may show: cut_off_limit, or the ceiling for ?fulldiff=1.
size_t diff_budget(App& app, const DiffRequest& request) {
    const int64_t limit = app.config().cut_off_limit;
    if (request.full || limit <= 0)
        return kFullDiffCeiling;
    return std::min<size_t>(static_cast<size_t>(limit), kFullDiffCeiling);
}

size_t patch_bytes(const vcs::Diff& diff) {
    size_t n = 0;
    for (const auto& file : diff.files)
        n += file.patch.size();
    return n;
}

struct RevSpec {
    std::string a;
    std::string b;
    bool range = false;
};

// "a...b" is a range (Kallithea splits at the first two "..."), anything else one revision.
RevSpec parse_rev_spec(std::string_view spec) {
    RevSpec out;
    const auto dots = spec.find("...");
    if (dots == std::string_view::npos) {
        out.a = std::string(spec);
        return out;
    }
    out.range = true;
    out.a = std::string(spec.substr(0, dots));
    std::string_view rest = spec.substr(dots + 3);
    out.b = std::string(rest.substr(0, rest.find("...")));
    return out;
}

// The changesets of a spec, oldest first: one, or a and its descendants up to b (as `git log
// a^..b`), at most kMaxRangeChangesets (the newest).
Result<std::vector<vcs::ChangesetInfo>> spec_changesets(vcs::Repository& r, const RevSpec& spec,
                                                        bool& truncated) {
    auto first = r.changeset(spec.a);
    RETURN_IF_ERROR(first);
    if (!spec.range)
        return std::vector<vcs::ChangesetInfo>{std::move(*first)};
    auto last = r.resolve(spec.b);
    RETURN_IF_ERROR(last);
    auto related = r.is_ancestor(first->id, *last);
    RETURN_IF_ERROR(related);
    if (!*related)
        return fail(Errc::not_found, "that changeset range is empty");
    vcs::LogQuery query;
    query.start.push_back(*last);
    query.hide = first->parents;
    query.limit = kMaxRangeChangesets + 1;
    auto list = r.log(query);
    RETURN_IF_ERROR(list);
    truncated = list->size() > kMaxRangeChangesets;
    if (truncated)
        list->resize(kMaxRangeChangesets);
    std::reverse(list->begin(), list->end());
    return list;
}

// Diffs of changesets against their first parents, by repository, changeset id and options: a
// changeset never changes, so entries are only evicted.
LruCache<vcs::Diff>& diff_cache() {
    static LruCache<vcs::Diff> cache(kDiffCacheBytes);
    return cache;
}

size_t diff_bytes(const vcs::Diff& diff) {
    size_t n = sizeof diff;
    for (const auto& file : diff.files)
        n += sizeof file + file.patch.size() + file.old_path.size() + file.new_path.size();
    return n;
}

// r.diff("", id, options) through diff_cache() (shared, never copied); id must be a full
// changeset id for the cache to be used.
Result<std::shared_ptr<const vcs::Diff>> cached_diff(vcs::Repository& r, const std::string& id,
                                                     const vcs::DiffOptions& options) {
    std::string key = r.path();
    key += '\0';
    key += id;
    for (const size_t n :
         {static_cast<size_t>(options.context_lines), options.cut_off_bytes,
          static_cast<size_t>(options.ignore_whitespace),
          static_cast<size_t>(options.binary_patches), static_cast<size_t>(options.names_only),
          static_cast<size_t>(options.detect_renames)}) {
        key += '\0';
        key += std::to_string(n);
    }
    if (!options.paths.empty() || id.size() != 40) {
        auto diff = r.diff("", id, options);
        RETURN_IF_ERROR(diff);
        return std::make_shared<const vcs::Diff>(std::move(*diff));
    }
    using Made = std::pair<std::shared_ptr<const vcs::Diff>, size_t>;
    auto diff = diff_cache().find_or_make(key, [&]() -> Result<Made> {
        auto made = r.diff("", id, options);
        RETURN_IF_ERROR(made);
        const size_t bytes = diff_bytes(*made);
        return Made(std::make_shared<const vcs::Diff>(std::move(*made)), bytes);
    });
    return diff;
}

// Diff of a changeset against its first parent within budget (bytes of patch left; updated).
Result<std::shared_ptr<const vcs::Diff>> budgeted_diff(vcs::Repository& r, const std::string& id,
                                                       const DiffRequest& request, size_t& budget,
                                                       bool binary_patches = false) {
    vcs::DiffOptions options;
    options.context_lines = std::clamp(request.context, 0, 10000);
    options.ignore_whitespace = request.ignore_whitespace;
    options.binary_patches = binary_patches;
    options.names_only = budget == 0;
    options.cut_off_bytes = budget;
    auto diff = cached_diff(r, id, options);
    RETURN_IF_ERROR(diff);
    if (budget == 0) {  // names only: every file is marked as left out (a changed copy)
        auto names = std::make_shared<vcs::Diff>(**diff);
        names->truncated = !names->files.empty();
        for (auto& file : names->files)
            file.too_large = true;
        return std::shared_ptr<const vcs::Diff>(std::move(names));
    }
    budget -= std::min(budget, patch_bytes(**diff));
    return diff;
}

Result<RepoPtr> open_nonempty(const RepoInfo& info) {
    auto repo = open_repository(info);
    RETURN_IF_ERROR(repo);
    auto empty = (*repo)->is_empty();
    RETURN_IF_ERROR(empty);
    if (*empty)
        return fail(Errc::not_found, "the repository has no changesets yet");
    return repo;
}

}  // namespace

Result<ChangelogPage> changelog_page(const RepoInfo& info, const ChangelogQuery& query) {
    ChangelogPage out;
    out.size = std::clamp<size_t>(query.size, 1, kChangelogMaxSize);
    out.page = std::clamp<size_t>(query.page, 1, kChangelogMaxPage);
    auto repo = open_repository(info);
    RETURN_IF_ERROR(repo);
    vcs::Repository& r = **repo;
    auto empty = r.is_empty();
    RETURN_IF_ERROR(empty);
    if (*empty) {
        out.empty_repo = true;
        return out;
    }
    auto branches = r.branches();
    RETURN_IF_ERROR(branches);
    for (const auto& ref : *branches)
        out.branches.push_back(ref.name);

    vcs::LogQuery log;
    log.path = query.path;
    std::string start = query.rev == "tip" ? std::string() : query.rev;
    if (!query.branch.empty())
        start = query.branch;
    if (!start.empty()) {
        auto id = r.resolve(start);
        RETURN_IF_ERROR(id);
        log.start.push_back(*id);
    }
    log.skip = (out.page - 1) * out.size;
    log.limit = out.size + 1;
    auto list = r.log(log);
    RETURN_IF_ERROR(list);
    out.has_next = list->size() > out.size;
    if (out.has_next)
        list->pop_back();
    out.changesets = std::move(*list);
    if (!query.path.empty()) {
        if (out.changesets.empty() && out.page == 1)
            return fail(Errc::not_found, "that path has no history");
    } else {
        out.graph = vcs::graph_layout(out.changesets);
    }
    return out;
}

Result<ChangesetFiles> changeset_files(const RepoInfo& info, std::string_view rev) {
    auto repo = open_nonempty(info);
    RETURN_IF_ERROR(repo);
    ChangesetFiles out;
    auto cs = (*repo)->changeset(rev);
    RETURN_IF_ERROR(cs);
    out.info = std::move(*cs);
    vcs::DiffOptions options;
    options.names_only = true;
    auto diff = (*repo)->diff("", out.info.id, options);
    RETURN_IF_ERROR(diff);
    out.diff = std::move(*diff);
    return out;
}

Result<ChangesetPage> changeset_page(App& app, const RepoInfo& info, std::string_view rev_spec,
                                     const DiffRequest& request, bool all_children) {
    auto repo = open_nonempty(info);
    RETURN_IF_ERROR(repo);
    vcs::Repository& r = **repo;
    const RevSpec spec = parse_rev_spec(rev_spec);
    ChangesetPage out;
    out.range = spec.range;
    auto list = spec_changesets(r, spec, out.range_truncated);
    RETURN_IF_ERROR(list);
    size_t budget = diff_budget(app, request);
    out.cut_off_limit = request.full ? 0 : budget;
    for (auto& cs : *list) {
        ChangesetDetail detail;
        auto diff = budgeted_diff(r, cs.id, request, budget);
        RETURN_IF_ERROR(diff);
        detail.diff = std::move(*diff);  // shared with the diff cache
        if (!spec.range) {
            auto children = r.children(cs.id, all_children ? SIZE_MAX : kChildrenWalkLimit);
            RETURN_IF_ERROR(children);
            detail.children = std::move(children->changesets);
            detail.children_complete = children->complete;
        }
        detail.info = std::move(cs);
        out.changesets.push_back(std::move(detail));
    }
    return out;
}

Result<std::string> changeset_raw_diff(const RepoInfo& info, std::string_view rev_spec,
                                       const DiffRequest& request) {
    auto repo = open_nonempty(info);
    RETURN_IF_ERROR(repo);
    bool truncated = false;
    auto list = spec_changesets(**repo, parse_rev_spec(rev_spec), truncated);
    RETURN_IF_ERROR(list);
    std::string out;
    size_t budget = kFullDiffCeiling;
    for (const auto& cs : *list) {
        auto diff = budgeted_diff(**repo, cs.id, request, budget, true);
        RETURN_IF_ERROR(diff);
        if ((*diff)->truncated)
            return fail(Errc::too_large, "the diff is too large to download");
        out += (*diff)->patch_text();
    }
    return out;
}

namespace {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// RFC 2047 "Q" encoding for mail headers with non-ASCII text, as git format-patch writes them.
std::string mail_header_text(std::string_view text) {
    if (is_ascii(text))
        return std::string(text);
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "=?UTF-8?q?";
    for (unsigned char c : text) {
        if (std::isalnum(c) && c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c == ' ') {
            out.push_back('_');
        } else {
            out.push_back('=');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out + "?=";
}

// git's subject: the first paragraph joined into one line; body: the rest.
std::pair<std::string, std::string> split_message(const std::string& message) {
    std::string subject, body;
    size_t pos = 0;
    while (pos < message.size()) {
        auto end = message.find('\n', pos);
        std::string line = message.substr(pos, end == std::string::npos ? end : end - pos);
        pos = end == std::string::npos ? message.size() : end + 1;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            if (!subject.empty())
                break;
            continue;
        }
        subject += (subject.empty() ? "" : " ") + line;
    }
    while (pos < message.size() && (message[pos] == '\n' || message[pos] == '\r'))
        ++pos;
    body = message.substr(pos);
    while (!body.empty() && (body.back() == '\n' || body.back() == ' '))
        body.pop_back();
    return {subject, body};
}

}  // namespace

Result<std::string> changeset_patch(const RepoInfo& info, std::string_view rev_spec) {
    auto repo = open_nonempty(info);
    RETURN_IF_ERROR(repo);
    bool truncated = false;
    auto list = spec_changesets(**repo, parse_rev_spec(rev_spec), truncated);
    RETURN_IF_ERROR(list);
    std::string out;
    size_t budget = kFullDiffCeiling;
    const size_t n = list->size();
    for (size_t i = 0; i < n; ++i) {
        const auto& cs = (*list)[i];
        auto diff = budgeted_diff(**repo, cs.id, DiffRequest{}, budget, true);
        RETURN_IF_ERROR(diff);
        if ((*diff)->truncated)
            return fail(Errc::too_large, "the patch is too large to download");
        auto [subject, body] = split_message(cs.message);
        const std::string counter =
            n > 1 ? " " + std::to_string(i + 1) + "/" + std::to_string(n) : std::string();
        out += "From " + cs.id + " Mon Sep 17 00:00:00 2001\n";
        out += "From: " + mail_header_text(cs.author.name);
        out += cs.author.email.empty() ? "\n" : " <" + cs.author.email + ">\n";
        out += "Date: " + rfc2822_date(cs.author) + "\n";
        out += "Subject: " + mail_header_text("[PATCH" + counter + "] " + subject) + "\n";
        if (!is_ascii(cs.message) || !is_ascii(cs.author.name))
            out +=
                "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
                "Content-Transfer-Encoding: 8bit\n";
        out += "\n";
        if (!body.empty())
            out += body + "\n";
        out += "---\n\n";
        out += (*diff)->patch_text();
        out += "-- \nKallithea\n\n";
    }
    return out;
}

Result<std::vector<vcs::ChangesetInfo>> changeset_relatives(const RepoInfo& info,
                                                            std::string_view rev, bool children) {
    auto repo = open_nonempty(info);
    RETURN_IF_ERROR(repo);
    auto cs = (*repo)->changeset(rev);
    RETURN_IF_ERROR(cs);
    if (children) {
        auto list = (*repo)->children(cs->id, SIZE_MAX);
        RETURN_IF_ERROR(list);
        return std::move(list->changesets);
    }
    std::vector<vcs::ChangesetInfo> out;
    for (const auto& parent : cs->parents) {
        auto p = (*repo)->changeset(parent);
        RETURN_IF_ERROR(p);
        out.push_back(std::move(*p));
    }
    return out;
}

}  // namespace kallithea::service
