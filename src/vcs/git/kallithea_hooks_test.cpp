// Kallithea's Git hooks are told from the admin's by their KALLITHEA_HOOK_VER line; retiring
// them keeps a backup, leaves other hooks alone and keeps post-receive-custom running.
#include "vcs/git/kallithea_hooks.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include <filesystem>
#include <fstream>

using namespace kallithea::vcs::git;
namespace fs = std::filesystem;

namespace {

// Kallithea 0.7's post-receive as its template starts (shebang filled in at install).
const char* kKallitheaPostReceive =
    "#!/usr/bin/python3\n\"\"\"Kallithea Git hook\n\nThis hook is installed and maintained by "
    "Kallithea.\n\"\"\"\n\nimport os\nimport sys\n\nimport kallithea.bin.vcs_hooks\n\n"
    "KALLITHEA_HOOK_VER = '0.7.0'\nos.environ['KALLITHEA_HOOK_VER'] = KALLITHEA_HOOK_VER\n";
// Older versions set it inside a try block.
const char* kOldPreReceive =
    "#!/usr/bin/env python\nimport os\ntry:\n    import kallithea\n    KALLITHEA_HOOK_VER = "
    "'0.2.1'\nexcept ImportError:\n    kallithea = None\n";

void write(const fs::path& path, const std::string& text, bool executable = true) {
    std::ofstream(path) << text;
    fs::permissions(path, executable ? fs::perms::owner_all : fs::perms::owner_read);
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class HookDir : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("kallithea_hooks_test_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "hooks");
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path hooks() const { return dir_ / "hooks"; }
    fs::path dir_;
};

}  // namespace

TEST(KallitheaHooks, RecognisedByTheirMarkerLine) {
    EXPECT_TRUE(is_kallithea_hook(kKallitheaPostReceive));
    EXPECT_TRUE(is_kallithea_hook(kOldPreReceive));
    EXPECT_FALSE(is_kallithea_hook("#!/bin/sh\n# not KALLITHEA_HOOK_VER = 1\nexit 0\n"));
    EXPECT_FALSE(is_kallithea_hook("#!/bin/sh\necho KALLITHEA_HOOK_VER\n"));
    EXPECT_FALSE(is_kallithea_hook("if KALLITHEA_HOOK_VER == 3: pass\n"));
    EXPECT_FALSE(is_kallithea_hook(""));
}

TEST_F(HookDir, RetiresKallitheasHooksWithABackup) {
    write(hooks() / "post-receive", kKallitheaPostReceive);
    write(hooks() / "pre-receive", kOldPreReceive);
    write(hooks() / "update", "#!/bin/sh\nexit 0\n");
    auto retired = retire_kallithea_hooks(dir_.string());
    ASSERT_TRUE(retired);
    EXPECT_EQ(*retired, (std::vector<std::string>{"pre-receive", "post-receive"}));
    EXPECT_FALSE(fs::exists(fs::symlink_status(hooks() / "post-receive")));
    EXPECT_FALSE(fs::exists(hooks() / "pre-receive"));
    EXPECT_EQ(read(hooks() / "post-receive.kallithea-bak"), kKallitheaPostReceive);
    EXPECT_TRUE(fs::exists(hooks() / "pre-receive.kallithea-bak"));
    EXPECT_TRUE(fs::exists(hooks() / "update"));
    // Nothing left to do the second time.
    ASSERT_OK_AND_ASSIGN(auto second, retire_kallithea_hooks(dir_.string()));
    EXPECT_TRUE(second.empty());
}

TEST_F(HookDir, KeepsTheAdminsHooks) {
    const std::string custom = "#!/bin/sh\necho custom hook ran\n";
    write(hooks() / "post-receive", custom);
    write(hooks() / "target", kKallitheaPostReceive);
    fs::create_symlink("target", hooks() / "pre-receive");
    ASSERT_OK_AND_ASSIGN(auto retired, retire_kallithea_hooks(dir_.string()));
    EXPECT_TRUE(retired.empty());
    EXPECT_EQ(read(hooks() / "post-receive"), custom);
    EXPECT_TRUE(fs::is_symlink(hooks() / "pre-receive"));
    // No hooks directory at all is no error.
    fs::remove_all(hooks());
    ASSERT_OK_AND_ASSIGN(retired, retire_kallithea_hooks(dir_.string()));
    EXPECT_TRUE(retired.empty());
}

TEST_F(HookDir, PostReceiveCustomKeepsRunning) {
    write(hooks() / "post-receive", kKallitheaPostReceive);
    write(hooks() / "post-receive-custom", "#!/bin/sh\necho custom\n");
    ASSERT_OK_AND_ASSIGN(auto retired, retire_kallithea_hooks(dir_.string()));
    ASSERT_EQ(retired.size(), 1u);
    ASSERT_TRUE(fs::is_symlink(hooks() / "post-receive"));
    EXPECT_EQ(fs::read_symlink(hooks() / "post-receive"), "post-receive-custom");
}
