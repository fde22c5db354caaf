// Tests of Git repositories: opening, refs, revisions, changesets, logs, ancestry.
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
        ASSERT_OK_AND_ASSIGN(auto is_empty, repo->is_empty());
        EXPECT_EQ(is_empty, false);
        ASSERT_OK_AND_ASSIGN(auto default_branch, repo->default_branch());
        EXPECT_EQ(default_branch, "master");
        ASSERT_OK_AND_ASSIGN(auto resolve, repo->resolve("HEAD"));
        EXPECT_EQ(resolve, id("c4"));
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
    ASSERT_OK_AND_ASSIGN(auto branches, repo->branches());
    EXPECT_EQ(branches.size(), 2u);
    ASSERT_OK_AND_ASSIGN(auto tags, repo->tags());
    EXPECT_EQ(tags.size(), 2u);
}

TEST(GitRepository, ResolvesRevisions) {
    auto repo = open_repo(test_repos().bare);
    ASSERT_OK_AND_ASSIGN(auto resolve, repo->resolve(id("c2")));
    EXPECT_EQ(resolve, id("c2"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve(id("c2").substr(0, 12)));
    EXPECT_EQ(resolve, id("c2"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve(id("c2").substr(0, 7)));
    EXPECT_EQ(resolve, id("c2"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve("feature"));
    EXPECT_EQ(resolve, id("f2"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve("master"));
    EXPECT_EQ(resolve, id("c4"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve("light"));
    EXPECT_EQ(resolve, id("c2"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve("v1.0"));
    EXPECT_EQ(resolve, id("c4"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve("refs/heads/feature"));
    EXPECT_EQ(resolve, id("f2"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve("tip"));
    EXPECT_EQ(resolve, id("c4"));
    ASSERT_OK_AND_ASSIGN(resolve, repo->resolve(""));
    EXPECT_EQ(resolve, id("c4"));
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
    ASSERT_OK_AND_ASSIGN(auto merge, repo->changeset(id("m1")));
    EXPECT_TRUE(merge.is_merge());
    EXPECT_EQ(merge.parents, (std::vector<std::string>{id("c3"), id("f2")}));

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
    ASSERT_OK_AND_ASSIGN(auto got_children, repo->children(id("c4"), SIZE_MAX));
    EXPECT_TRUE(got_children.changesets.empty());
}

TEST(GitRepository, LogOfAllBranchesNewestFirst) {
    auto repo = open_repo(test_repos().bare);
    auto log = repo->log({});
    ASSERT_TRUE(log);
    EXPECT_EQ(ids_of(*log), (std::vector<std::string>{id("c4"), id("m1"), id("c3"), id("f2"),
                                                      id("f1"), id("c2"), id("c1")}));
    ASSERT_OK_AND_ASSIGN(auto count, repo->count({}));
    EXPECT_EQ(count, 7u);
}

TEST(GitRepository, LogPagingAndFirstParent) {
    auto repo = open_repo(test_repos().bare);
    LogQuery page;
    page.start = {"master"};
    page.skip = 2;
    page.limit = 2;
    ASSERT_OK_AND_ASSIGN(auto got_log, repo->log(page));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("c3"), id("f2")}));

    LogQuery fp;
    fp.start = {"master"};
    fp.first_parent = true;
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(fp));
    EXPECT_EQ(ids_of(got_log),
              (std::vector<std::string>{id("c4"), id("m1"), id("c3"), id("c2"), id("c1")}));
    ASSERT_OK_AND_ASSIGN(auto count, repo->count(fp));
    EXPECT_EQ(count, 5u);

    LogQuery feature;
    feature.start = {"feature"};
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(feature));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("f2"), id("f1"), id("c2"), id("c1")}));

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
    ASSERT_OK_AND_ASSIGN(auto got_log, repo->log(q));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("f1"), id("c2")}));
    ASSERT_OK_AND_ASSIGN(auto count, repo->count(q));
    EXPECT_EQ(count, 2u);
    q.path = "/README.md/";
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(q));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("c3"), id("c2"), id("c1")}));
    q.limit = 1;
    q.skip = 1;
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(q));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("c2")}));

    LogQuery hidden;
    hidden.path = "src/a.c";
    hidden.start = {"master"};
    hidden.hide = {id("c2")};
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(hidden));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("f1")}));
    ASSERT_OK_AND_ASSIGN(count, repo->count(hidden));
    EXPECT_EQ(count, 1u);

    LogQuery dir;
    dir.path = "docs";
    dir.start = {"feature"};
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(dir));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("f2"), id("c1")}));

    LogQuery odd;
    odd.path = "<img src=x onerror=alert(1)>.txt";
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(odd));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("c1")}));
    odd.path = "ünïcode.txt";
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(odd));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("c1")}));
    odd.path = "*.txt";  // pathspecs are literal
    ASSERT_OK_AND_ASSIGN(got_log, repo->log(odd));
    EXPECT_TRUE(got_log.empty());
    odd.path = "../etc";
    EXPECT_EQ(repo->log(odd).error().code, Errc::invalid_argument);
}

TEST(GitRepository, CompareHelpers) {
    auto repo = open_repo(test_repos().bare);
    ASSERT_OK_AND_ASSIGN(auto common_ancestor, repo->common_ancestor("master", "feature"));
    EXPECT_EQ(common_ancestor, id("f2"));
    ASSERT_OK_AND_ASSIGN(common_ancestor, repo->common_ancestor(id("c3"), "feature"));
    EXPECT_EQ(common_ancestor, id("c2"));
    ASSERT_OK_AND_ASSIGN(auto commits_between, repo->commits_between(id("c3"), "feature"));
    EXPECT_EQ(ids_of(commits_between), (std::vector<std::string>{id("f2"), id("f1")}));
    ASSERT_OK_AND_ASSIGN(commits_between, repo->commits_between("master", "feature"));
    EXPECT_TRUE(commits_between.empty());
    ASSERT_OK_AND_ASSIGN(commits_between, repo->commits_between(id("c2"), "master", 2));
    EXPECT_EQ(ids_of(commits_between), (std::vector<std::string>{id("c4"), id("m1")}));
    ASSERT_OK_AND_ASSIGN(auto is_ancestor, repo->is_ancestor(id("c1"), "master"));
    EXPECT_TRUE(is_ancestor);
    ASSERT_OK_AND_ASSIGN(is_ancestor, repo->is_ancestor("master", "master"));
    EXPECT_TRUE(is_ancestor);
    ASSERT_OK_AND_ASSIGN(is_ancestor, repo->is_ancestor("master", id("c1")));
    EXPECT_FALSE(is_ancestor);
    ASSERT_OK_AND_ASSIGN(is_ancestor, repo->is_ancestor(id("c3"), "feature"));
    EXPECT_FALSE(is_ancestor);
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
    ASSERT_OK_AND_ASSIGN(auto is_empty, repo->is_empty());
    EXPECT_TRUE(is_empty);
    ASSERT_OK_AND_ASSIGN(auto got_refs, repo->refs());
    EXPECT_TRUE(got_refs.empty());
    ASSERT_OK_AND_ASSIGN(auto default_branch, repo->default_branch());
    EXPECT_EQ(default_branch, "master");
    EXPECT_EQ(repo->resolve("HEAD").error().code, Errc::not_found);
    EXPECT_EQ(repo->changeset("tip").error().code, Errc::not_found);
    ASSERT_OK_AND_ASSIGN(auto got_log, repo->log({}));
    EXPECT_TRUE(got_log.empty());
    ASSERT_OK_AND_ASSIGN(auto count, repo->count({}));
    EXPECT_EQ(count, 0u);
    EXPECT_EQ(repo->list_dir("HEAD", "").error().code, Errc::not_found);
    EXPECT_TRUE(repo->update_indexes());
    ASSERT_OK_AND_ASSIGN(auto size_on_disk, repo->size_on_disk());
    EXPECT_GT(size_on_disk, 0u);
}

TEST(GitRepository, HeadOnAMissingBranchFallsBackToTheNewestBranch) {
    std::string path = test_repos().root + "/headless.git";
    run_test_git(test_repos().root, {"clone", "-q", "--bare", test_repos().work, path});
    run_test_git(path, {"symbolic-ref", "HEAD", "refs/heads/gone"});
    auto repo = open_repo(path);
    ASSERT_OK_AND_ASSIGN(auto default_branch, repo->default_branch());
    EXPECT_EQ(default_branch, "gone");
    ASSERT_OK_AND_ASSIGN(auto resolve, repo->resolve("tip"));
    EXPECT_EQ(resolve, id("c4"));
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
    ASSERT_OK_AND_ASSIGN(auto got_log, repo->log(q));
    EXPECT_EQ(ids_of(got_log), (std::vector<std::string>{id("f1"), id("c2")}));
    ASSERT_OK_AND_ASSIGN(auto size_on_disk, repo->size_on_disk());
    EXPECT_GT(size_on_disk, 1000u);
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
    ASSERT_OK_AND_ASSIGN(auto is_empty, empty->is_empty());
    EXPECT_TRUE(is_empty);
    EXPECT_FALSE(empty->changeset(old_head));
}

}  // namespace
}  // namespace kallithea::vcs
