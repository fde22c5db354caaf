// Tests of Git repositories: opening, refs, revisions, changesets, logs, ancestry.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "vcs/git/git_test_repos.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs {
namespace {

using git::testing::run_test_git;
using git::testing::test_repos;

std::unique_ptr<Repository> open_repo(const std::string& path) {
    auto repo = Repository::open(path);
    EXPECT_TRUE(repo) << (repo ? "" : repo.error().message + ": " + repo.error().detail);
    return repo ? std::move(*repo) : nullptr;
}

const std::string& id(const char* name) {
    return test_repos().ids.at(name);
}

std::vector<std::string> ids_of(const std::vector<ChangesetInfo>& list) {
    std::vector<std::string> out;
    for (const auto& cs : list) {
        out.push_back(cs.id);
    }
    return out;
}

TEST(GitRepository, DetectsTypes) {
    EXPECT_EQ(detect_repository_type(test_repos().work), "git");
    EXPECT_EQ(detect_repository_type(test_repos().bare), "git");
    EXPECT_EQ(detect_repository_type(test_repos().empty), "git");
    EXPECT_EQ(detect_repository_type(test_repos().root), std::nullopt);
    EXPECT_EQ(detect_repository_type("/nonexistent/x"), std::nullopt);
}

TEST(GitRepository, OpenFailures) {
    auto missing = Repository::open(test_repos().root + "/missing");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);

    std::string hg = test_repos().root + "/hgrepo";
    std::filesystem::create_directories(hg + "/.hg");
    auto hg_repo = Repository::open(hg);
    ASSERT_FALSE(hg_repo);
    EXPECT_EQ(hg_repo.error().code, Errc::unavailable);
}

TEST(GitRepository, OpensWorkTreeAndBare) {
    for (const auto& path : {test_repos().work, test_repos().bare}) {
        auto repo = open_repo(path);
        ASSERT_TRUE(repo);
        EXPECT_EQ(repo->type(), "git");
        EXPECT_EQ(repo->path(), path);
        EXPECT_EQ(repo->is_empty().value(), false);
        EXPECT_EQ(repo->default_branch().value(), "master");
        EXPECT_EQ(repo->resolve("HEAD").value(), id("c4"));
    }
}

TEST(GitRepository, Refs) {
    auto repo = open_repo(test_repos().bare);
    auto refs = repo->refs();
    ASSERT_TRUE(refs);
    ASSERT_EQ(refs->size(), 4u);
    EXPECT_EQ((*refs)[0].name, "feature");
    EXPECT_EQ((*refs)[0].kind, RefKind::branch);
    EXPECT_EQ((*refs)[0].target, id("f2"));
    EXPECT_EQ((*refs)[1].name, "master");
    EXPECT_EQ((*refs)[1].target, id("c4"));
    EXPECT_EQ((*refs)[2].name, "light");
    EXPECT_EQ((*refs)[2].kind, RefKind::tag);
    EXPECT_EQ((*refs)[2].target, id("c2"));
    EXPECT_EQ((*refs)[3].name, "v1.0");
    EXPECT_EQ((*refs)[3].target, id("c4"));  // annotated tag peeled to its changeset
    EXPECT_EQ(repo->branches()->size(), 2u);
    EXPECT_EQ(repo->tags()->size(), 2u);
}

TEST(GitRepository, ResolvesRevisions) {
    auto repo = open_repo(test_repos().bare);
    EXPECT_EQ(repo->resolve(id("c2")).value(), id("c2"));
    EXPECT_EQ(repo->resolve(id("c2").substr(0, 12)).value(), id("c2"));
    EXPECT_EQ(repo->resolve(id("c2").substr(0, 7)).value(), id("c2"));
    EXPECT_EQ(repo->resolve("feature").value(), id("f2"));
    EXPECT_EQ(repo->resolve("master").value(), id("c4"));
    EXPECT_EQ(repo->resolve("light").value(), id("c2"));
    EXPECT_EQ(repo->resolve("v1.0").value(), id("c4"));
    EXPECT_EQ(repo->resolve("refs/heads/feature").value(), id("f2"));
    EXPECT_EQ(repo->resolve("tip").value(), id("c4"));
    EXPECT_EQ(repo->resolve("").value(), id("c4"));
    for (const char* bad :
         {"nope", "HEAD~1", "master^", ":/Rename", "deadbeef", "..", "-p", "master@{0}", "a"}) {
        auto r = repo->resolve(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, Errc::not_found) << bad;
    }
    EXPECT_FALSE(repo->resolve(std::string("mas\0ter", 7)));
}

TEST(GitRepository, ChangesetFields) {
    auto repo = open_repo(test_repos().bare);
    auto cs = repo->changeset(id("c3"));
    ASSERT_TRUE(cs);
    EXPECT_EQ(cs->id, id("c3"));
    EXPECT_EQ(cs->short_id, id("c3").substr(0, 12));
    EXPECT_EQ(cs->parents, std::vector<std::string>{id("c2")});
    EXPECT_EQ(cs->author.name, "Ann Author");
    EXPECT_EQ(cs->author.email, "ann@example.com");
    EXPECT_EQ(cs->author.full(), "Ann Author <ann@example.com>");
    EXPECT_EQ(cs->committer.name, "Carl Committer");
    EXPECT_EQ(cs->author.time, 1577853000);  // 2020-01-01T06:30:00+0200
    EXPECT_EQ(cs->author.offset_minutes, 120);
    EXPECT_EQ(cs->message, "Rename b");
    EXPECT_EQ(cs->revision, -1);

    auto c1 = repo->changeset(id("c1"));
    ASSERT_TRUE(c1);
    EXPECT_TRUE(c1->parents.empty());
    EXPECT_EQ(c1->message, "Initial commit\n\nWith a body.");
    EXPECT_EQ(c1->summary(), "Initial commit");

    auto head = repo->changeset("master");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->branches, std::vector<std::string>{"master"});
    EXPECT_EQ(head->tags, std::vector<std::string>{"v1.0"});
    auto merge = repo->changeset(id("m1"));
    EXPECT_TRUE(merge->is_merge());
    EXPECT_EQ(merge->parents, (std::vector<std::string>{id("c3"), id("f2")}));

    auto missing = repo->changeset("0000000000000000000000000000000000000000");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST(GitRepository, Children) {
    auto repo = open_repo(test_repos().bare);
    auto children = repo->children(id("c2"), SIZE_MAX);
    ASSERT_TRUE(children);
    EXPECT_TRUE(children->complete);
    auto got = ids_of(children->changesets);
    std::sort(got.begin(), got.end());
    std::vector<std::string> want{id("f1"), id("c3")};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want);
    EXPECT_TRUE(repo->children(id("c4"), SIZE_MAX)->changesets.empty());
}

TEST(GitRepository, LogOfAllBranchesNewestFirst) {
    auto repo = open_repo(test_repos().bare);
    auto log = repo->log({});
    ASSERT_TRUE(log);
    EXPECT_EQ(ids_of(*log), (std::vector<std::string>{id("c4"), id("m1"), id("c3"), id("f2"),
                                                      id("f1"), id("c2"), id("c1")}));
    EXPECT_EQ(repo->count({}).value(), 7u);
}

TEST(GitRepository, LogPagingAndFirstParent) {
    auto repo = open_repo(test_repos().bare);
    LogQuery page;
    page.start = {"master"};
    page.skip = 2;
    page.limit = 2;
    EXPECT_EQ(ids_of(repo->log(page).value()), (std::vector<std::string>{id("c3"), id("f2")}));

    LogQuery fp;
    fp.start = {"master"};
    fp.first_parent = true;
    EXPECT_EQ(ids_of(repo->log(fp).value()),
              (std::vector<std::string>{id("c4"), id("m1"), id("c3"), id("c2"), id("c1")}));
    EXPECT_EQ(repo->count(fp).value(), 5u);

    LogQuery feature;
    feature.start = {"feature"};
    EXPECT_EQ(ids_of(repo->log(feature).value()),
              (std::vector<std::string>{id("f2"), id("f1"), id("c2"), id("c1")}));

    LogQuery stop_early;
    int visited = 0;
    ASSERT_TRUE(repo->walk_log(stop_early, [&](const ChangesetInfo&) { return ++visited < 3; }));
    EXPECT_EQ(visited, 3);

    LogQuery bad;
    bad.start = {"nope"};
    EXPECT_EQ(repo->log(bad).error().code, Errc::not_found);
}

TEST(GitRepository, LogOfAPath) {
    auto repo = open_repo(test_repos().bare);
    LogQuery q;
    q.path = "src/a.c";
    EXPECT_EQ(ids_of(repo->log(q).value()), (std::vector<std::string>{id("f1"), id("c2")}));
    EXPECT_EQ(repo->count(q).value(), 2u);
    q.path = "/README.md/";
    EXPECT_EQ(ids_of(repo->log(q).value()),
              (std::vector<std::string>{id("c3"), id("c2"), id("c1")}));
    q.limit = 1;
    q.skip = 1;
    EXPECT_EQ(ids_of(repo->log(q).value()), (std::vector<std::string>{id("c2")}));

    LogQuery hidden;
    hidden.path = "src/a.c";
    hidden.start = {"master"};
    hidden.hide = {id("c2")};
    EXPECT_EQ(ids_of(repo->log(hidden).value()), (std::vector<std::string>{id("f1")}));
    EXPECT_EQ(repo->count(hidden).value(), 1u);

    LogQuery dir;
    dir.path = "docs";
    dir.start = {"feature"};
    EXPECT_EQ(ids_of(repo->log(dir).value()), (std::vector<std::string>{id("f2"), id("c1")}));

    LogQuery odd;
    odd.path = "<img src=x onerror=alert(1)>.txt";
    EXPECT_EQ(ids_of(repo->log(odd).value()), (std::vector<std::string>{id("c1")}));
    odd.path = "ünïcode.txt";
    EXPECT_EQ(ids_of(repo->log(odd).value()), (std::vector<std::string>{id("c1")}));
    odd.path = "*.txt";  // pathspecs are literal
    EXPECT_TRUE(repo->log(odd).value().empty());
    odd.path = "../etc";
    EXPECT_EQ(repo->log(odd).error().code, Errc::invalid_argument);
}

TEST(GitRepository, CompareHelpers) {
    auto repo = open_repo(test_repos().bare);
    EXPECT_EQ(repo->common_ancestor("master", "feature").value(), id("f2"));
    EXPECT_EQ(repo->common_ancestor(id("c3"), "feature").value(), id("c2"));
    EXPECT_EQ(ids_of(repo->commits_between(id("c3"), "feature").value()),
              (std::vector<std::string>{id("f2"), id("f1")}));
    EXPECT_TRUE(repo->commits_between("master", "feature").value().empty());
    EXPECT_EQ(ids_of(repo->commits_between(id("c2"), "master", 2).value()),
              (std::vector<std::string>{id("c4"), id("m1")}));
    EXPECT_TRUE(repo->is_ancestor(id("c1"), "master").value());
    EXPECT_TRUE(repo->is_ancestor("master", "master").value());
    EXPECT_FALSE(repo->is_ancestor("master", id("c1")).value());
    EXPECT_FALSE(repo->is_ancestor(id("c3"), "feature").value());
    EXPECT_EQ(repo->common_ancestor("nope", "master").error().code, Errc::not_found);
}

TEST(GitRepository, UnrelatedHistoriesHaveNoCommonAncestor) {
    std::string path = test_repos().root + "/unrelated";
    std::filesystem::create_directories(path);
    run_test_git(path, {"init", "-q", "-b", "one"});
    std::ofstream(path + "/a") << "a\n";
    run_test_git(path, {"add", "a"});
    run_test_git(path, {"commit", "-q", "-m", "one"}, "2021-01-01T00:00:00+0000");
    run_test_git(path, {"checkout", "-q", "--orphan", "two"});
    run_test_git(path, {"commit", "-q", "-m", "two"}, "2021-01-02T00:00:00+0000");
    auto repo = open_repo(path);
    auto base = repo->common_ancestor("one", "two");
    ASSERT_FALSE(base);
    EXPECT_EQ(base.error().code, Errc::not_found);
}

TEST(GitRepository, EmptyRepository) {
    auto repo = open_repo(test_repos().empty);
    ASSERT_TRUE(repo);
    EXPECT_TRUE(repo->is_empty().value());
    EXPECT_TRUE(repo->refs().value().empty());
    EXPECT_EQ(repo->default_branch().value(), "master");
    EXPECT_EQ(repo->resolve("HEAD").error().code, Errc::not_found);
    EXPECT_EQ(repo->changeset("tip").error().code, Errc::not_found);
    EXPECT_TRUE(repo->log({}).value().empty());
    EXPECT_EQ(repo->count({}).value(), 0u);
    EXPECT_EQ(repo->list_dir("HEAD", "").error().code, Errc::not_found);
    EXPECT_TRUE(repo->update_indexes());
    EXPECT_GT(repo->size_on_disk().value(), 0u);
}

TEST(GitRepository, HeadOnAMissingBranchFallsBackToTheNewestBranch) {
    std::string path = test_repos().root + "/headless.git";
    run_test_git(test_repos().root, {"clone", "-q", "--bare", test_repos().work, path});
    run_test_git(path, {"symbolic-ref", "HEAD", "refs/heads/gone"});
    auto repo = open_repo(path);
    EXPECT_EQ(repo->default_branch().value(), "gone");
    EXPECT_EQ(repo->resolve("tip").value(), id("c4"));
}

TEST(GitRepository, UpdateIndexesWritesACommitGraph) {
    std::string path = test_repos().root + "/graph.git";
    run_test_git(test_repos().root, {"clone", "-q", "--bare", test_repos().work, path});
    auto repo = open_repo(path);
    ASSERT_TRUE(repo->update_indexes());
    EXPECT_TRUE(std::filesystem::exists(path + "/objects/info/commit-graphs/commit-graph-chain") ||
                std::filesystem::exists(path + "/objects/info/commit-graph"));
    // Still browsable afterwards, and the path log still agrees.
    LogQuery q;
    q.path = "src/a.c";
    EXPECT_EQ(ids_of(repo->log(q).value()), (std::vector<std::string>{id("f1"), id("c2")}));
    EXPECT_GT(repo->size_on_disk().value(), 1000u);
}

}  // namespace
}  // namespace kallithea::vcs

namespace kallithea::vcs {
namespace {

// Repositories are kept open between uses (handle_pool.hpp): a reopened one must see what
// happened on disk meanwhile: new commits (loose or packed), a repack, a repository replaced.
TEST(GitRepository, ReopenedRepositorySeesChangesOnDisk) {
    const std::string root = test_repos().root + "/pool";
    const std::string bare = root + "/r.git";
    std::filesystem::create_directories(root);
    run_test_git(root, {"clone", "-q", "--bare", test_repos().bare, bare});
    const std::string work = root + "/w";
    run_test_git(root, {"clone", "-q", bare, work});
    auto head_of = [&] {
        auto repo = open_repo(bare);
        auto cs = repo->changeset("master");
        EXPECT_TRUE(cs);
        return cs ? cs->id : std::string();
    };
    EXPECT_EQ(head_of(), id("c4"));
    for (int round = 0; round < 3; ++round) {
        git::testing::write_test_file(work + "/new.txt", "round " + std::to_string(round) + "\n");
        const std::string commit =
            git::testing::commit_all(work, "Round", "2021-01-01T00:00:00+0000");
        run_test_git(work, {"push", "-q", "origin", "master"});
        if (round == 1) {
            run_test_git(bare, {"repack", "-a", "-d", "-q"});
        }
        EXPECT_EQ(head_of(), commit) << round;
        auto repo = open_repo(bare);
        auto file = repo->read_file(commit, "new.txt", 1024);
        ASSERT_TRUE(file);
        EXPECT_EQ(file->data, "round " + std::to_string(round) + "\n");
    }
    // Repacked while a repository object is in use: given back, it must not be reused.
    {
        auto held = open_repo(bare);
        ASSERT_TRUE(held->changeset("master"));
        run_test_git(bare, {"repack", "-a", "-d", "-q", "-f"});
    }
    EXPECT_EQ(head_of(), run_test_git(bare, {"rev-parse", "master"}));
    // Deleted and created again at the same path, with other history, while one is in use.
    const std::string old_head = head_of();
    {
        auto held = open_repo(bare);
        ASSERT_TRUE(held->changeset(old_head));
        std::filesystem::remove_all(bare);
        run_test_git(root, {"init", "-q", "--bare", "-b", "master", bare});
    }
    auto empty = open_repo(bare);
    EXPECT_TRUE(*empty->is_empty());
    EXPECT_FALSE(empty->changeset(old_head));
}

}  // namespace
}  // namespace kallithea::vcs
