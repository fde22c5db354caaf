// Timings of the browsing operations on a big repository; skipped unless KALLITHEA_VCS_BENCH_REPO
// names one (e.g. 50k commits, 20k files; build with CMAKE_BUILD_TYPE=Release for real figures).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include <gtest/gtest.h>

#include "vcs/graph.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs {
namespace {

double time_ms(const std::function<void()>& fn, int runs = 3) {
    double best = 1e18;
    for (int i = 0; i < runs; ++i) {
        auto start = std::chrono::steady_clock::now();
        fn();
        std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    return best;
}

void report(const char* what, double ms) {
    std::printf("  %-48s %9.2f ms\n", what, ms);
}

TEST(GitBench, BrowsingOperations) {
    const char* path = std::getenv("KALLITHEA_VCS_BENCH_REPO");
    if (!path) {
        GTEST_SKIP() << "set KALLITHEA_VCS_BENCH_REPO to a big repository";
    }
    auto opened = Repository::open(path);
    ASSERT_TRUE(opened);
    auto& repo = **opened;
    report("open x100", time_ms([&] {
               for (int i = 0; i < 100; ++i) {
                   ASSERT_TRUE(Repository::open(path));
               }
           }));
    std::vector<ChangesetInfo> page;
    report("log 100 (all branches)", time_ms([&] {
               LogQuery q;
               q.limit = 100;
               page = repo.log(q).value();
           }));
    report("graph layout of that page", time_ms([&] { graph_layout(page); }));
    report("log 100 at skip 20000", time_ms([&] {
               LogQuery q;
               q.skip = 20000;
               q.limit = 100;
               repo.log(q).value();
           }));
    report("count all", time_ms([&] { repo.count({}).value(); }));
    auto root = repo.list_dir("HEAD", "").value();
    report("list_dir root", time_ms([&] { repo.list_dir("HEAD", "").value(); }));
    std::vector<std::string> names;
    for (const auto& e : root) {
        names.push_back(e.name);
    }
    report("last_changes root", time_ms([&] { repo.last_changes("HEAD", "", names).value(); }));
    // The first directory, two levels down: a typical deep listing.
    std::string dir = root.front().name;
    for (int depth = 0; depth < 2; ++depth) {
        auto sub = repo.list_dir("HEAD", dir).value();
        if (sub.empty() || sub.front().kind != NodeKind::dir) {
            break;
        }
        dir = sub.front().path;
    }
    auto entries = repo.list_dir("HEAD", dir).value();
    std::vector<std::string> sub_names;
    for (const auto& e : entries) {
        sub_names.push_back(e.name);
    }
    std::printf("  (%s: %zu entries)\n", dir.c_str(), sub_names.size());
    report("list_dir deep", time_ms([&] { repo.list_dir("HEAD", dir).value(); }));
    report("last_changes deep",
           time_ms([&] { repo.last_changes("HEAD", dir, sub_names).value(); }));
    std::string file;
    for (const auto& e : root) {
        if (e.kind == NodeKind::file) {
            file = e.path;
        }
    }
    if (file.empty()) {
        file = repo.list_files("HEAD", "").value().front();
    }
    report("file log 100 (path)", time_ms([&] {
               LogQuery q;
               q.path = file;
               q.limit = 100;
               repo.log(q).value();
           }));
    report("read_file", time_ms([&] { repo.read_file("HEAD", file, 0).value(); }));
    report("blame", time_ms([&] { repo.blame("HEAD", file).value(); }, 1));
    report("diff HEAD vs parent", time_ms([&] { repo.diff("", page[0].id, {}).value(); }));
    report("list_files all", time_ms([&] { repo.list_files("HEAD", "").value(); }, 1));
    size_t bytes = 0;
    report("archive tgz", time_ms(
                              [&] {
                                  ASSERT_TRUE(repo.archive("HEAD", ArchiveFormat::tgz, "x",
                                                           [&](std::string_view d) {
                                                               bytes += d.size();
                                                               return true;
                                                           }));
                              },
                              1));
    std::printf("  (archive %zu bytes)\n", bytes);
}

}  // namespace
}  // namespace kallithea::vcs
