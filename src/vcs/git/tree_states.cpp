// Comparing directory entries across commits, with the directory's tree id cached per commit.
#include "vcs/git/tree_states.hpp"

#include "vcs/git/git_repository_impl.hpp"

namespace kallithea::vcs::git {

Result<git_oid> DirTrees::dir_id(const git_oid& commit_id, uint32_t graph_pos) {
    auto it = cache_.find(commit_id);
    if (it != cache_.end()) {
        return it->second;
    }
    git_oid root;
    if (graph_ && graph_pos != CommitGraph::kNone) {
        root = oid_of(graph_->tree(graph_pos));
    } else {
        auto commit = repo_.lookup_commit(commit_id);
        RETURN_IF_ERROR(commit);
        root = *git_commit_tree_id(commit->get());
    }
    auto id = subtree_id(root);
    RETURN_IF_ERROR(id);
    cache_.emplace(commit_id, *id);
    return *id;
}

Result<std::vector<EntryState>> DirTrees::states(const git_oid& tree_id,
                                                 const std::vector<const std::string*>& names) {
    std::vector<EntryState> out(names.size());
    if (git_oid_is_zero(&tree_id)) {
        return out;
    }
    git_tree* raw = nullptr;
    int rc = git_tree_lookup(&raw, repo_.raw(), &tree_id);
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read the tree"));
    }
    TreeHandle tree(raw);
    for (size_t i = 0; i < names.size(); ++i) {
        const git_tree_entry* entry = git_tree_entry_byname(tree.get(), names[i]->c_str());
        if (entry) {
            out[i].oid = *git_tree_entry_id(entry);
            out[i].mode = static_cast<uint32_t>(git_tree_entry_filemode(entry));
        }
    }
    return out;
}

Result<git_oid> DirTrees::subtree_id(const git_oid& root) {
    if (dir_.empty()) {
        return root;
    }
    git_tree* raw = nullptr;
    int rc = git_tree_lookup(&raw, repo_.raw(), &root);
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read the tree"));
    }
    TreeHandle tree(raw);
    git_tree_entry* raw_entry = nullptr;
    rc = git_tree_entry_bypath(&raw_entry, tree.get(), dir_.c_str());
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        return git_oid{};
    }
    if (rc != 0) {
        return fail(libgit2_error(rc, "cannot read the tree"));
    }
    TreeEntryHandle entry(raw_entry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
        return git_oid{};
    }
    return *git_tree_entry_id(entry.get());
}

}  // namespace kallithea::vcs::git
