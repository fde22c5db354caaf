// Tests of Git trees and files: listings, kinds, contents, last change per entry.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "vcs/git/git_test_repos.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs {
namespace {

using git::testing::run_test_git;
using git::testing::test_repos;

std::unique_ptr<Repository> open_bare() {
    auto repo = Repository::open(test_repos().bare);
    EXPECT_TRUE(repo);
    return std::move(*repo);
}

const std::string& id(const char* name) {
    return test_repos().ids.at(name);
}

const NodeEntry* find(const std::vector<NodeEntry>& list, const std::string& name) {
    for (const auto& e : list) {
        if (e.name == name) {
            return &e;
        }
    }
    return nullptr;
}

TEST(GitTree, ListsTheRootDirectory) {
    auto repo = open_bare();
    auto list = repo->list_dir("master", "");
    ASSERT_TRUE(list);
    std::vector<std::string> names;
    for (const auto& e : *list) {
        names.push_back(e.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"bin", "dir with space", "docs", "src", "sub",
                                               ".gitmodules", "<img src=x onerror=alert(1)>.txt",
                                               "README.md", "link", "run.sh", "ünïcode.txt"}));
    EXPECT_EQ(find(*list, "bin")->kind, NodeKind::dir);
    EXPECT_EQ(find(*list, "bin")->path, "bin");
    const NodeEntry* sub = find(*list, "sub");
    EXPECT_EQ(sub->kind, NodeKind::submodule);
    EXPECT_EQ(sub->submodule_url, "https://example.com/sub.git");
    EXPECT_EQ(sub->object_id, id("c1"));
    EXPECT_EQ(find(*list, "link")->kind, NodeKind::symlink);
    EXPECT_EQ(find(*list, "link")->size, 9u);  // "README.md"
    EXPECT_TRUE(find(*list, "run.sh")->executable);
    EXPECT_FALSE(find(*list, "README.md")->executable);
    EXPECT_EQ(find(*list, "README.md")->size, 23u);
    EXPECT_EQ(find(*list, "README.md")->kind, NodeKind::file);
}

TEST(GitTree, ListsSubdirectories) {
    auto repo = open_bare();
    auto list = repo->list_dir(id("c2"), "/src/");
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].path, "src/a.c");
    EXPECT_EQ((*list)[1].path, "src/b.c");
    auto spaced = repo->list_dir("master", "dir with space");
    ASSERT_TRUE(spaced);
    EXPECT_EQ((*spaced)[0].path, "dir with space/file one.txt");

    EXPECT_EQ(repo->list_dir("master", "nope").error().code, Errc::not_found);
    EXPECT_EQ(repo->list_dir("master", "README.md").error().code, Errc::invalid_argument);
    EXPECT_EQ(repo->list_dir("nope", "").error().code, Errc::not_found);
    EXPECT_EQ(repo->list_dir("master", "../x").error().code, Errc::invalid_argument);
}

TEST(GitTree, ListsFilesRecursively) {
    auto repo = open_bare();
    auto files = repo->list_files("master", "");
    ASSERT_TRUE(files);
    EXPECT_EQ(files->size(), 12u);
    EXPECT_TRUE(std::is_sorted(files->begin(), files->end()));
    EXPECT_EQ(files->front(), ".gitmodules");
    ASSERT_OK_AND_ASSIGN(auto src, repo->list_files("master", "src"));
    EXPECT_EQ(src, (std::vector<std::string>{"src/a.c", "src/b_renamed.c"}));
}

TEST(GitTree, NodeKinds) {
    auto repo = open_bare();
    ASSERT_OK_AND_ASSIGN(auto node_kind, repo->node_kind("master", ""));
    EXPECT_EQ(node_kind, NodeKind::dir);
    ASSERT_OK_AND_ASSIGN(node_kind, repo->node_kind("master", "docs"));
    EXPECT_EQ(node_kind, NodeKind::dir);
    ASSERT_OK_AND_ASSIGN(node_kind, repo->node_kind("master", "docs/guide.md"));
    EXPECT_EQ(node_kind, NodeKind::file);
    ASSERT_OK_AND_ASSIGN(node_kind, repo->node_kind("master", "link"));
    EXPECT_EQ(node_kind, NodeKind::symlink);
    ASSERT_OK_AND_ASSIGN(node_kind, repo->node_kind("master", "sub"));
    EXPECT_EQ(node_kind, NodeKind::submodule);
    EXPECT_EQ(repo->node_kind("master", "src/b.c").error().code, Errc::not_found);
    ASSERT_OK_AND_ASSIGN(node_kind, repo->node_kind(id("c2"), "src/b.c"));
    EXPECT_EQ(node_kind, NodeKind::file);
}

TEST(GitTree, ReadsFiles) {
    auto repo = open_bare();
    auto readme = repo->read_file("master", "README.md", 0);
    ASSERT_TRUE(readme);
    EXPECT_EQ(readme->data, "hello\nworld\n  indented\n");
    EXPECT_EQ(readme->size, readme->data.size());
    EXPECT_FALSE(readme->binary);
    EXPECT_FALSE(readme->truncated);
    EXPECT_EQ(readme->blob_id, run_test_git(test_repos().bare, {"rev-parse", "master:README.md"}));

    ASSERT_OK_AND_ASSIGN(auto part, repo->read_file("master", "README.md", 5));
    EXPECT_EQ(part.data, "hello");
    EXPECT_TRUE(part.truncated);
    EXPECT_EQ(part.size, 23u);

    auto bin = repo->read_file("master", "bin/data.bin", 0);
    ASSERT_TRUE(bin);
    EXPECT_TRUE(bin->binary);
    EXPECT_EQ(bin->data.size(), 12u);

    ASSERT_OK_AND_ASSIGN(auto read_file, repo->read_file("master", "ünïcode.txt", 0));
    EXPECT_EQ(read_file.data, "unicode\n");
    ASSERT_OK_AND_ASSIGN(read_file,
                         repo->read_file("master", "<img src=x onerror=alert(1)>.txt", 0));
    EXPECT_EQ(read_file.data, "script\n");
    ASSERT_OK_AND_ASSIGN(read_file, repo->read_file("master", "run.sh", 0));
    EXPECT_TRUE(read_file.executable);
    ASSERT_OK_AND_ASSIGN(auto link, repo->read_file("master", "link", 0));
    EXPECT_TRUE(link.symlink);
    EXPECT_EQ(link.data, "README.md");

    EXPECT_EQ(repo->read_file("master", "docs", 0).error().code, Errc::invalid_argument);
    EXPECT_EQ(repo->read_file("master", "", 0).error().code, Errc::invalid_argument);
    EXPECT_EQ(repo->read_file("master", "sub", 0).error().code, Errc::invalid_argument);
    EXPECT_EQ(repo->read_file("master", "missing", 0).error().code, Errc::not_found);
    EXPECT_EQ(repo->read_file("missing", "README.md", 0).error().code, Errc::not_found);
}

TEST(GitTree, StreamsFiles) {
    auto repo = open_bare();
    std::string out;
    ASSERT_TRUE(repo->stream_file(id("c1"), "README.md", [&](std::string_view data) {
        out.append(data);
        return true;
    }));
    EXPECT_EQ(out, "hello\n");
    EXPECT_EQ(
        repo->stream_file("master", "nope", [](std::string_view) { return true; }).error().code,
        Errc::not_found);
}

TEST(GitTree, ReadsLargeFilesThroughTheCli) {
    std::string path = test_repos().root + "/large";
    std::filesystem::create_directories(path);
    run_test_git(path, {"init", "-q", "-b", "main"});
    std::string big;
    for (int i = 0; big.size() < 20 * 1024 * 1024; ++i) {
        big += "line " + std::to_string(i) + "\n";
    }
    git::testing::write_test_file(path + "/big.txt", big);
    run_test_git(path, {"add", "big.txt"});
    run_test_git(path, {"commit", "-q", "-m", "big"}, "2021-01-01T00:00:00+0000");
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    auto head = (*repo)->read_file("main", "big.txt", 1000);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->data, big.substr(0, 1000));
    EXPECT_EQ(head->size, big.size());
    EXPECT_TRUE(head->truncated);
    size_t streamed = 0;
    bool same = true;
    ASSERT_TRUE((*repo)->stream_file("main", "big.txt", [&](std::string_view data) {
        same = same && big.compare(streamed, data.size(), data) == 0;
        streamed += data.size();
        return true;
    }));
    EXPECT_EQ(streamed, big.size());
    EXPECT_TRUE(same);
    ASSERT_OK_AND_ASSIGN(auto read_file, (*repo)->read_file("main", "big.txt", 0));
    EXPECT_EQ(read_file.data.size(), big.size());
}

// git's own answer: the last changeset touching path at rev.
std::string git_last_change(const std::string& rev, const std::string& path) {
    return run_test_git(test_repos().bare, {"log", "-1", "--format=%H", rev, "--", path});
}

TEST(GitTree, LastChangesAgreeWithGitLog) {
    auto repo = open_bare();
    for (const char* rev : {"master", "feature", "light"}) {
        for (const char* dir : {"", "src", "docs", "dir with space", "bin"}) {
            auto list = repo->list_dir(rev, dir);
            if (!list) {
                continue;  // e.g. src before c2
            }
            std::vector<std::string> names;
            for (const auto& e : *list) {
                names.push_back(e.name);
            }
            auto changes = repo->last_changes(rev, dir, names);
            ASSERT_TRUE(changes) << changes.error().detail;
            ASSERT_EQ(changes->size(), names.size()) << rev << " " << dir;
            for (const auto& e : *list) {
                EXPECT_EQ(changes->at(e.name).id, git_last_change(rev, e.path))
                    << rev << " " << e.path;
            }
        }
    }
}

TEST(GitTree, LastChangesDetails) {
    auto repo = open_bare();
    auto changes = repo->last_changes("master", "", {"README.md", "src", "docs", "missing"});
    ASSERT_TRUE(changes);
    EXPECT_EQ(changes->at("README.md").id, id("c3"));
    EXPECT_EQ(changes->at("README.md").summary(), "Rename b");
    EXPECT_EQ(changes->at("src").id, id("m1"));
    EXPECT_EQ(changes->at("docs").id, id("c4"));
    EXPECT_EQ(changes->count("missing"), 0u);  // never existed: not in the map

    auto limited = repo->last_changes("master", "", {"README.md", "bin"}, 3);
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->at("README.md").id, id("c3"));
    EXPECT_EQ(limited->count("bin"), 0u);  // beyond the walk limit

    EXPECT_EQ(repo->last_changes("nope", "", {"a"}).error().code, Errc::not_found);
    ASSERT_OK_AND_ASSIGN(auto last_changes, repo->last_changes("master", "", {}));
    EXPECT_TRUE(last_changes.empty());
}

TEST(GitTree, CorruptObjectsAreIoErrors) {
    std::string path = test_repos().root + "/corrupt-objects";
    std::filesystem::copy(test_repos().work, path, std::filesystem::copy_options::recursive);
    auto object_file = [&](const std::string& rev) {
        std::string id = run_test_git(path, {"rev-parse", rev});
        return path + "/.git/objects/" + id.substr(0, 2) + "/" + id.substr(2);
    };
    std::string blob = object_file(id("c4") + ":README.md");
    std::filesystem::permissions(blob, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    std::ofstream(blob, std::ios::binary) << "garbage, not zlib";
    std::filesystem::remove(object_file(id("c4") + ":docs"));
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    auto readme = (*repo)->read_file("master", "README.md", 0);
    ASSERT_FALSE(readme);
    EXPECT_EQ(readme.error().code, Errc::io);
    auto docs = (*repo)->list_dir("master", "docs");
    ASSERT_FALSE(docs);
    EXPECT_EQ(docs.error().code, Errc::io);
    EXPECT_TRUE((*repo)->list_dir("master", "src"));  // the rest is still readable

    std::string broken = test_repos().root + "/broken-head";
    std::filesystem::copy(test_repos().bare, broken, std::filesystem::copy_options::recursive);
    std::ofstream(broken + "/HEAD") << "garbage\n";
    std::filesystem::remove_all(broken + "/refs");
    std::filesystem::create_directories(broken + "/refs");
    auto bad = Repository::open(broken);
    if (!bad) {
        EXPECT_EQ(bad.error().code, Errc::io);
    }
}

}  // namespace
}  // namespace kallithea::vcs
