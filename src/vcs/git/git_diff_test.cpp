// Tests of Git diffs, blame and archives.
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

const FileDiff* find(const Diff& diff, const std::string& path) {
    for (const auto& f : diff.files) {
        if (f.new_path == path) {
            return &f;
        }
    }
    return nullptr;
}

TEST(GitDiff, AgainstTheFirstParent) {
    auto repo = open_bare();
    auto diff = repo->diff("", id("c2"), {});
    ASSERT_TRUE(diff) << diff.error().detail;
    ASSERT_EQ(diff->files.size(), 3u);
    EXPECT_EQ(diff->files[0].new_path, "README.md");
    EXPECT_EQ(diff->files[0].change, ChangeKind::modified);
    EXPECT_EQ(diff->files[0].additions, 1);
    EXPECT_EQ(diff->files[0].deletions, 0);
    EXPECT_EQ(diff->files[0].old_mode, "100644");
    EXPECT_EQ(diff->files[0].new_mode, "100644");
    EXPECT_EQ(diff->files[0].patch.rfind("diff --git a/README.md b/README.md\n", 0), 0u);
    std::string blob = run_test_git(test_repos().bare, {"rev-parse", id("c2") + ":README.md"});
    EXPECT_NE(diff->files[0].patch.find(".." + blob + " 100644"), std::string::npos);
    const FileDiff* b = find(*diff, "src/b.c");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->change, ChangeKind::added);
    EXPECT_EQ(b->old_mode, "");
    EXPECT_EQ(b->additions, 20);
    EXPECT_EQ(diff->additions, 22);
    // The same text `git diff --full-index` prints.
    EXPECT_EQ(diff->patch_text(),
              run_test_git(test_repos().bare, {"-c", "core.quotePath=false", "diff", "--full-index",
                                               id("c1"), id("c2")}) +
                  "\n");
    EXPECT_EQ(diff->deletions, 0);
    EXPECT_FALSE(diff->truncated);
}

TEST(GitDiff, DetectsRenames) {
    auto repo = open_bare();
    auto diff = repo->diff("", id("c3"), {});
    ASSERT_TRUE(diff);
    const FileDiff* renamed = find(*diff, "src/b_renamed.c");
    ASSERT_TRUE(renamed);
    EXPECT_EQ(renamed->change, ChangeKind::renamed);
    EXPECT_EQ(renamed->old_path, "src/b.c");
    EXPECT_EQ(renamed->similarity, 100);
    EXPECT_NE(renamed->patch.find("rename from src/b.c"), std::string::npos);

    DiffOptions no_renames;
    no_renames.detect_renames = false;
    auto plain = repo->diff("", id("c3"), no_renames);
    ASSERT_TRUE(plain);
    EXPECT_EQ(find(*plain, "src/b.c")->change, ChangeKind::deleted);
    EXPECT_EQ(find(*plain, "src/b_renamed.c")->change, ChangeKind::added);
}

TEST(GitDiff, RootChangesetAndBinaryFiles) {
    auto repo = open_bare();
    auto diff = repo->diff("", id("c1"), {});
    ASSERT_TRUE(diff);
    EXPECT_EQ(diff->files.size(), 8u);
    for (const auto& f : diff->files) {
        EXPECT_EQ(f.change, ChangeKind::added) << f.new_path;
    }
    const FileDiff* bin = find(*diff, "bin/data.bin");
    ASSERT_TRUE(bin);
    EXPECT_TRUE(bin->binary);
    EXPECT_NE(bin->patch.find("Binary files"), std::string::npos);
    EXPECT_EQ(find(*diff, "run.sh")->new_mode, "100755");
    EXPECT_EQ(find(*diff, "link")->new_mode, "120000");

    DiffOptions binary;
    binary.binary_patches = true;
    ASSERT_OK_AND_ASSIGN(auto with_binary, repo->diff("", id("c1"), binary));
    EXPECT_NE(find(with_binary, "bin/data.bin")->patch.find("GIT binary patch"), std::string::npos);
}

TEST(GitDiff, MergeAgainstFirstParentAndArbitraryRanges) {
    auto repo = open_bare();
    auto merge = repo->diff("", id("m1"), {});
    ASSERT_TRUE(merge);
    std::vector<std::string> paths;
    for (const auto& f : merge->files) {
        paths.push_back(f.new_path);
    }
    EXPECT_EQ(paths, (std::vector<std::string>{"docs/feature.md", "src/a.c"}));

    auto range = repo->diff(id("c1"), "master", {});
    ASSERT_TRUE(range);
    EXPECT_TRUE(find(*range, "src/a.c"));
    EXPECT_TRUE(find(*range, "sub"));
    EXPECT_EQ(repo->diff("nope", "master", {}).error().code, Errc::not_found);
    EXPECT_EQ(repo->diff("", "nope", {}).error().code, Errc::not_found);
}

TEST(GitDiff, Options) {
    auto repo = open_bare();
    DiffOptions zero;
    zero.context_lines = 0;
    ASSERT_OK_AND_ASSIGN(auto tight, repo->diff("", id("c3"), zero));
    EXPECT_EQ(find(tight, "README.md")->patch.find("\n world\n"), std::string::npos);
    ASSERT_OK_AND_ASSIGN(auto normal, repo->diff("", id("c3"), {}));
    EXPECT_NE(find(normal, "README.md")->patch.find("\n world\n"), std::string::npos);

    DiffOptions only_src;
    only_src.paths = {"src"};
    ASSERT_OK_AND_ASSIGN(auto got_diff, repo->diff("", id("c2"), only_src));
    EXPECT_EQ(got_diff.files.size(), 2u);
    only_src.paths = {"src/a.c"};
    ASSERT_OK_AND_ASSIGN(got_diff, repo->diff("", id("c2"), only_src));
    EXPECT_EQ(got_diff.files.size(), 1u);
    only_src.paths = {"src/*.c"};  // literal, not a glob
    ASSERT_OK_AND_ASSIGN(got_diff, repo->diff("", id("c2"), only_src));
    EXPECT_EQ(got_diff.files.size(), 0u);

    DiffOptions names;
    names.names_only = true;
    ASSERT_OK_AND_ASSIGN(auto listed, repo->diff("", id("c2"), names));
    ASSERT_EQ(listed.files.size(), 3u);
    EXPECT_TRUE(listed.files[0].patch.empty());
    EXPECT_EQ(listed.additions, 0);
}

TEST(GitDiff, CutOff) {
    auto repo = open_bare();
    DiffOptions small;
    small.cut_off_bytes = 400;
    auto diff = repo->diff("", id("c1"), small);
    ASSERT_TRUE(diff);
    EXPECT_TRUE(diff->truncated);
    EXPECT_EQ(diff->files.size(), 8u);
    size_t shown = 0, cut = 0;
    for (const auto& f : diff->files) {
        if (f.too_large) {
            EXPECT_TRUE(f.patch.empty());
            ++cut;
        } else {
            shown += f.patch.size();
        }
    }
    EXPECT_GT(cut, 0u);
    EXPECT_LE(shown, 400u);
}

TEST(GitDiff, IgnoreWhitespace) {
    std::string path = test_repos().root + "/whitespace";
    std::filesystem::create_directories(path);
    run_test_git(path, {"init", "-q", "-b", "main"});
    std::ofstream(path + "/a.txt") << "a b\nc\n";
    run_test_git(path, {"add", "a.txt"});
    run_test_git(path, {"commit", "-q", "-m", "one"}, "2021-01-01T00:00:00+0000");
    std::ofstream(path + "/a.txt") << "a   b \nc\n";
    run_test_git(path, {"commit", "-q", "-am", "two"}, "2021-01-02T00:00:00+0000");
    auto repo = Repository::open(path);
    ASSERT_TRUE(repo);
    ASSERT_OK_AND_ASSIGN(auto got_diff, (*repo)->diff("", "main", {}));
    EXPECT_EQ(got_diff.additions, 1);
    DiffOptions ws;
    ws.ignore_whitespace = true;
    auto diff = (*repo)->diff("", "main", ws);
    ASSERT_TRUE(diff);
    EXPECT_EQ(diff->additions + diff->deletions, 0);
}

TEST(GitBlame, AnnotatesEachLine) {
    auto repo = open_bare();
    auto blame = repo->blame("master", "README.md");
    ASSERT_TRUE(blame) << blame.error().detail;
    ASSERT_EQ(blame->size(), 3u);
    EXPECT_EQ((*blame)[0].changeset_id, id("c1"));
    EXPECT_EQ((*blame)[0].text, "hello");
    EXPECT_EQ((*blame)[0].line_no, 1);
    EXPECT_EQ((*blame)[1].changeset_id, id("c2"));
    EXPECT_EQ((*blame)[1].text, "world");
    EXPECT_EQ((*blame)[2].changeset_id, id("c3"));
    EXPECT_EQ((*blame)[2].text, "  indented");
    EXPECT_EQ((*blame)[2].line_no, 3);
    EXPECT_EQ((*blame)[2].orig_path, "README.md");
}

TEST(GitBlame, FollowsRenamesAndOddNames) {
    auto repo = open_bare();
    auto blame = repo->blame("master", "src/b_renamed.c");
    ASSERT_TRUE(blame);
    ASSERT_EQ(blame->size(), 20u);
    EXPECT_EQ((*blame)[19].changeset_id, id("c2"));
    EXPECT_EQ((*blame)[19].orig_path, "src/b.c");
    EXPECT_EQ((*blame)[19].orig_line_no, 20);
    EXPECT_EQ((*blame)[19].text, "int b19 = 19;");

    auto odd = repo->blame("master", "<img src=x onerror=alert(1)>.txt");
    ASSERT_TRUE(odd);
    EXPECT_EQ((*odd)[0].text, "script");
    EXPECT_EQ(repo->blame("master", "docs").error().code, Errc::invalid_argument);
    EXPECT_EQ(repo->blame("master", "nope").error().code, Errc::not_found);
    EXPECT_EQ(repo->blame("nope", "README.md").error().code, Errc::not_found);
}

std::string archive_bytes(Repository& repo, ArchiveFormat format) {
    std::string out;
    auto status = repo.archive("v1.0", format, "repo-1.0", [&](std::string_view data) {
        out.append(data);
        return true;
    });
    EXPECT_TRUE(status) << status.error().detail;
    return out;
}

std::string tar_listing(const std::string& bytes, const std::string& flags) {
    std::string file = test_repos().root + "/archive.tmp";
    std::ofstream(file, std::ios::binary) << bytes;
    ProcessOptions options;
    options.argv = {"tar", flags, file};
    options.env = minimal_environment();
    auto result = run_process(options);
    EXPECT_TRUE(result && result->exit.success());
    return result ? result->out : std::string();
}

TEST(GitArchive, Formats) {
    auto repo = open_bare();
    std::string zip = archive_bytes(*repo, ArchiveFormat::zip);
    EXPECT_EQ(zip.substr(0, 4), std::string("PK\x03\x04", 4));
    std::string tar = archive_bytes(*repo, ArchiveFormat::tar);
    EXPECT_GT(tar.size(), 1024u);
    std::string listing = tar_listing(tar, "-tf");
    EXPECT_NE(listing.find("repo-1.0/README.md\n"), std::string::npos) << listing;
    EXPECT_NE(listing.find("repo-1.0/src/b_renamed.c\n"), std::string::npos);
    EXPECT_NE(listing.find("repo-1.0/dir with space/file one.txt"), std::string::npos);
    std::string tgz = archive_bytes(*repo, ArchiveFormat::tgz);
    EXPECT_EQ(tgz.substr(0, 2), "\x1f\x8b");
    EXPECT_NE(tar_listing(tgz, "-tzf").find("repo-1.0/README.md"), std::string::npos);
    std::string tbz = archive_bytes(*repo, ArchiveFormat::tbz2);
    EXPECT_EQ(tbz.substr(0, 3), "BZh");
    EXPECT_NE(tar_listing(tbz, "-tjf").find("repo-1.0/docs/guide.md"), std::string::npos);
}

TEST(GitArchive, StopsEarlyAndRejectsUnknownRevisions) {
    auto repo = open_bare();
    int calls = 0;
    EXPECT_TRUE(repo->archive("master", ArchiveFormat::tar, "x", [&](std::string_view) {
        ++calls;
        return false;
    }));
    EXPECT_EQ(calls, 1);
    auto bad =
        repo->archive("nope", ArchiveFormat::zip, "x", [](std::string_view) { return true; });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::not_found);
}

TEST(VcsTypes, ArchiveExtensions) {
    EXPECT_EQ(archive_extension(ArchiveFormat::tgz), ".tar.gz");
    EXPECT_EQ(archive_format_from_extension(".tar.bz2"), ArchiveFormat::tbz2);
    EXPECT_EQ(archive_format_from_extension(".rar"), std::nullopt);
}

TEST(VcsTypes, TextHelpers) {
    EXPECT_TRUE(looks_binary(std::string("a\0b", 3)));
    EXPECT_FALSE(looks_binary("plain"));
    EXPECT_EQ(to_valid_utf8("ok \xc3\xbc"), "ok \xc3\xbc");
    EXPECT_EQ(to_valid_utf8("bad \xff x"), "bad \xef\xbf\xbd x");
    EXPECT_EQ(to_valid_utf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong
    EXPECT_EQ(to_valid_utf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace kallithea::vcs
