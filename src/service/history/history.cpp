// History use cases, part 1: dates, absolute URLs, clone URLs and the summary page (README).
#include "service/history/history.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "core/time.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

// Python's urllib.parse.quote (safe '/'), as Kallithea quotes {user}.
std::string quote_user(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' || c == '/') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

std::string system_user() {
    for (const char* name : {"USER", "LOGNAME", "USERNAME"}) {
        if (const char* value = std::getenv(name); value && *value)
            return value;
    }
    return "kallithea";
}

std::string expand_template(std::string_view tmpl, const std::map<std::string, std::string>& args) {
    std::string out;
    size_t i = 0;
    while (i < tmpl.size()) {
        const auto open = tmpl.find('{', i);
        if (open == std::string_view::npos) {
            out.append(tmpl.substr(i));
            break;
        }
        const auto close = tmpl.find_first_of("{}", open + 1);
        if (close == std::string_view::npos || tmpl[close] == '{' || close == open + 1) {
            out.append(tmpl.substr(i, open + 1 - i));
            i = open + 1;
            continue;
        }
        out.append(tmpl.substr(i, open - i));
        const auto it = args.find(std::string(tmpl.substr(open + 1, close - open - 1)));
        out.append(it != args.end() ? it->second
                                    : std::string(tmpl.substr(open, close + 1 - open)));
        i = close + 1;
    }
    // An empty user leaves "scheme://@host": drop the '@'.
    const auto scheme_end = out.find("://");
    if (scheme_end != std::string::npos && out.compare(scheme_end + 3, 1, "@") == 0)
        out.erase(scheme_end + 3, 1);
    return out;
}

std::string setting_or(App& app, const std::string& name, std::string fallback) {
    if (auto settings = app.settings()) {
        auto it = settings->all.find(name);
        if (it != settings->all.end() && !it->second.empty())
            return it->second;
    }
    return fallback;
}

}  // namespace

std::string display_date(const vcs::Signature& sig) {
    return timefmt::CivilTime::from_unix(sig.time, sig.offset_minutes).display();
}

std::string rfc2822_date(const vcs::Signature& sig) {
    return timefmt::CivilTime::from_unix(sig.time, sig.offset_minutes).rfc2822();
}

std::string rfc3339_date(const vcs::Signature& sig) {
    return timefmt::CivilTime::from_unix(sig.time, sig.offset_minutes).rfc3339();
}

std::string site_base_url(App& app, const RequestOrigin& origin) {
    std::string base = app.config().canonical_url;
    if (base.empty())
        base = origin.scheme + "://" + (origin.host.empty() ? "localhost" : origin.host);
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + origin.script_name;
}

CloneUrls clone_urls(App& app, const RepoInfo& repo, const RequestOrigin& origin) {
    const std::string base = site_base_url(app, origin);
    const auto scheme_end = base.find("://");
    const std::string scheme =
        scheme_end == std::string::npos ? "http" : base.substr(0, scheme_end);
    const std::string netloc = scheme_end == std::string::npos ? base : base.substr(scheme_end + 3);
    const std::string authority = netloc.substr(0, netloc.find('/'));
    std::string hostname = authority.substr(authority.rfind('@') + 1);
    if (hostname.starts_with('[')) {
        hostname = hostname.substr(1, hostname.find(']') - 1);
    } else if (const auto colon = hostname.find(':'); colon != std::string::npos) {
        hostname.resize(colon);
    }
    std::map<std::string, std::string> args = {
        {"scheme", scheme},
        {"user", quote_user(origin.username)},
        {"netloc", netloc},
        {"prefix", netloc.size() > authority.size() ? netloc.substr(authority.size()) : ""},
        {"repo", repo.name},
        {"repoid", std::to_string(repo.repo_id)},
        {"system_user", system_user()},
        {"hostname", hostname},
    };
    std::string tmpl = setting_or(app, "clone_uri_tmpl", "{scheme}://{user}@{netloc}/{repo}");
    auto replace_all = [](std::string text, std::string_view from, std::string_view to) {
        for (size_t at = text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
        return text;
    };
    CloneUrls out;
    out.by_name = expand_template(replace_all(tmpl, "_{repoid}", "{repo}"), args);
    out.by_id = expand_template(replace_all(tmpl, "{repo}", "_{repoid}"), args);
    if (app.config().ssh_enabled && !origin.username.empty()) {
        out.ssh = expand_template(
            setting_or(app, "clone_ssh_tmpl", "ssh://{system_user}@{hostname}/{repo}"), args);
    }
    return out;
}

namespace {

struct Weighted {
    const char* text;
    int weight;
};

// Kallithea's README candidates (lib/conf.py): names x extensions, ordered by summed weight.
const std::vector<std::pair<std::string, MarkupKind>>& readme_candidates() {
    static const auto list = [] {
        static constexpr Weighted kNames[] = {
            {"readme", 0},      {"README", 0},      {"Readme", 0},      {"doc/readme", 1},
            {"doc/README", 1},  {"doc/Readme", 1},  {"Docs/readme", 2}, {"Docs/README", 2},
            {"Docs/Readme", 2}, {"DOCS/readme", 2}, {"DOCS/README", 2}, {"DOCS/Readme", 2},
            {"docs/readme", 2}, {"docs/README", 2}, {"docs/Readme", 2}};
        static constexpr Weighted kMarkdown[] = {{".md", 1},       {".MD", 1},      {".mkdn", 2},
                                                 {".MKDN", 2},     {".mdown", 3},   {".MDOWN", 3},
                                                 {".markdown", 4}, {".MARKDOWN", 4}};
        static constexpr Weighted kOther[] = {{"", 0},     {".rst", 1},  {".rest", 1},
                                              {".RST", 2}, {".REST", 2}, {".txt", 3},
                                              {".TXT", 3}, {".text", 2}, {".TEXT", 2}};
        struct Candidate {
            std::string path;
            MarkupKind kind;
            int weight;
        };
        std::vector<Candidate> all;
        for (const auto& name : kNames) {
            for (const auto& ext : kMarkdown)
                all.push_back({std::string(name.text) + ext.text, MarkupKind::markdown,
                               name.weight + ext.weight});
            for (const auto& ext : kOther)
                all.push_back({std::string(name.text) + ext.text, MarkupKind::plain,
                               name.weight + ext.weight});
        }
        std::stable_sort(all.begin(), all.end(),
                         [](const auto& a, const auto& b) { return a.weight < b.weight; });
        std::vector<std::pair<std::string, MarkupKind>> out;
        for (auto& c : all)
            out.emplace_back(std::move(c.path), c.kind);
        return out;
    }();
    return list;
}

// The first README candidate present at rev, read (binary files are skipped).
Result<std::optional<Readme>> find_readme(vcs::Repository& repo, const std::string& rev) {
    std::set<std::string> files;
    auto add_dir = [&](const std::string& dir) -> Status {
        auto entries = repo.list_dir(rev, dir);
        if (!entries)
            return entries.error().code == Errc::not_found ? ok() : Status(fail(entries.error()));
        for (const auto& entry : *entries) {
            if (entry.kind == vcs::NodeKind::file)
                files.insert(entry.path);
            else if (dir.empty() && entry.kind == vcs::NodeKind::dir &&
                     (entry.name == "doc" || entry.name == "docs" || entry.name == "Docs" ||
                      entry.name == "DOCS"))
                files.insert(entry.name + "/");
        }
        return ok();
    };
    if (auto status = add_dir(""); !status)
        return fail(status.error());
    for (const char* dir : {"doc", "docs", "Docs", "DOCS"}) {
        if (files.count(std::string(dir) + "/")) {
            if (auto status = add_dir(dir); !status)
                return fail(status.error());
        }
    }
    for (const auto& [path, kind] : readme_candidates()) {
        if (!files.count(path))
            continue;
        auto content = repo.read_file(rev, path, kReadmeMaxBytes);
        RETURN_IF_ERROR(content);
        if (content->binary || vcs::looks_binary(content->data))
            continue;
        Readme readme;
        readme.path = path;
        readme.kind = kind;
        readme.text = vcs::to_valid_utf8(content->data);
        readme.blob_id = content->blob_id;
        readme.truncated = content->truncated;
        return std::optional<Readme>(std::move(readme));
    }
    return std::optional<Readme>();
}

}  // namespace

Result<RepoSummary> repository_summary(App& app, const RepoInfo& info,
                                       const RequestOrigin& origin) {
    RepoSummary out;
    out.clone = clone_urls(app, info, origin);
    auto repo = open_repository(info);
    RETURN_IF_ERROR(repo);
    vcs::Repository& r = **repo;
    if (auto branch = r.default_branch())
        out.default_branch = std::move(*branch);
    auto empty = r.is_empty();
    RETURN_IF_ERROR(empty);
    out.empty = *empty;
    if (out.empty)
        return out;
    auto refs = r.refs();
    RETURN_IF_ERROR(refs);
    for (const auto& ref : *refs) {
        if (ref.kind == vcs::RefKind::branch) {
            ++out.branch_count;
            out.branch_names.push_back(ref.name);
        } else if (ref.kind == vcs::RefKind::tag) {
            ++out.tag_count;
        }
    }
    vcs::LogQuery query;
    query.limit = kSummaryChangesets;
    auto latest = r.log(query);
    RETURN_IF_ERROR(latest);
    out.latest = std::move(*latest);

    auto landing = r.resolve(info.landing_rev);
    if (!landing && landing.error().code != Errc::not_found)
        return fail(landing.error());
    const std::string rev = landing ? *landing : out.latest.empty() ? "" : out.latest.front().id;
    if (!rev.empty()) {
        auto readme = find_readme(r, rev);
        RETURN_IF_ERROR(readme);
        out.readme = std::move(*readme);
    }
    return out;
}

}  // namespace kallithea::service
