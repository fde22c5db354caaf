// Git diffs between two changesets' trees (libgit2, with rename detection and a size cut-off).
#include <cstdio>

#include "vcs/git/git_repository_impl.hpp"

namespace kallithea::vcs::git {

namespace {

// Blobs above this are diffed as binary whatever their content, to bound the work per request.
constexpr int64_t kMaxDiffBlobSize = 64 * 1024 * 1024;
constexpr uint16_t kRenameLimit = 1000;

ChangeKind change_of(git_delta_t status) {
    switch (status) {
        case GIT_DELTA_ADDED:
            return ChangeKind::added;
        case GIT_DELTA_DELETED:
            return ChangeKind::deleted;
        case GIT_DELTA_RENAMED:
            return ChangeKind::renamed;
        case GIT_DELTA_COPIED:
            return ChangeKind::copied;
        default:
            return ChangeKind::modified;
    }
}

std::string mode_text(uint16_t mode) {
    if (mode == 0) {
        return {};
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06o", static_cast<unsigned>(mode));
    return buf;
}

FileDiff file_of(const git_diff_delta* delta) {
    FileDiff file;
    file.change = change_of(delta->status);
    file.old_path = delta->old_file.path ? delta->old_file.path : "";
    file.new_path = delta->new_file.path ? delta->new_file.path : "";
    if (file.old_path.empty()) {
        file.old_path = file.new_path;
    }
    if (file.new_path.empty()) {
        file.new_path = file.old_path;
    }
    file.old_mode = file.change == ChangeKind::added ? "" : mode_text(delta->old_file.mode);
    file.new_mode = file.change == ChangeKind::deleted ? "" : mode_text(delta->new_file.mode);
    file.similarity = delta->similarity;
    file.binary = (delta->flags & GIT_DIFF_FLAG_BINARY) != 0;
    return file;
}

// Tree of from_rev, or of to's first parent when from_rev is empty (null: the empty tree).
Result<TreeHandle> from_tree(GitRepository& repo, std::string_view from_rev, const git_commit* to) {
    CommitHandle from;
    if (from_rev.empty()) {
        if (git_commit_parentcount(to) == 0) {
            return TreeHandle(nullptr);
        }
        auto parent = repo.lookup_commit(*git_commit_parent_id(to, 0));
        RETURN_IF_ERROR(parent);
        from = std::move(*parent);
    } else {
        auto commit = repo.lookup_commit(from_rev);
        RETURN_IF_ERROR(commit);
        from = std::move(*commit);
    }
    return repo.commit_tree(from.get());
}

// Adds the patch of delta i to file, within the remaining cut-off budget.
Status fill_patch(git_diff* diff, size_t i, const DiffOptions& options, size_t& produced,
                  bool& cut_off, FileDiff& file) {
    git_patch* raw = nullptr;
    int rc = git_patch_from_diff(&raw, diff, i);
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot compute the diff"));
    }
    PatchHandle patch(raw);
    if (!patch) {
        return ok();  // an unchanged file: no patch
    }
    size_t context = 0, additions = 0, deletions = 0;
    git_patch_line_stats(&context, &additions, &deletions, patch.get());
    file.additions = static_cast<int>(additions);
    file.deletions = static_cast<int>(deletions);
    file.binary = (git_patch_get_delta(patch.get())->flags & GIT_DIFF_FLAG_BINARY) != 0;
    OwnedBuf text;
    if ((rc = git_patch_to_buf(&text.buf, patch.get())) != 0) {
        return fail(libgit2_error(rc, "cannot compute the diff"));
    }
    if (options.cut_off_bytes > 0 && produced + text.buf.size > options.cut_off_bytes) {
        file.too_large = true;
        cut_off = true;
        return ok();
    }
    produced += text.buf.size;
    file.patch.assign(text.view());
    return ok();
}

// The tree-to-tree diff (null base: the empty tree), renames found when asked.
Result<DiffHandle> tree_diff(git_repository* repo, git_tree* base, git_tree* to,
                             const DiffOptions& options) {
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = static_cast<uint32_t>(std::max(0, options.context_lines));
    opts.id_abbrev = GIT_OID_HEXSZ;
    opts.max_size = kMaxDiffBlobSize;
    opts.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH;  // paths are literal, not globs
    if (options.ignore_whitespace) {
        opts.flags |= GIT_DIFF_IGNORE_WHITESPACE;
    }
    if (options.binary_patches) {
        opts.flags |= GIT_DIFF_SHOW_BINARY;
    }
    std::vector<std::string> paths;
    for (const auto& p : options.paths) {
        auto normalized = normalize_path(p);
        RETURN_IF_ERROR(normalized);
        paths.push_back(std::move(*normalized));
    }
    std::vector<char*> path_ptrs;
    for (auto& p : paths) {
        path_ptrs.push_back(p.data());
    }
    opts.pathspec.strings = path_ptrs.data();
    opts.pathspec.count = path_ptrs.size();

    git_diff* raw = nullptr;
    int rc = git_diff_tree_to_tree(&raw, repo, base, to, &opts);
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot compute the diff"));
    }
    DiffHandle diff(raw);
    if (options.detect_renames) {
        git_diff_find_options find;
        git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
        find.flags = GIT_DIFF_FIND_RENAMES;
        find.rename_limit = kRenameLimit;
        if ((rc = git_diff_find_similar(diff.get(), &find)) != 0) {
            return fail(libgit2_error(rc, "cannot compute the diff"));
        }
    }
    return diff;
}

}  // namespace

Result<Diff> GitRepository::diff(std::string_view from_rev, std::string_view to_rev,
                                 const DiffOptions& options) {
    auto to = lookup_commit(to_rev);
    RETURN_IF_ERROR(to);
    auto to_tree = commit_tree(to->get());
    RETURN_IF_ERROR(to_tree);
    auto base_tree = from_tree(*this, from_rev, to->get());
    RETURN_IF_ERROR(base_tree);

    auto diff = tree_diff(repo_.get(), base_tree->get(), to_tree->get(), options);
    RETURN_IF_ERROR(diff);

    Diff out;
    size_t produced = 0;
    size_t n = git_diff_num_deltas(diff->get());
    out.files.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        FileDiff file = file_of(git_diff_get_delta(diff->get(), i));
        if (out.truncated) {
            file.too_large = true;
        } else if (!options.names_only) {
            auto status = fill_patch(diff->get(), i, options, produced, out.truncated, file);
            RETURN_IF_ERROR(status);
        }
        out.additions += file.additions;
        out.deletions += file.deletions;
        out.files.push_back(std::move(file));
    }
    return out;
}

}  // namespace kallithea::vcs::git
