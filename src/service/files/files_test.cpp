// Unit tests of the file pages' pure pieces: content types, highlight languages, the LRU cache.
#include <gtest/gtest.h>

#include <memory>

#include "service/files/files.hpp"
#include "service/history/last_change_cache.hpp"

namespace kallithea::service {
namespace {

TEST(FileTypes, HighlightLanguageFromNameOrExtension) {
    EXPECT_EQ(highlight_language("src/main.py"), "python");
    EXPECT_EQ(highlight_language("A/B/Makefile"), "makefile");
    EXPECT_EQ(highlight_language("x.HPP"), "cpp");
    EXPECT_EQ(highlight_language("CMakeLists.txt"), "cmake");
    EXPECT_EQ(highlight_language("notes.txt"), "plaintext");
    EXPECT_EQ(highlight_language("no_extension"), "");
    EXPECT_EQ(highlight_language(".hidden"), "");
    EXPECT_EQ(highlight_language("dir.d/file"), "");
    EXPECT_EQ(highlight_language("<script>.js"), "javascript");
}

TEST(FileTypes, RawInlineTypesAreSafe) {
    EXPECT_EQ(raw_inline_content_type("a.png", true), "image/png");
    EXPECT_EQ(raw_inline_content_type("a.JPG", true), "image/jpeg");
    EXPECT_EQ(raw_inline_content_type("a.gif", true), "image/gif");
    EXPECT_EQ(raw_inline_content_type("a.svg", false), "text/plain; charset=utf-8");
    EXPECT_EQ(raw_inline_content_type("a.html", false), "text/plain; charset=utf-8");
    EXPECT_EQ(raw_inline_content_type("a.html", true), "application/octet-stream");
    EXPECT_EQ(raw_inline_content_type("a.bin", true), "application/octet-stream");
    EXPECT_TRUE(raw_inline_image("x/y.png"));
    EXPECT_FALSE(raw_inline_image("x/y.svg"));
}

TEST(FileTypes, DownloadTypes) {
    EXPECT_EQ(download_content_type("a.pdf", true), "application/pdf");
    EXPECT_EQ(download_content_type("a.svg", false), "image/svg+xml");
    EXPECT_EQ(download_content_type("README", false), "text/plain; charset=utf-8");
    EXPECT_EQ(download_content_type("blob", true), "application/octet-stream");
}

std::shared_ptr<const LastChanges> value_with(const std::string& message) {
    auto changeset = std::make_shared<vcs::ChangesetInfo>();
    changeset->id = std::string(40, 'a');
    changeset->message = message;
    auto value = std::make_shared<LastChanges>();
    (*value)["a"] = changeset;
    (*value)["b"] = changeset;  // shared: counted once
    return value;
}

TEST(LastChangeCache, KeysSeparateRepositoryCommitAndDirectory) {
    EXPECT_NE(LastChangeCache::key("/r", "c", "d/e"), LastChangeCache::key("/r", "c/d", "e"));
    EXPECT_NE(LastChangeCache::key("/r1", "c", ""), LastChangeCache::key("/r", "1c", ""));
}

TEST(LastChangeCache, FindsAndEvictsLeastRecentlyUsed) {
    const size_t one = LastChangeCache::estimate_bytes(*value_with(std::string(1000, 'm')));
    LastChangeCache cache(3 * (one + 400));
    cache.insert("k1", value_with(std::string(1000, 'm')));
    cache.insert("k2", value_with(std::string(1000, 'm')));
    cache.insert("k3", value_with(std::string(1000, 'm')));
    EXPECT_EQ(cache.entries(), 3u);
    ASSERT_NE(cache.find("k1"), nullptr);  // k1 is now the most recent
    cache.insert("k4", value_with(std::string(1000, 'm')));
    EXPECT_EQ(cache.entries(), 3u);
    EXPECT_EQ(cache.find("k2"), nullptr);
    EXPECT_NE(cache.find("k1"), nullptr);
    EXPECT_NE(cache.find("k4"), nullptr);
    EXPECT_LE(cache.size_bytes(), 3 * (one + 400));
}

TEST(LastChangeCache, ReplacesAndRefusesOversizedValues) {
    LastChangeCache cache(4096);
    cache.insert("k", value_with("short"));
    const size_t before = cache.size_bytes();
    cache.insert("k", value_with("short"));
    EXPECT_EQ(cache.size_bytes(), before);
    EXPECT_EQ(cache.entries(), 1u);
    cache.insert("big", value_with(std::string(10000, 'x')));
    EXPECT_EQ(cache.find("big"), nullptr);
    EXPECT_EQ(cache.entries(), 1u);
}

}  // namespace
}  // namespace kallithea::service
