// The byte-budgeted LRU cache: hits refresh, the least recently used go first, replacing a key
// frees its old size, values over the budget are not stored.
#include "core/lru_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using kallithea::LruCache;

namespace {

std::shared_ptr<const std::string> value(std::string s) {
    return std::make_shared<const std::string>(std::move(s));
}

}  // namespace

TEST(LruCache, EvictsLeastRecentlyUsed) {
    const size_t slot = 1000 + 1 + 128;  // value + key + per-entry overhead
    LruCache<std::string> cache(3 * slot);
    cache.insert("a", value("A"), 1000);
    cache.insert("b", value("B"), 1000);
    cache.insert("c", value("C"), 1000);
    EXPECT_EQ(cache.entries(), 3u);
    ASSERT_TRUE(cache.find("a"));  // a is now the most recently used
    cache.insert("d", value("D"), 1000);
    EXPECT_EQ(cache.entries(), 3u);
    EXPECT_FALSE(cache.find("b"));
    EXPECT_EQ(*cache.find("a"), "A");
    EXPECT_TRUE(cache.find("c"));
    EXPECT_TRUE(cache.find("d"));
    EXPECT_LE(cache.size_bytes(), cache.max_bytes());
}

TEST(LruCache, ReplacesAndRefusesOversized) {
    LruCache<std::string> cache(4096);
    cache.insert("k", value("old"), 1000);
    cache.insert("k", value("new"), 2000);
    EXPECT_EQ(cache.entries(), 1u);
    EXPECT_EQ(*cache.find("k"), "new");
    EXPECT_EQ(cache.size_bytes(), 2000u + 1 + 128);
    cache.insert("big", value("x"), 5000);
    EXPECT_FALSE(cache.find("big"));
    EXPECT_TRUE(cache.find("k"));
    cache.insert("k", value("huge"), 5000);  // a replacement too large drops the old value
    EXPECT_FALSE(cache.find("k"));
    EXPECT_EQ(cache.size_bytes(), 0u);
}

TEST(LruCache, ConcurrentCallersMakeAValueOnce) {
    LruCache<std::string> cache(1 << 20);
    std::atomic<int> made{0};
    std::vector<std::thread> threads;
    std::vector<std::string> got(8);
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto result = cache.find_or_make(
                "k",
                [&]() -> kallithea::Result<std::pair<std::shared_ptr<const std::string>, size_t>> {
                    ++made;
                    // Finish only once the seven other callers wait for this value (or give up
                    // after a deadline: the counts below then fail the test).
                    const auto deadline =
                        std::chrono::steady_clock::now() + std::chrono::seconds(30);
                    while (cache.waiting() < 7 && std::chrono::steady_clock::now() < deadline)
                        std::this_thread::yield();
                    return std::make_pair(value("V"), size_t{1});
                });
            ASSERT_TRUE(result);
            got[i] = **result;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(made, 1);
    EXPECT_EQ(cache.waiting(), 0u);
    for (const auto& g : got)
        EXPECT_EQ(g, "V");
    EXPECT_EQ(*cache.find("k"), "V");
}

TEST(LruCache, FailuresAreReturnedNotCached) {
    LruCache<std::string> cache(1 << 20);
    int calls = 0;
    auto failing =
        [&]() -> kallithea::Result<std::pair<std::shared_ptr<const std::string>, size_t>> {
        ++calls;
        return kallithea::fail(kallithea::Errc::not_found, "no such thing");
    };
    auto first = cache.find_or_make("k", failing);
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().code, kallithea::Errc::not_found);
    EXPECT_FALSE(cache.find_or_make("k", failing));
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(cache.entries(), 0u);
}
