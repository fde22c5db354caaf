// History use cases, part 3: comparing two refs of a repository, and the RSS/Atom feed items.
#include <algorithm>

#include "service/history/history.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

// The changeset id a compare ref names; the type must match what the name is.
Result<std::string> ref_target(vcs::Repository& r, const std::vector<vcs::Ref>& refs,
                               const CompareRef& ref) {
    if (ref.type == "rev")
        return r.resolve(ref.name);
    vcs::RefKind kind;
    if (ref.type == "branch")
        kind = vcs::RefKind::branch;
    else if (ref.type == "tag")
        kind = vcs::RefKind::tag;
    else if (ref.type == "book")
        kind = vcs::RefKind::bookmark;
    else
        return fail(Errc::invalid_argument, "unknown ref type '" + ref.type + "'");
    for (const auto& candidate : refs) {
        if (candidate.kind == kind && candidate.name == ref.name)
            return candidate.target;
    }
    return fail(Errc::not_found,
                "there is no " + std::string(vcs::ref_kind_name(kind)) + " '" + ref.name + "'");
}

}  // namespace

Result<std::vector<vcs::Ref>> compare_form_refs(const RepoInfo& info) {
    auto repo = open_repository(info);
    RETURN_IF_ERROR(repo);
    return (*repo)->refs();
}

Result<ComparePage> compare_refs(App& app, const RepoInfo& info, const CompareQuery& query) {
    auto repo = open_repository(info);
    RETURN_IF_ERROR(repo);
    vcs::Repository& r = **repo;
    auto refs = r.refs();
    RETURN_IF_ERROR(refs);
    ComparePage out;
    auto org = ref_target(r, *refs, query.org);
    RETURN_IF_ERROR(org);
    auto other = ref_target(r, *refs, query.other);
    RETURN_IF_ERROR(other);
    out.org_id = *org;
    out.other_id = *other;

    auto list = r.commits_between(out.org_id, out.other_id, kMaxCompareChangesets + 1);
    RETURN_IF_ERROR(list);
    out.changesets_truncated = list->size() > kMaxCompareChangesets;
    if (out.changesets_truncated)
        list->resize(kMaxCompareChangesets);
    out.changesets = std::move(*list);
    auto ancestor = r.common_ancestor(out.org_id, out.other_id);
    if (ancestor)
        out.ancestor = std::move(*ancestor);
    else if (ancestor.error().code != Errc::not_found)
        return fail(ancestor.error());

    std::string from = out.org_id;
    if (query.merge) {
        if (out.changesets.empty()) {
            out.notice = "Cannot show empty diff";
            return out;
        }
        if (!out.ancestor) {
            out.notice = "No ancestor found for merge diff";
            return out;
        }
        from = *out.ancestor;
    }
    const int64_t limit = app.config().cut_off_limit;
    vcs::DiffOptions options;
    options.context_lines = std::clamp(query.diff.context, 0, 10000);
    options.ignore_whitespace = query.diff.ignore_whitespace;
    options.cut_off_bytes = query.diff.full || limit <= 0
                                ? kFullDiffCeiling
                                : std::min<size_t>(static_cast<size_t>(limit), kFullDiffCeiling);
    out.cut_off_limit = query.diff.full ? 0 : options.cut_off_bytes;
    auto diff = r.diff(from, out.other_id, options);
    RETURN_IF_ERROR(diff);
    out.diff = std::move(*diff);
    return out;
}

Result<Feed> repository_feed(App& app, const RepoInfo& info) {
    Feed out;
    out.site_title = "Kallithea";
    if (auto settings = app.settings(); settings && !settings->title.empty())
        out.site_title = settings->title;
    auto repo = open_repository(info);
    RETURN_IF_ERROR(repo);
    vcs::Repository& r = **repo;
    auto empty = r.is_empty();
    RETURN_IF_ERROR(empty);
    if (*empty)
        return out;
    const auto& config = app.config();
    vcs::LogQuery query;
    query.limit = static_cast<size_t>(std::clamp(config.rss_items_per_page, 1, 1000));
    auto list = r.log(query);
    RETURN_IF_ERROR(list);
    for (auto& cs : *list) {
        vcs::DiffOptions options;
        options.cut_off_bytes =
            config.rss_cut_off_limit <= 0
                ? kFullDiffCeiling
                : std::min<size_t>(static_cast<size_t>(config.rss_cut_off_limit), kFullDiffCeiling);
        auto diff = r.diff("", cs.id, options);
        RETURN_IF_ERROR(diff);
        FeedItem item;
        item.include_diff = config.rss_include_diff;
        if (!item.include_diff) {
            for (auto& file : diff->files)
                file.patch.clear();
        }
        item.diff = std::move(*diff);
        item.info = std::move(cs);
        out.items.push_back(std::move(item));
    }
    return out;
}

}  // namespace kallithea::service
