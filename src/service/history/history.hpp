// The repository history use cases behind the summary, changelog, changeset, compare and feed
// pages: each takes the RepoInfo the gate authorised and reads the repository through vcs.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "service/app.hpp"
#include "service/repos/repo_access.hpp"
#include "vcs/graph.hpp"
#include "vcs/types.hpp"

namespace kallithea::service {

// How the visitor reached us: for clone URLs and absolute links.
struct RequestOrigin {
    std::string scheme = "http";  // "http" or "https"
    std::string host;             // Host header as sent: "host[:port]"
    std::string script_name;      // prefix the application is served under ("" at the root)
    std::string username;         // the logged-in account; empty for anonymous visitors
};

// Absolute URL of the application root without a trailing slash ("https://host/prefix"): the
// `canonical_url` setting when configured, else the request's scheme and Host.
std::string site_base_url(App& app, const RequestOrigin& origin);

struct CloneUrls {
    std::string by_name;  // from `clone_uri_tmpl`
    std::string by_id;    // the permanent "_<repo_id>" form
    std::string ssh;      // from `clone_ssh_tmpl`, only with ssh_enabled and a logged-in user
};

// Expands Kallithea's clone URL templates ({scheme} {user} {netloc} {prefix} {repo} {repoid}
// {system_user} {hostname}); an empty user drops the "@". Never fails: unknown placeholders stay.
CloneUrls clone_urls(App& app, const RepoInfo& repo, const RequestOrigin& origin);

enum class MarkupKind { markdown, plain };

struct Readme {
    std::string path;  // e.g. "README.md" or "docs/README"
    MarkupKind kind = MarkupKind::plain;
    std::string text;     // at most kReadmeMaxBytes, valid UTF-8
    std::string blob_id;  // cache key for the rendered form
    bool truncated = false;
};

inline constexpr size_t kReadmeMaxBytes = 1024 * 1024;
inline constexpr size_t kSummaryChangesets = 10;

struct RepoSummary {
    bool empty = true;                       // no changesets at all
    std::vector<vcs::ChangesetInfo> latest;  // newest first, all branches
    size_t branch_count = 0;
    size_t tag_count = 0;
    std::vector<std::string> branch_names;  // sorted
    std::string default_branch;             // Git: HEAD's branch (it may not exist yet)
    std::optional<Readme> readme;           // from the landing revision
    CloneUrls clone;
};

// The summary page's data. Errors: not_found when the directory vanished, io when unreadable.
Result<RepoSummary> repository_summary(App& app, const RepoInfo& repo, const RequestOrigin& origin);

inline constexpr size_t kChangelogDefaultSize = 100;  // Kallithea's default page size
inline constexpr size_t kChangelogMaxSize = 2000;     // and its cap
inline constexpr size_t kChangelogMaxPage = 1'000'000;

struct ChangelogQuery {
    std::string branch;  // ?branch=: one branch (or a revision name); empty = all branches
    std::string rev;     // per-file log: start revision ("tip" = all branches)
    std::string path;    // per-file log: the file or directory
    size_t page = 1;     // from 1 (clamped to kChangelogMaxPage)
    size_t size = kChangelogDefaultSize;  // clamped to 1..kChangelogMaxSize
};

struct ChangelogPage {
    bool empty_repo = false;
    std::vector<vcs::ChangesetInfo> changesets;  // newest first
    std::vector<vcs::GraphRow> graph;            // one row per changeset; empty for a path log
    bool has_next = false;
    size_t page = 1;
    size_t size = kChangelogDefaultSize;
    std::vector<std::string> branches;  // names for the branch filter
};

// One page of history, reading only page*size+1 changesets. not_found for an unknown branch,
// revision, or a path with no history.
Result<ChangelogPage> changelog_page(const RepoInfo& repo, const ChangelogQuery& query);

struct ChangesetFiles {
    vcs::ChangesetInfo info;
    vcs::Diff diff;  // names and change kinds only
};

// The files a changeset touched (changelog_details). not_found for an unknown revision.
Result<ChangesetFiles> changeset_files(const RepoInfo& repo, std::string_view rev);

// Diff options from the query string (?fulldiff=1, ?ignorews=1, ?context=N).
struct DiffRequest {
    bool full = false;  // lift cut_off_limit (up to kFullDiffCeiling)
    bool ignore_whitespace = false;
    int context = 3;
};

inline constexpr size_t kFullDiffCeiling = 64 * 1024 * 1024;
inline constexpr size_t kMaxRangeChangesets = 100;

inline constexpr size_t kChildrenWalkLimit = 5000;

struct ChangesetDetail {
    vcs::ChangesetInfo info;
    // Filled for a single changeset only. From the repository's index of children when it has
    // one, else by walking at most kChildrenWalkLimit newer changesets unless all_children was
    // asked: children_complete is false when that limit cut the search short.
    std::vector<vcs::ChangesetInfo> children;
    bool children_complete = true;
    // Against the first parent; never null (shared with the diff cache, hence const).
    std::shared_ptr<const vcs::Diff> diff;
};

struct ChangesetPage {
    std::vector<ChangesetDetail> changesets;  // one; or a range "a...b", oldest first
    bool range = false;
    bool range_truncated = false;  // more than kMaxRangeChangesets; the newest are shown
    size_t cut_off_limit = 0;      // bytes of diff shown before cutting (0 = unlimited)
};

// Changeset (or "a...b" range: a and its descendants up to b) with diffs, cut at the configured
// `cut_off_limit` unless full. not_found for unknown revisions or an empty range.
Result<ChangesetPage> changeset_page(App& app, const RepoInfo& repo, std::string_view rev_spec,
                                     const DiffRequest& request, bool all_children = false);

// The whole unified diff of a changeset (for a range, from a's parent to b), binary files as
// "GIT binary patch" like `git diff --binary`. not_found for unknown revisions.
Result<std::string> changeset_raw_diff(const RepoInfo& repo, std::string_view rev_spec,
                                       const DiffRequest& request);

// The changeset(s) as `git format-patch` mails ("From <id> Mon Sep 17 00:00:00 2001", From,
// Date, Subject: [PATCH], message, ---, diff), ready for `git am`. not_found as above.
Result<std::string> changeset_patch(const RepoInfo& repo, std::string_view rev_spec);

// Parents (children = false) or children of a changeset. not_found for an unknown revision.
Result<std::vector<vcs::ChangesetInfo>> changeset_relatives(const RepoInfo& repo,
                                                            std::string_view rev, bool children);

// One side of a compare: type is branch, book, tag or rev.
struct CompareRef {
    std::string type;
    std::string name;
};

inline constexpr size_t kMaxCompareChangesets = 1000;

struct CompareQuery {
    CompareRef org;
    CompareRef other;
    bool merge = false;  // diff from the common ancestor ("what would be merged")
    DiffRequest diff;
};

struct ComparePage {
    std::string org_id;
    std::string other_id;
    std::optional<std::string> ancestor;         // common ancestor, when there is one
    std::vector<vcs::ChangesetInfo> changesets;  // in other but not in org, newest first
    bool changesets_truncated = false;
    std::optional<vcs::Diff> diff;  // missing when merge mode has nothing to diff
    std::string notice;             // why there is no diff
    size_t cut_off_limit = 0;
};

// The changesets and diff between two refs. invalid_argument for an unknown ref type; not_found
// for refs that do not exist.
Result<ComparePage> compare_refs(App& app, const RepoInfo& repo, const CompareQuery& query);

// Branches and tags for the compare form (empty for an empty repository).
Result<std::vector<vcs::Ref>> compare_form_refs(const RepoInfo& repo);

struct FeedItem {
    vcs::ChangesetInfo info;
    vcs::Diff diff;  // cut at `rss_cut_off_limit`; patches only with rss_include_diff
    bool include_diff = false;
};

struct Feed {
    std::string site_title;
    std::vector<FeedItem> items;  // the newest `rss_items_per_page` changesets, all branches
};

// The RSS/Atom feed's items.
Result<Feed> repository_feed(App& app, const RepoInfo& repo);

// Dates of a signature in its own UTC offset: "2024-01-31 13:05:09", RFC 2822
// ("Wed, 31 Jan 2024 13:05:09 +0100") and RFC 3339 ("2024-01-31T13:05:09+01:00").
std::string display_date(const vcs::Signature& sig);
std::string rfc2822_date(const vcs::Signature& sig);
std::string rfc3339_date(const vcs::Signature& sig);

}  // namespace kallithea::service
