// The pkt-line readers: commands from a push request, the report from receive-pack's answer,
// the `have` lines of a fetch, whatever the piece boundaries.
#include "vcs/git/pkt_line.hpp"

#include <gtest/gtest.h>

#include <cstdio>

using namespace kallithea;
using namespace kallithea::vcs;
using namespace kallithea::vcs::git;

namespace {

std::string pkt(std::string_view payload) {
    char prefix[5];
    std::snprintf(prefix, sizeof prefix, "%04zx", payload.size() + 4);
    return std::string(prefix, 4) + std::string(payload);
}

const std::string kZero(40, '0');
const std::string kA(40, 'a');
const std::string kB(40, 'b');

std::string id(size_t i) {
    char buf[41];
    std::snprintf(buf, sizeof buf, "%040zx", i);
    return buf;
}

// A v0 negotiation request with n haves.
std::string v0_request(size_t n) {
    std::string s =
        pkt("want " + id(999999) + " multi_ack_detailed side-band-64k ofs-delta\n") + "0000";
    for (size_t i = 0; i < n; ++i)
        s += pkt("have " + id(i) + "\n");
    return s + pkt("done\n");
}

// A v2 fetch command with n haves.
std::string v2_request(size_t n) {
    std::string s = pkt("command=fetch\n") + pkt("agent=git/2.39.5\n") + "0001" +
                    pkt("thin-pack\n") + pkt("want " + id(999999) + "\n");
    for (size_t i = 0; i < n; ++i)
        s += pkt("have " + id(i) + "\n");
    return s + pkt("done\n") + "0000";
}

// Feeds data in pieces of `step` bytes.
template <class Scanner>
void feed_in_pieces(Scanner& scanner, const std::string& data, size_t step) {
    for (size_t i = 0; i < data.size(); i += step)
        scanner.feed(std::string_view(data).substr(i, step));
}

}  // namespace

TEST(PktLineReader, SplitsPacketsAcrossPieces) {
    PktLineReader reader;
    std::vector<std::string> seen;
    const std::string stream = pkt("hello\n") + "0000" + pkt("x") + "0001";
    for (char c : stream)
        reader.feed(std::string_view(&c, 1), [&](PktKind kind, std::string_view payload) {
            seen.push_back(kind == PktKind::data    ? std::string(payload)
                           : kind == PktKind::flush ? std::string("<flush>")
                                                    : std::string("<other>"));
        });
    EXPECT_EQ(seen, (std::vector<std::string>{"hello\n", "<flush>", "x", "<other>"}));
    EXPECT_FALSE(reader.feed("zzzz", [](PktKind, std::string_view) {}));
}

TEST(PushRequestScanner, ReadsCommandsAndCapabilities) {
    const std::string body = pkt("shallow " + kB + "\n") +
                             pkt(kZero + " " + kA + " refs/heads/new" + std::string(1, '\0') +
                                 " report-status side-band-64k agent=git/2.39\n") +
                             pkt(kA + " " + kZero + " refs/heads/gone\n") +
                             pkt(kA + " " + kB + " refs/tags/v1\n") + "0000" + "PACK" +
                             pkt(kA + " " + kB + " refs/heads/not-a-command\n");
    for (size_t step : {1u, 5u, 4096u}) {
        PushRequestScanner scanner;
        feed_in_pieces(scanner, body, step);
        EXPECT_TRUE(scanner.complete());
        ASSERT_EQ(scanner.commands().size(), 3u) << step;
        EXPECT_EQ(scanner.commands()[0].ref, "refs/heads/new");
        EXPECT_TRUE(is_null_id(scanner.commands()[0].old_id));
        EXPECT_EQ(scanner.commands()[1].ref, "refs/heads/gone");
        EXPECT_TRUE(is_null_id(scanner.commands()[1].new_id));
        EXPECT_EQ(scanner.commands()[2].new_id, kB);
        EXPECT_TRUE(scanner.has_capability("report-status"));
        EXPECT_TRUE(scanner.has_capability("side-band-64k"));
        EXPECT_TRUE(scanner.has_capability("agent"));
        EXPECT_FALSE(scanner.has_capability("side-band"));
    }
}

TEST(PushReportScanner, PlainReport) {
    PushReportScanner report(false);
    feed_in_pieces(report,
                   pkt("unpack ok\n") + pkt("ok refs/heads/a\n") +
                       pkt("ng refs/heads/b non-fast-forward\n") + "0000",
                   3);
    EXPECT_TRUE(report.has_report());
    EXPECT_EQ(report.updated_refs(), (std::set<std::string>{"refs/heads/a"}));
}

TEST(PushReportScanner, SideBandReport) {
    const std::string inner = pkt("unpack ok\n") + pkt("ok refs/heads/a\n") +
                              pkt("option refname refs/heads/a\n") + pkt("ok refs/tags/v1\n") +
                              "0000";
    // The report arrives split over two channel-1 packets, with progress in between.
    const std::string outer = pkt("\2Resolving deltas\n") + pkt("\1" + inner.substr(0, 9)) +
                              pkt("\2more progress\n") + pkt("\1" + inner.substr(9)) + "0000";
    PushReportScanner report(true);
    feed_in_pieces(report, outer, 2);
    EXPECT_TRUE(report.has_report());
    EXPECT_EQ(report.updated_refs(), (std::set<std::string>{"refs/heads/a", "refs/tags/v1"}));
}

TEST(PushReportScanner, NoReport) {
    PushReportScanner report(true);
    report.feed(pkt("\2progress only\n") + "0000");
    EXPECT_FALSE(report.has_report());
}

TEST(HaveCounter, CountsV0AndV2HavesInAnyPieces) {
    for (const auto& request : {v0_request(50), v2_request(50)})
        for (size_t step : {1u, 3u, 1000u}) {
            HaveCounter counter(50);
            for (size_t i = 0; i < request.size(); i += step)
                ASSERT_TRUE(counter.feed(std::string_view(request).substr(i, step)));
            EXPECT_EQ(counter.haves(), 50u);
        }
    HaveCounter over(49);
    auto refused = over.feed(v2_request(50));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::invalid_argument);
    HaveCounter garbage(10);
    EXPECT_FALSE(garbage.feed("GET / HTTP/1.1\r\n"));
}
