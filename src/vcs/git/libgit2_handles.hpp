// Owned libgit2 handles (CHandle-style unique_ptrs), one-time library setup and error mapping.
// Internal to src/vcs/git/: the only header that includes <git2.h>.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <git2.h>

#include "core/error.hpp"

namespace kallithea::vcs::git {

template <class T, void (*Free)(T*)>
struct CFree {
    void operator()(T* p) const { Free(p); }
};

template <class T, void (*Free)(T*)>
using CHandle = std::unique_ptr<T, CFree<T, Free>>;

using RepoHandle = CHandle<git_repository, git_repository_free>;
using CommitHandle = CHandle<git_commit, git_commit_free>;
using TreeHandle = CHandle<git_tree, git_tree_free>;
using TreeEntryHandle = CHandle<git_tree_entry, git_tree_entry_free>;
using BlobHandle = CHandle<git_blob, git_blob_free>;
using ObjectHandle = CHandle<git_object, git_object_free>;
using ReferenceHandle = CHandle<git_reference, git_reference_free>;
using RefIteratorHandle = CHandle<git_reference_iterator, git_reference_iterator_free>;
using RevwalkHandle = CHandle<git_revwalk, git_revwalk_free>;
using DiffHandle = CHandle<git_diff, git_diff_free>;
using PatchHandle = CHandle<git_patch, git_patch_free>;
using OdbHandle = CHandle<git_odb, git_odb_free>;

// git_buf that frees itself.
struct OwnedBuf {
    git_buf buf = GIT_BUF_INIT;
    OwnedBuf() = default;
    OwnedBuf(const OwnedBuf&) = delete;
    OwnedBuf& operator=(const OwnedBuf&) = delete;
    ~OwnedBuf() { git_buf_dispose(&buf); }
    std::string_view view() const { return {buf.ptr ? buf.ptr : "", buf.size}; }
};

// Initializes libgit2 once per process: strict hash verification off, owner validation off (the
// server owns its repositories), no system/global/XDG configuration files.
void ensure_libgit2();

// Error for a failed libgit2 call: io (an unreadable or corrupt repository; lookups of what a
// user asked for check GIT_ENOTFOUND themselves and answer not_found). message is shown to
// users; libgit2's own text goes to detail.
Error libgit2_error(int rc, std::string message);

std::string oid_hex(const git_oid& oid);

}  // namespace kallithea::vcs::git
