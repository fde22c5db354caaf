// Prints timings of the VCS layer's browsing operations on a repository: bench_vcs PATH (e.g.
// bench/gen_repo.py large; build with CMAKE_BUILD_TYPE=Release for real figures).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "vcs/graph.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs {
namespace {

// The value of a Result the benchmark cannot go on without; throws (reported by main) otherwise.
template <class T>
T need(Result<T> result, const char* what) {
    if (!result)
        throw std::runtime_error(std::string(what) + ": " + result.error().message);
    return std::move(*result);
}

void need(const Status& status, const char* what) {
    if (!status)
        throw std::runtime_error(std::string(what) + ": " + status.error().message);
}

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

void browse(const char* path) {
    auto opened = need(Repository::open(path), "open");
    auto& repo = *opened;
    report("open x100", time_ms([&] {
               for (int i = 0; i < 100; ++i) {
                   need(Repository::open(path), "open");
               }
           }));
    std::vector<ChangesetInfo> page;
    report("log 100 (all branches)", time_ms([&] {
               LogQuery q;
               q.limit = 100;
               page = need(repo.log(q), "log");
           }));
    report("graph layout of that page", time_ms([&] { graph_layout(page); }));
    report("log 100 at skip 20000", time_ms([&] {
               LogQuery q;
               q.skip = 20000;
               q.limit = 100;
               need(repo.log(q), "log");
           }));
    report("count all", time_ms([&] { need(repo.count({}), "count"); }));
    auto root = need(repo.list_dir("HEAD", ""), "list_dir");
    report("list_dir root", time_ms([&] { need(repo.list_dir("HEAD", ""), "list_dir"); }));
    std::vector<std::string> names;
    for (const auto& e : root) {
        names.push_back(e.name);
    }
    report("last_changes root",
           time_ms([&] { need(repo.last_changes("HEAD", "", names), "last_changes"); }));
    // The first directory, two levels down: a typical deep listing.
    std::string dir = root.front().name;
    for (int depth = 0; depth < 2; ++depth) {
        auto sub = need(repo.list_dir("HEAD", dir), "list_dir");
        if (sub.empty() || sub.front().kind != NodeKind::dir) {
            break;
        }
        dir = sub.front().path;
    }
    auto entries = need(repo.list_dir("HEAD", dir), "list_dir");
    std::vector<std::string> sub_names;
    for (const auto& e : entries) {
        sub_names.push_back(e.name);
    }
    std::printf("  (%s: %zu entries)\n", dir.c_str(), sub_names.size());
    report("list_dir deep", time_ms([&] { need(repo.list_dir("HEAD", dir), "list_dir"); }));
    report("last_changes deep",
           time_ms([&] { need(repo.last_changes("HEAD", dir, sub_names), "last_changes"); }));
    std::string file;
    for (const auto& e : root) {
        if (e.kind == NodeKind::file) {
            file = e.path;
        }
    }
    if (file.empty()) {
        file = need(repo.list_files("HEAD", ""), "list_files").front();
    }
    report("file log 100 (path)", time_ms([&] {
               LogQuery q;
               q.path = file;
               q.limit = 100;
               need(repo.log(q), "log");
           }));
    report("read_file", time_ms([&] { need(repo.read_file("HEAD", file, 0), "read_file"); }));
    report("blame", time_ms([&] { need(repo.blame("HEAD", file), "blame"); }, 1));
    report("diff HEAD vs parent", time_ms([&] { need(repo.diff("", page[0].id, {}), "diff"); }));
    report("list_files all", time_ms([&] { need(repo.list_files("HEAD", ""), "list_files"); }, 1));
    size_t bytes = 0;
    report("archive tgz", time_ms(
                              [&] {
                                  need(repo.archive("HEAD", ArchiveFormat::tgz, "x",
                                                    [&](std::string_view d) {
                                                        bytes += d.size();
                                                        return true;
                                                    }),
                                       "archive");
                              },
                              1));
    std::printf("  (archive %zu bytes)\n", bytes);
}

}  // namespace
}  // namespace kallithea::vcs

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s REPOSITORY\n", argv[0]);
        return 2;
    }
    try {
        kallithea::vcs::browse(argv[1]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_vcs: %s\n", e.what());
        return 1;
    }
    return 0;
}
