// The byte-budgeted LRU cache: hits refresh, the least recently used go first, replacing a key
// frees its old size, values over the budget are not stored.
#include "core/lru_cache.hpp"

#include <gtest/gtest.h>

#include <string>

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
