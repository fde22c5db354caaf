// The post-push bookkeeping Kallithea's git post-receive hook does (kallithea/bin/vcs_hooks.py
// post_receive): revisions per ref, HEAD of a new repository.
#include "vcs/git/push_revisions.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/subprocess.hpp"
#include "vcs/git/git_command.hpp"

namespace kallithea::vcs::git {
namespace {

std::string_view without_newline(std::string_view line) {
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    return line;
}

constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kTags = "refs/tags/";

}  // namespace

Result<RefSnapshot> snapshot_refs(const std::string& git_dir) {
    auto out = run_git(git_dir, {"for-each-ref", "--format=%(objectname) %(refname)"});
    RETURN_IF_ERROR(out);
    RefSnapshot refs;
    std::string_view rest = *out;
    while (!rest.empty()) {
        const auto eol = rest.find('\n');
        const std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
        const auto space = line.find(' ');
        if (space != std::string_view::npos)
            refs.emplace(std::string(line.substr(space + 1)), std::string(line.substr(0, space)));
    }
    return refs;
}

namespace {

// `git rev-list --reverse` over the revisions given on its stdin ("id" and "^id" lines).
Result<std::string> rev_list(const std::string& git_dir, const std::string& revisions) {
    auto options = git_command(git_dir, {"rev-list", "--reverse", "--stdin"});
    auto result = run_process(options, revisions);
    RETURN_IF_ERROR(result);
    if (!result->exit.success())
        return fail(Errc::io, "git rev-list failed", result->exit.stderr_text);
    return std::move(result->out);
}

}  // namespace

namespace {

// Appends the ids of rev-list output not listed yet.
void append_new_ids(std::string_view out, std::vector<std::string>& items,
                    std::unordered_set<std::string>& listed) {
    while (!out.empty()) {
        const auto eol = out.find('\n');
        std::string id(out.substr(0, eol));
        out = eol == std::string_view::npos ? std::string_view() : out.substr(eol + 1);
        if (!id.empty() && listed.insert(id).second)
            items.push_back(std::move(id));
    }
}

std::string join_items(const std::vector<std::string>& items) {
    std::string joined;
    for (const auto& item : items) {
        if (!joined.empty())
            joined += ',';
        joined += item;
    }
    return joined;
}

std::string old_head_exclusions(const RefSnapshot& before) {
    std::string old_heads;
    for (const auto& [ref, id] : before)
        if (ref.starts_with(kHeads))
            old_heads += "^" + id + "\n";
    return old_heads;
}

// The commits of all pushed branch heads that no branch had before, from one
// `git rev-list --reverse --parents`: walk order (oldest first) and parent links within it.
struct PushWalk {
    std::vector<std::string> ids;                     // walk order
    std::unordered_map<std::string_view, size_t> at;  // id -> index (views into ids)
    std::vector<std::vector<size_t>> parents;         // parents inside the walk
    std::vector<std::vector<std::string>> outside;    // parents outside it (in old branches)
};

Result<PushWalk> walk_new_commits(const std::string& git_dir, const std::string& revisions) {
    auto options = git_command(git_dir, {"rev-list", "--reverse", "--parents", "--stdin"});
    auto result = run_process(options, revisions);
    RETURN_IF_ERROR(result);
    if (!result->exit.success())
        return fail(Errc::io, "git rev-list failed", result->exit.stderr_text);
    PushWalk walk;
    std::vector<std::string_view> lines;
    std::string_view rest = result->out;
    while (!rest.empty()) {
        const auto eol = rest.find('\n');
        const std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
        if (!line.empty())
            lines.push_back(line);
    }
    walk.ids.reserve(lines.size());
    for (const auto line : lines)
        walk.ids.emplace_back(line.substr(0, line.find(' ')));
    for (size_t i = 0; i < walk.ids.size(); ++i)
        walk.at.emplace(walk.ids[i], i);
    walk.parents.resize(lines.size());
    walk.outside.resize(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string_view parents = lines[i];
        auto space = parents.find(' ');
        while (space != std::string_view::npos) {
            parents.remove_prefix(space + 1);
            space = parents.find(' ');
            const std::string_view parent = parents.substr(0, space);
            if (auto it = walk.at.find(parent); it != walk.at.end())
                walk.parents[i].push_back(it->second);
            else
                walk.outside[i].emplace_back(parent);
        }
    }
    return walk;
}

// The object type of each id (`git cat-file --batch-check`); "missing" for unknown ones.
Result<std::unordered_map<std::string, std::string>> object_types(
    const std::string& git_dir, const std::vector<std::string>& ids) {
    std::unordered_map<std::string, std::string> types;
    if (ids.empty())
        return types;
    std::string input;
    for (const auto& id : ids)
        input += id + "\n";
    auto options = git_command(git_dir, {"cat-file", "--batch-check=%(objectname) %(objecttype)"});
    auto result = run_process(options, input);
    RETURN_IF_ERROR(result);
    if (!result->exit.success())
        return fail(Errc::io, "git cat-file failed", result->exit.stderr_text);
    std::string_view rest = result->out;
    while (!rest.empty()) {
        const auto eol = rest.find('\n');
        const std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
        const auto space = line.find(' ');
        if (space != std::string_view::npos)
            types[std::string(line.substr(0, space))] = std::string(line.substr(space + 1));
    }
    return types;
}

// Lists changesets from one walk of all pushed heads (see push_action_revisions). A branch
// whose changesets the walk cannot tell exactly (an update that merged an existing branch, a
// tag object pushed as a branch head) gets its own rev-list, as before.
class RevisionLister {
public:
    RevisionLister(const std::string& git_dir, const RefSnapshot& before)
        : git_dir_(git_dir), old_heads_(old_head_exclusions(before)) {
        for (const auto& [ref, id] : before)
            if (ref.starts_with(kHeads))
                old_head_ids_.insert(id);
    }

    // False when the walk cannot be used at all (the caller lists ref by ref).
    Result<bool> prepare(const std::vector<RefUpdate>& applied) {
        std::string revisions;
        std::vector<std::string> tips;
        for (const auto& command : applied) {
            if (!command.ref.starts_with(kHeads) || is_null_id(command.new_id))
                continue;
            // An update from a head the snapshot does not know (a racing push): closure of the
            // listed set (below) no longer holds.
            if (!is_null_id(command.old_id) && !old_head_ids_.contains(command.old_id))
                return false;
            revisions += command.new_id + "\n";
            tips.push_back(command.new_id);
        }
        auto walk = walk_new_commits(git_dir_, revisions + old_heads_);
        RETURN_IF_ERROR(walk);
        walk_ = std::move(*walk);
        listed_in_walk_.assign(walk_.ids.size(), 0);
        seen_.assign(walk_.ids.size(), 0);
        std::vector<std::string> unknown;
        for (const auto& tip : tips)
            if (!walk_.at.contains(tip))
                unknown.push_back(tip);
        auto types = object_types(git_dir_, unknown);
        RETURN_IF_ERROR(types);
        tip_types_ = std::move(*types);
        return true;
    }

    // The changesets a head update brings, oldest first, each once over the whole push.
    Status add(const RefUpdate& command, std::vector<std::string>& items) {
        const auto tip = walk_.at.find(command.new_id);
        if (tip == walk_.at.end()) {
            // A commit outside the walk is in an old branch: a new branch brings nothing.
            const auto type = tip_types_.find(command.new_id);
            if (is_null_id(command.old_id) && type != tip_types_.end() && type->second == "commit")
                return ok();
            return add_by_rev_list(command, items);
        }
        if (!is_null_id(command.old_id) && !only_reaches(tip->second, command.old_id))
            return add_by_rev_list(command, items);
        // The listed set is closed under ancestry inside the walk, so the search stops there.
        std::vector<size_t> found;
        std::vector<size_t> stack{tip->second};
        while (!stack.empty()) {
            const size_t at = stack.back();
            stack.pop_back();
            if (listed_in_walk_[at])
                continue;
            listed_in_walk_[at] = 1;
            found.push_back(at);
            for (size_t parent : walk_.parents[at])
                stack.push_back(parent);
        }
        std::sort(found.begin(), found.end());
        for (size_t at : found) {
            listed_.insert(walk_.ids[at]);
            items.push_back(walk_.ids[at]);
        }
        return ok();
    }

private:
    // True when everything below `tip` outside the walk is `old_id` (or nothing): then
    // old_id..tip is exactly tip's part of the walk.
    bool only_reaches(size_t tip, const std::string& old_id) {
        ++generation_;  // marks of earlier searches are stale without clearing them
        std::vector<size_t> stack{tip};
        while (!stack.empty()) {
            const size_t at = stack.back();
            stack.pop_back();
            if (seen_[at] == generation_)
                continue;
            seen_[at] = generation_;
            for (const auto& parent : walk_.outside[at])
                if (parent != old_id)
                    return false;
            for (size_t parent : walk_.parents[at])
                stack.push_back(parent);
        }
        return true;
    }

    Status add_by_rev_list(const RefUpdate& command, std::vector<std::string>& items) {
        const std::string revisions =
            command.new_id + "\n" +
            (is_null_id(command.old_id) ? old_heads_ : "^" + command.old_id + "\n");
        auto ids = rev_list(git_dir_, revisions);
        RETURN_IF_ERROR(ids);
        const size_t first = items.size();
        append_new_ids(*ids, items, listed_);
        for (size_t i = first; i < items.size(); ++i)
            if (auto it = walk_.at.find(items[i]); it != walk_.at.end())
                listed_in_walk_[it->second] = 1;
        return ok();
    }

    const std::string& git_dir_;
    std::string old_heads_;
    std::unordered_set<std::string> old_head_ids_;
    PushWalk walk_;
    std::vector<char> listed_in_walk_;
    std::vector<uint32_t> seen_;  // only_reaches(): visited in search number generation_
    uint32_t generation_ = 0;
    std::unordered_set<std::string> listed_;
    std::unordered_map<std::string, std::string> tip_types_;
};

}  // namespace

Result<std::string> push_action_revisions_per_ref(const std::string& git_dir,
                                                  const std::vector<RefUpdate>& applied,
                                                  const RefSnapshot& before) {
    const std::string old_heads = old_head_exclusions(before);
    std::vector<std::string> items;
    std::unordered_set<std::string> listed;
    for (const auto& command : applied) {
        if (command.ref.starts_with(kTags)) {
            items.push_back("tag=>" + command.ref.substr(kTags.size()));
            continue;
        }
        if (!command.ref.starts_with(kHeads))
            continue;
        if (is_null_id(command.new_id)) {
            items.push_back("delete_branch=>" + command.ref.substr(kHeads.size()));
            continue;
        }
        // A new branch brings what no branch had; an updated one what its old head lacked.
        const std::string revisions =
            command.new_id + "\n" +
            (is_null_id(command.old_id) ? old_heads : "^" + command.old_id + "\n");
        auto ids = rev_list(git_dir, revisions);
        RETURN_IF_ERROR(ids);
        append_new_ids(*ids, items, listed);
    }
    return join_items(items);
}

Result<std::string> push_action_revisions(const std::string& git_dir,
                                          const std::vector<RefUpdate>& applied,
                                          const RefSnapshot& before) {
    RevisionLister lister(git_dir, before);
    auto usable = lister.prepare(applied);
    RETURN_IF_ERROR(usable);
    if (!*usable)
        return push_action_revisions_per_ref(git_dir, applied, before);
    std::vector<std::string> items;
    for (const auto& command : applied) {
        if (command.ref.starts_with(kTags)) {
            items.push_back("tag=>" + command.ref.substr(kTags.size()));
            continue;
        }
        if (!command.ref.starts_with(kHeads))
            continue;
        if (is_null_id(command.new_id)) {
            items.push_back("delete_branch=>" + command.ref.substr(kHeads.size()));
            continue;
        }
        RETURN_IF_ERROR(lister.add(command, items));
    }
    return join_items(items);
}

Status settle_head(const std::string& git_dir, const std::vector<RefUpdate>& applied) {
    auto head = run_git(git_dir, {"symbolic-ref", "-q", "HEAD"});
    if (!head)
        return ok();  // detached HEAD: the owner chose it
    const std::string target(without_newline(*head));
    if (run_git(git_dir, {"show-ref", "--verify", "-q", target}))
        return ok();  // HEAD names an existing branch
    const RefUpdate* master = nullptr;
    const RefUpdate* main = nullptr;
    const RefUpdate* first = nullptr;
    for (const auto& command : applied) {
        if (!command.ref.starts_with(kHeads) || is_null_id(command.new_id))
            continue;
        if (command.ref == "refs/heads/master")
            master = &command;
        else if (command.ref == "refs/heads/main")
            main = &command;
        if (!first)
            first = &command;
    }
    const RefUpdate* chosen = master ? master : main ? main : first;
    if (!chosen)
        return ok();
    auto set = run_git(git_dir, {"symbolic-ref", "HEAD", chosen->ref});
    RETURN_IF_ERROR(set);
    return ok();
}

}  // namespace kallithea::vcs::git
