// Tests of the commit-graph reader (against git's own answers) and of last_changes with and
// without commit-graphs, on a generated history with merges and non-ASCII paths.
#include "vcs/git/commit_graph.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "vcs/git/git_test_repos.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs::git {
namespace {

using testing::run_test_git;
using testing::test_repos;

const std::vector<std::string> kPaths = {
    "a/one.txt",   "a/two.txt", "a/x/deep.txt",      "b/three.txt", "b/\xc3\xbc.txt", "d\xc3\xa9/f",
    "abc\xc3\xa9", "x\xc3\xa9", "\xc3\xa9/\xc3\xa9", "top.txt",     "c/d/e/f.txt",    "readme"};

// Writes a git fast-import stream: a main line with side branches merged back, merges taking
// some of the side's files and keeping main's version of others, deletions and re-additions.
class HistoryGenerator {
public:
    std::string stream;

    void build() {
        std::vector<std::pair<std::string, int>> all;
        for (const auto& path : kPaths) {
            all.emplace_back(path, blob(path + " 0"));
        }
        int main = commit("refs/heads/master", 0, {}, all);
        for (int n = 1; n < 150; ++n) {
            if (n % 25 == 5) {
                main = side_branch(main, n);
                continue;
            }
            main = commit("refs/heads/master", main, {}, changes(n));
        }
    }

private:
    int mark_ = 0;
    int64_t time_ = 1600000000;
    uint32_t seed_ = 12345;

    uint32_t rand() {
        seed_ = seed_ * 1103515245 + 12345;
        return (seed_ >> 8) & 0xffff;
    }
    int blob(const std::string& content) {
        stream += "blob\nmark :" + std::to_string(++mark_) + "\ndata " +
                  std::to_string(content.size()) + "\n" + content + "\n";
        return mark_;
    }
    std::vector<std::pair<std::string, int>> changes(int n) {
        std::vector<std::pair<std::string, int>> out;
        size_t count = 1 + rand() % 3;
        std::set<std::string> used;
        for (size_t i = 0; i < count; ++i) {
            const std::string& path = kPaths[rand() % kPaths.size()];
            if (used.insert(path).second) {
                bool remove = rand() % 9 == 0;
                out.emplace_back(path, remove ? -1 : blob(path + " " + std::to_string(n)));
            }
        }
        return out;
    }
    int commit(const std::string& ref, int from, std::vector<int> merges,
               const std::vector<std::pair<std::string, int>>& files) {
        time_ += 100;
        std::string t = std::to_string(time_);
        int mark = ++mark_;
        stream += "commit " + ref + "\nmark :" + std::to_string(mark) + "\nauthor A <a@x> " + t +
                  " +0000\ncommitter A <a@x> " + t + " +0000\ndata 2\nc\n";
        if (from) {
            stream += "from :" + std::to_string(from) + "\n";
        }
        for (int m : merges) {
            stream += "merge :" + std::to_string(m) + "\n";
        }
        for (const auto& [path, blob_mark] : files) {
            stream += blob_mark < 0 ? "D " + path + "\n"
                                    : "M 100644 :" + std::to_string(blob_mark) + " " + path + "\n";
        }
        stream += "\n";
        return mark;
    }
    int side_branch(int main, int n) {
        std::string ref = "refs/heads/side" + std::to_string(n);
        int side = main;
        std::vector<std::pair<std::string, int>> taken;
        for (int i = 0; i < 4; ++i) {
            auto files = changes(n * 100 + i);
            side = commit(ref, side, {}, files);
            if (i % 2 == 0) {
                taken.insert(taken.end(), files.begin(), files.end());
            }
            main = commit("refs/heads/master", main, {}, changes(n * 100 + 50 + i));
        }
        return commit("refs/heads/master", main, {side}, taken);
    }
};

struct GeneratedRepos {
    std::string plain, single, split;
};

const GeneratedRepos& generated() {
    static GeneratedRepos repos = [] {
        GeneratedRepos r;
        std::string root = test_repos().root + "/generated";
        r.plain = root + "/plain.git";
        r.single = root + "/single.git";
        r.split = root + "/split.git";
        std::filesystem::create_directories(root);
        run_test_git(root, {"init", "-q", "--bare", "-b", "master", r.plain});
        HistoryGenerator gen;
        gen.build();
        ProcessOptions options;
        options.argv = {"git", "fast-import", "--quiet"};
        options.env = testing::git_test_env();
        options.cwd = r.plain;
        auto imported = run_process(options, gen.stream);
        EXPECT_TRUE(imported && imported->exit.success());
        run_test_git(root, {"clone", "-q", "--bare", r.plain, r.single});
        run_test_git(r.single, {"commit-graph", "write", "--reachable", "--changed-paths"});
        run_test_git(root, {"clone", "-q", "--bare", r.plain, r.split});
        // Two layers for older history; the newest commits stay outside the graph.
        for (const char* rev : {"master~90", "master~30"}) {
            ProcessOptions layer;
            layer.argv = {"git",
                          "commit-graph",
                          "write",
                          "--changed-paths",
                          "--split=no-merge",
                          "--stdin-commits"};
            layer.env = testing::git_test_env();
            layer.cwd = r.split;
            auto written = run_process(layer, run_test_git(r.split, {"rev-parse", rev}) + "\n");
            EXPECT_TRUE(written && written->exit.success());
        }
        return r;
    }();
    return repos;
}

RawOid raw_from_hex(const std::string& hex) {
    RawOid out{};
    for (size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
    return out;
}

TEST(CommitGraph, AbsentWhenNotWritten) {
    EXPECT_EQ(CommitGraph::open(generated().plain), nullptr);
    EXPECT_EQ(CommitGraph::open("/nonexistent"), nullptr);
}

TEST(CommitGraph, MatchesGitsCommitData) {
    auto graph = CommitGraph::open(generated().single);
    ASSERT_TRUE(graph);
    EXPECT_TRUE(graph->has_bloom_filters());
    std::istringstream lines(
        run_test_git(generated().single, {"log", "--all", "--format=%H %T %ct %P"}));
    std::string line;
    size_t commits = 0;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string id, tree, parent;
        int64_t time = 0;
        fields >> id >> tree >> time;
        uint32_t pos = graph->find(raw_from_hex(id));
        ASSERT_NE(pos, CommitGraph::kNone) << id;
        EXPECT_EQ(graph->oid(pos), raw_from_hex(id));
        EXPECT_EQ(graph->tree(pos), raw_from_hex(tree));
        EXPECT_EQ(graph->time(pos), time);
        std::vector<uint32_t> parents;
        ASSERT_TRUE(graph->parents(pos, parents));
        size_t i = 0;
        while (fields >> parent) {
            ASSERT_LT(i, parents.size());
            EXPECT_EQ(graph->oid(parents[i++]), raw_from_hex(parent));
        }
        EXPECT_EQ(i, parents.size());
        ++commits;
    }
    EXPECT_EQ(graph->size(), commits);
    RawOid missing{};
    EXPECT_EQ(graph->find(missing), CommitGraph::kNone);
}

TEST(CommitGraph, BloomFiltersHaveNoFalseNegatives) {
    auto graph = CommitGraph::open(generated().single);
    ASSERT_TRUE(graph);
    std::istringstream lines(
        run_test_git(generated().single,
                     {"-c", "core.quotePath=false", "log", "--all", "--format=@%H", "--name-only",
                      "--diff-merges=first-parent", "--root", "--no-renames"}));
    std::string line;
    uint32_t pos = CommitGraph::kNone;
    std::map<uint32_t, std::set<std::string>> changed;
    while (std::getline(lines, line)) {
        if (line.empty()) {
            continue;
        }
        if (line[0] == '@') {
            pos = graph->find(raw_from_hex(line.substr(1)));
            ASSERT_NE(pos, CommitGraph::kNone);
            changed[pos];
            continue;
        }
        for (std::string path = line; !path.empty();) {
            changed[pos].insert(path);
            auto slash = path.rfind('/');
            path = slash == std::string::npos ? "" : path.substr(0, slash);
        }
    }
    size_t says_no = 0, asked = 0;
    for (const auto& [commit, paths] : changed) {
        for (const auto& path : paths) {
            EXPECT_TRUE(graph->maybe_changed(commit, bloom_key(path))) << path;
        }
        for (const auto& path : kPaths) {
            if (!paths.count(path) && bloom_key(path).ascii) {
                ++asked;
                says_no += graph->maybe_changed(commit, bloom_key(path)) ? 0 : 1;
            }
        }
    }
    EXPECT_GT(says_no, asked * 8 / 10);            // the filters are really consulted
    EXPECT_FALSE(bloom_key("d\xc3\xa9/f").ascii);  // never ruled out by version 1 filters
}

TEST(CommitGraph, SplitChainWithCommitsOutsideIt) {
    auto graph = CommitGraph::open(generated().split);
    ASSERT_TRUE(graph);
    uint32_t old_pos =
        graph->find(raw_from_hex(run_test_git(generated().split, {"rev-parse", "master~95"})));
    uint32_t mid_pos =
        graph->find(raw_from_hex(run_test_git(generated().split, {"rev-parse", "master~31"})));
    EXPECT_NE(old_pos, CommitGraph::kNone);
    EXPECT_NE(mid_pos, CommitGraph::kNone);
    EXPECT_EQ(graph->find(raw_from_hex(run_test_git(generated().split, {"rev-parse", "master"}))),
              CommitGraph::kNone);
    std::vector<uint32_t> parents;
    ASSERT_TRUE(graph->parents(mid_pos, parents));
    EXPECT_EQ(graph->oid(parents[0]),
              raw_from_hex(run_test_git(generated().split, {"rev-parse", "master~31^"})));
}

// children() must give git's answer (from `git rev-list --all --parents`) for every commit, with no
// graph, a whole graph (its children index), and a split graph the newest commits are outside of.
void expect_children_agree(const std::string& path) {
    std::map<std::string, std::set<std::string>> want;
    std::istringstream lines(run_test_git(path, {"rev-list", "--all", "--parents"}));
    std::string line;
    std::vector<std::string> all;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string id, parent;
        fields >> id;
        all.push_back(id);
        want[id];
        while (fields >> parent) {
            want[parent].insert(id);
        }
    }
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    for (const auto& id : all) {
        auto children = (*repo)->children(id, SIZE_MAX);
        ASSERT_TRUE(children) << id;
        EXPECT_TRUE(children->complete);
        std::set<std::string> got;
        for (const auto& c : children->changesets) {
            got.insert(c.id);
        }
        EXPECT_EQ(got, want[id]) << path << " " << id;
        for (size_t i = 1; i < children->changesets.size(); ++i) {
            EXPECT_GE(children->changesets[i - 1].committer.time,
                      children->changesets[i].committer.time);
        }
    }
    // A walk limit only applies where there is no index to answer from.
    auto limited = (*repo)->children(all.back(), 3);
    ASSERT_TRUE(limited);
    if (!CommitGraph::open(path)) {
        EXPECT_FALSE(limited->complete);
    }
}

TEST(CommitGraph, ChildrenWithoutGraph) {
    expect_children_agree(generated().plain);
}
TEST(CommitGraph, ChildrenFromGraph) {
    auto graph = CommitGraph::open(generated().single);
    ASSERT_TRUE(graph);
    EXPECT_TRUE(graph->children(graph->size()).empty());  // out of range
    expect_children_agree(generated().single);
}
TEST(CommitGraph, ChildrenFromSplitGraphAndNewerCommits) {
    expect_children_agree(generated().split);
}

// A forced update leaves commits in the graph that no ref reaches; a prune then removes their
// objects while the graph still names them. Neither may show up as a child.
TEST(CommitGraph, ChildrenLeftBehindByAForcedUpdateAreNotListed) {
    std::string path = test_repos().root + "/orphans.git";
    run_test_git(test_repos().root, {"clone", "-q", "--bare", generated().single, path});
    run_test_git(path, {"commit-graph", "write", "--reachable", "--changed-paths"});
    const std::string old_tip = run_test_git(path, {"rev-parse", "master"});
    run_test_git(path, {"update-ref", "refs/heads/master", "master~5"});
    auto graph = CommitGraph::open(path);
    ASSERT_TRUE(graph);
    EXPECT_NE(graph->find(raw_from_hex(old_tip)), CommitGraph::kNone);
    expect_children_agree(path);
    run_test_git(path, {"reflog", "expire", "--expire=now", "--all"});
    run_test_git(path, {"prune", "--expire=now"});
    expect_children_agree(path);
}

TEST(CommitGraph, CorruptFilesAreIgnored) {
    std::string path = test_repos().root + "/corrupt.git";
    run_test_git(test_repos().root, {"clone", "-q", "--bare", generated().single, path});
    run_test_git(path, {"commit-graph", "write", "--reachable", "--changed-paths"});
    std::string file = path + "/objects/info/commit-graph";
    auto size = std::filesystem::file_size(file);
    std::filesystem::resize_file(file, size / 2);
    EXPECT_EQ(CommitGraph::open(path), nullptr);
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    EXPECT_TRUE((*repo)->last_changes("master", "", {"readme"}));
}

// Whether `object` (REV:PATH) names a tree in the repository at path, as git sees it.
bool git_has_tree(const std::string& path, const std::string& object) {
    try {
        return run_test_git(path, {"cat-file", "-t", object}) == "tree";
    } catch (const std::runtime_error&) {
        return false;  // git: no such object
    }
}

// last_changes must give git's answer (`git log -1 rev -- path`) for every entry, whatever
// commit-graph the repository has.
void expect_agreement(const std::string& path) {
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    std::vector<std::string> revs = {"master", "master~7", "master~40", "master~100", "side30"};
    size_t compared = 0;
    for (const auto& rev : revs) {
        // Revisions as the pages pass them: branch names and commit ids (not git's `~N`).
        const std::string commit = run_test_git(path, {"rev-parse", rev});
        for (const char* dir : {"", "a", "a/x", "b", "c/d", "d\xc3\xa9", "\xc3\xa9"}) {
            // Not every directory exists at every revision: git says which do, and list_dir must
            // agree (an error only for the missing ones).
            const bool exists = git_has_tree(path, commit + ":" + dir);
            auto list = (*repo)->list_dir(commit, dir);
            ASSERT_EQ(bool(list), exists) << rev << ":" << dir;
            if (!exists) {
                continue;
            }
            std::vector<std::string> names;
            for (const auto& e : *list) {
                names.push_back(e.name);
            }
            auto changes = (*repo)->last_changes(commit, dir, names);
            ASSERT_TRUE(changes) << changes.error().detail;
            for (const auto& e : *list) {
                std::string want =
                    run_test_git(path, {"log", "-1", "--format=%H", rev, "--", e.path});
                ASSERT_TRUE(changes->count(e.name)) << rev << ":" << e.path;
                EXPECT_EQ(changes->at(e.name).id, want) << rev << ":" << e.path << " in " << path;
                ++compared;
            }
        }
    }
    EXPECT_GT(compared, 50u);
}

// Logs (graph walk or libgit2 revwalk) must list what `git rev-list` lists, in the same order.
void expect_same_log(const std::string& path) {
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    auto join = [](const std::vector<ChangesetInfo>& list) {
        std::string out;
        for (const auto& cs : list) {
            out += (out.empty() ? "" : "\n") + cs.id;
        }
        return out;
    };
    ASSERT_OK_AND_ASSIGN(auto got_log, (*repo)->log({}));
    EXPECT_EQ(join(got_log), run_test_git(path, {"rev-list", "--branches", "--tags"}));
    LogQuery fp;
    fp.start = {"master"};
    fp.first_parent = true;
    ASSERT_OK_AND_ASSIGN(got_log, (*repo)->log(fp));
    EXPECT_EQ(join(got_log), run_test_git(path, {"rev-list", "--first-parent", "master"}));
    LogQuery page;
    page.start = {"master", "side30"};
    page.skip = 40;
    page.limit = 25;
    ASSERT_OK_AND_ASSIGN(got_log, (*repo)->log(page));
    EXPECT_EQ(join(got_log),
              run_test_git(path, {"rev-list", "--skip=40", "--max-count=25", "master", "side30"}));
    ASSERT_OK_AND_ASSIGN(auto got_count, (*repo)->count({}));
    EXPECT_EQ(std::to_string(got_count),
              run_test_git(path, {"rev-list", "--count", "--branches", "--tags"}));
    LogQuery between;
    between.start = {"master"};
    between.hide = {"side30"};
    ASSERT_OK_AND_ASSIGN(got_log, (*repo)->log(between));
    EXPECT_EQ(join(got_log), run_test_git(path, {"rev-list", "master", "^side30"}));
}

// Path logs must list what `git rev-list REV -- path` lists, for files and directories.
void expect_same_path_logs(const std::string& path) {
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    std::set<std::string> paths;
    for (const auto& file : kPaths) {
        for (std::string p = file; !p.empty();) {
            paths.insert(p);
            auto slash = p.rfind('/');
            p = slash == std::string::npos ? "" : p.substr(0, slash);
        }
    }
    paths.insert("no/such/path");
    for (const auto& p : paths) {
        for (bool first_parent : {false, true}) {
            LogQuery q;
            q.path = p;
            q.first_parent = first_parent;
            std::string got;
            ASSERT_OK_AND_ASSIGN(auto log, (*repo)->log(q));
            for (const auto& cs : log) {
                got += (got.empty() ? "" : "\n") + cs.id;
            }
            std::vector<std::string> args = {"rev-list", "--branches", "--tags"};
            if (first_parent) {
                args.insert(args.begin() + 1, "--first-parent");
            }
            args.insert(args.end(), {"--", p});
            EXPECT_EQ(got, run_test_git(path, args)) << p << (first_parent ? " first-parent" : "");
        }
    }
    LogQuery page;
    page.path = "a";
    page.start = {"master"};
    page.skip = 5;
    page.limit = 7;
    std::string got;
    ASSERT_OK_AND_ASSIGN(auto log, (*repo)->log(page));
    for (const auto& cs : log) {
        got += (got.empty() ? "" : "\n") + cs.id;
    }
    EXPECT_EQ(got,
              run_test_git(path, {"rev-list", "--skip=5", "--max-count=7", "master", "--", "a"}));
}

TEST(PathLog, SameAsGitWithoutCommitGraph) {
    expect_same_path_logs(generated().plain);
}
TEST(PathLog, SameAsGitWithCommitGraph) {
    expect_same_path_logs(generated().single);
}
TEST(PathLog, SameAsGitWithSplitPartialGraph) {
    expect_same_path_logs(generated().split);
}

TEST(Log, SameAsGitWithoutCommitGraph) {
    expect_same_log(generated().plain);
}
TEST(Log, SameAsGitWithCommitGraph) {
    expect_same_log(generated().single);
}
TEST(Log, SameAsGitWithSplitPartialGraph) {
    expect_same_log(generated().split);
}

TEST(LastChanges, AgreesWithGitWithoutCommitGraph) {
    expect_agreement(generated().plain);
}
TEST(LastChanges, AgreesWithGitWithCommitGraph) {
    expect_agreement(generated().single);
}
TEST(LastChanges, AgreesWithGitWithSplitPartialGraph) {
    expect_agreement(generated().split);
}

}  // namespace
}  // namespace kallithea::vcs::git
