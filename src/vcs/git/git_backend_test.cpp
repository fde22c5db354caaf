// The Git backend through the VCS interface: init with the configured executable, the ref
// advertisement of a new repository, HEAD settled after a first push, the upload check.
#include "vcs/git/git_backend.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "vcs/git/git_command.hpp"
#include "vcs/repository.hpp"

using namespace kallithea;
namespace fs = std::filesystem;

namespace {

class GitBackendTest : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("git_backend_test_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
        saved_ = vcs::vcs_settings();
    }
    void TearDown() override {
        vcs::set_vcs_settings(saved_);
        fs::remove_all(root_);
    }
    // Runs git in the repository at path and returns its stdout without the last newline.
    std::string git(const std::string& path, std::vector<std::string> args,
                    std::string_view input = {}) {
        auto options = vcs::git::git_command(path, std::move(args));
        options.env.insert(options.env.end(),
                           {"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com",
                            "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com"});
        auto result = run_process(options, input);
        EXPECT_TRUE(result && result->exit.success()) << (result ? result->exit.stderr_text : "");
        std::string out = result ? result->out : std::string();
        while (!out.empty() && out.back() == '\n')
            out.pop_back();
        return out;
    }

    const vcs::Backend& backend_ = vcs::git::git_backend();
    fs::path root_;
    vcs::VcsSettings saved_;
};

}  // namespace

TEST_F(GitBackendTest, InitMakesABareRepositoryWithTheConfiguredGit) {
    const std::string path = (root_ / "new").string();
    ASSERT_TRUE(backend_.init(path));
    EXPECT_EQ(vcs::detect_repository_type(path), "git");
    EXPECT_TRUE(fs::exists(fs::path(path) / "HEAD"));  // bare: no work tree, no .git
    EXPECT_FALSE(fs::exists(fs::path(path) / ".git"));

    vcs::VcsSettings settings = saved_;
    settings.git_executable = (root_ / "no-such-git").string();
    vcs::set_vcs_settings(settings);
    auto failed = backend_.init((root_ / "other").string());
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, Errc::io);
    EXPECT_EQ(failed.error().message, "The repository could not be created on disk");
    EXPECT_FALSE(fs::exists(root_ / "other" / "HEAD"));
}

TEST_F(GitBackendTest, AdvertisesRefsOfANewRepository) {
    const std::string path = (root_ / "adv").string();
    ASSERT_TRUE(backend_.init(path));
    auto advertise = [&](vcs::TransportService service, std::string protocol) {
        std::string out;
        vcs::TransportRequest request{path, "adv", service, std::move(protocol)};
        EXPECT_TRUE(backend_.advertise(request, [&](std::string_view data) {
            out.append(data);
            return true;
        }));
        return out;
    };
    // No refs to pull yet; a push learns receive-pack's capabilities on a null id.
    EXPECT_EQ(advertise(vcs::TransportService::upload, ""), "0000");
    const std::string receive = advertise(vcs::TransportService::receive, "");
    EXPECT_NE(receive.find("capabilities^{}"), std::string::npos) << receive;
    EXPECT_NE(receive.find("report-status"), std::string::npos) << receive;
    // The protocol reaches git: version 2 answers with its capability list.
    EXPECT_TRUE(
        advertise(vcs::TransportService::upload, "version=2").starts_with("000eversion 2\n"));
}

TEST_F(GitBackendTest, FirstPushSettlesHeadAndListsTheChangesets) {
    const std::string path = (root_ / "first").string();
    ASSERT_TRUE(backend_.init(path));
    const std::string tree = git(path, {"mktree"});
    const std::string first = git(path, {"commit-tree", tree, "-m", "one"});
    const std::string second = git(path, {"commit-tree", tree, "-p", first, "-m", "two"});
    git(path, {"update-ref", "refs/heads/trunk", second});
    git(path, {"symbolic-ref", "HEAD", "refs/heads/nothing-yet"});

    vcs::PushedChanges changes;
    changes.applied.push_back({std::string(40, '0'), second, "refs/heads/trunk"});
    changes.applied.push_back({std::string(40, '0'), second, "refs/tags/v1"});
    ASSERT_TRUE(backend_.settle_after_push(path, changes));
    EXPECT_EQ(git(path, {"symbolic-ref", "HEAD"}), "refs/heads/trunk");
    EXPECT_EQ(backend_.journal_revisions(path, changes).value(), first + "," + second + ",tag=>v1");

    // A repository that had branches keeps its HEAD, even when it names no branch.
    git(path, {"symbolic-ref", "HEAD", "refs/heads/elsewhere"});
    changes.before["refs/heads/trunk"] = first;
    ASSERT_TRUE(backend_.settle_after_push(path, changes));
    EXPECT_EQ(git(path, {"symbolic-ref", "HEAD"}), "refs/heads/elsewhere");
}

TEST_F(GitBackendTest, UploadCheckCountsHaves) {
    auto check = backend_.upload_request_check(1);
    const std::string have = "0032have " + std::string(40, 'a') + "\n";
    EXPECT_TRUE(check->feed(have));
    auto refused = check->feed(have);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::invalid_argument);
}
