// The changesets a push brought, listed with one walk for all branches as with one per branch.
#include "vcs/git/push_revisions.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "core/subprocess.hpp"
#include "vcs/git/git_command.hpp"

using namespace kallithea::vcs;
using namespace kallithea::vcs::git;

namespace {

// A bare repository in a temporary directory, built with git plumbing (fixed dates).
class PushRepo {
public:
    PushRepo() {
        dir_ = std::filesystem::temp_directory_path() /
               ("git_push_test_" + std::to_string(::getpid()) + "_" + std::to_string(++count_));
        std::filesystem::remove_all(dir_);
        kallithea::ProcessOptions init;
        init.argv = {"git", "init", "-q", "--bare", dir_.string()};
        init.env = kallithea::minimal_environment();
        EXPECT_TRUE(kallithea::run_process(init).value().exit.success());
        tree_ = git({"mktree"}, "");
    }
    ~PushRepo() { std::filesystem::remove_all(dir_); }
    std::string dir() const { return dir_.string(); }

    std::string git(std::vector<std::string> args, std::string_view input) {
        auto options = git_command(dir(), std::move(args));
        options.env.insert(options.env.end(),
                           {"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com",
                            "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com",
                            "GIT_AUTHOR_DATE=" + std::to_string(clock_) + " +0000",
                            "GIT_COMMITTER_DATE=" + std::to_string(clock_) + " +0000"});
        auto result = kallithea::run_process(options, input);
        EXPECT_TRUE(result && result->exit.success()) << (result ? result->exit.stderr_text : "");
        std::string out = result ? result->out : std::string();
        while (!out.empty() && out.back() == '\n')
            out.pop_back();
        return out;
    }
    // A commit with these parents, one second after the previous one.
    std::string commit(const std::vector<std::string>& parents) {
        ++clock_;
        std::vector<std::string> args{"commit-tree", tree_, "-m", "c" + std::to_string(clock_)};
        for (const auto& p : parents)
            args.insert(args.end(), {"-p", p});
        return git(std::move(args), "");
    }
    void set_ref(const std::string& ref, const std::string& id) {
        git({"update-ref", ref, id}, "");
    }

private:
    static inline int count_ = 0;
    std::filesystem::path dir_;
    std::string tree_;
    long clock_ = 1700000000;
};

}  // namespace

TEST(PushActionRevisions, OneWalkListsWhatPerRefRevListsList) {
    PushRepo repo;
    std::vector<std::string> base{repo.commit({})};
    for (int i = 0; i < 5; ++i)
        base.push_back(repo.commit({base.back()}));
    const std::string f1 = repo.commit({base[2]});
    repo.set_ref("refs/heads/master", base.back());
    repo.set_ref("refs/heads/feature", f1);
    repo.set_ref("refs/heads/other", repo.commit({base[1]}));
    const RefSnapshot before = snapshot_refs(repo.dir()).value();

    std::vector<RefUpdate> applied;
    const std::string zero(40, '0');
    // Many new branches on shared new history, some on old commits, some on each other.
    std::vector<std::string> fresh{base[3]};
    for (int i = 0; i < 60; ++i) {
        const std::string& from = fresh[static_cast<size_t>(i * 7) % fresh.size()];
        std::string tip = repo.commit({from});
        if (i % 3 == 0)
            tip = repo.commit({tip});
        if (i % 11 == 0)
            tip = repo.commit({tip, base[static_cast<size_t>(i) % base.size()]});  // a merge
        fresh.push_back(tip);
        applied.push_back({zero, tip, "refs/heads/new" + std::to_string(i)});
    }
    applied.push_back({zero, base[2], "refs/heads/at-old-commit"});
    // A fast-forward, an update that merges an existing branch, a rewind, a tag object as a head.
    const std::string f2 = repo.commit({repo.commit({f1})});
    applied.push_back({f1, f2, "refs/heads/feature"});
    const std::string merged =
        repo.commit({repo.commit({base.back()}), before.at("refs/heads/other")});
    applied.push_back({base.back(), merged, "refs/heads/master"});
    const std::string tagged = repo.commit({fresh[5]});
    repo.set_ref("refs/tmp/keep", tagged);
    const std::string tag_object = repo.git({"tag", "-a", "-m", "t", "annotated", tagged}, "");
    applied.push_back(
        {zero, repo.git({"rev-parse", "refs/tags/annotated"}, ""), "refs/heads/tagged"});
    applied.push_back({before.at("refs/heads/other"), base[0], "refs/heads/other"});
    applied.push_back({zero, base[4], "refs/tags/v1"});
    applied.push_back({f1, zero, "refs/heads/gone"});

    const std::string per_ref = push_action_revisions_per_ref(repo.dir(), applied, before).value();
    const std::string walked = push_action_revisions(repo.dir(), applied, before).value();
    EXPECT_EQ(walked, per_ref);
    EXPECT_NE(per_ref.find(before.at("refs/heads/other")), std::string::npos);  // merged in
    EXPECT_NE(per_ref.find("tag=>v1"), std::string::npos);
    EXPECT_NE(per_ref.find("delete_branch=>gone"), std::string::npos);
    (void)tag_object;
}
