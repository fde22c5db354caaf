// Git's pkt-line framing and the readers of the protocol streams passing through the server: a
// push's commands and receive-pack's report (what a push did), the `have` lines of a fetch.
// Pure parsing (no git runs), so the fuzz build compiles this file alone.
#pragma once

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "vcs/transport.hpp"

namespace kallithea::vcs::git {

enum class PktKind { data, flush, delim, response_end };

// Splits a byte stream into pkt-lines as it arrives in arbitrary pieces. Memory is bounded by one
// packet (65520 bytes) plus the piece being fed.
class PktLineReader {
public:
    using Sink = std::function<void(PktKind kind, std::string_view payload)>;
    // Calls sink for each complete packet; false once the stream is malformed (nothing more is
    // parsed after that).
    bool feed(std::string_view data, const Sink& sink);

private:
    std::string buf_;
    bool broken_ = false;
};

// Reads the command list at the start of a receive-pack request (up to its first flush-pkt) and
// lets the pack after it pass unparsed.
class PushRequestScanner {
public:
    void feed(std::string_view data);
    bool complete() const { return done_; }
    const std::vector<RefUpdate>& commands() const { return commands_; }
    // True when the client's capability list has that word.
    bool has_capability(std::string_view name) const;

private:
    PktLineReader reader_;
    bool done_ = false;
    std::vector<RefUpdate> commands_;
    std::string capabilities_;
};

// Reads receive-pack's report-status (v1 or v2), inside side-band channel 1 when the client
// asked for side-band: which refs were updated ("ok <ref>").
class PushReportScanner {
public:
    explicit PushReportScanner(bool side_band) : side_band_(side_band) {}
    void feed(std::string_view data);
    // True once "unpack ..." was seen: the ok set is then authoritative.
    bool has_report() const { return saw_unpack_; }
    const std::set<std::string>& updated_refs() const { return ok_refs_; }

private:
    void report_line(std::string_view line);
    bool side_band_;
    PktLineReader outer_;
    PktLineReader inner_;
    bool saw_unpack_ = false;
    std::set<std::string> ok_refs_;
};

// Counts `have` pkt-lines (protocol v0 negotiation and v2 `command=fetch` arguments alike) in an
// upload-pack request fed in arbitrary pieces.
class HaveCounter : public RequestCheck {
public:
    explicit HaveCounter(size_t max_haves) : max_haves_(max_haves) {}
    // Errc::invalid_argument once there are more than max_haves lines, or the stream is no
    // pkt-line stream (git would refuse it too).
    Status feed(std::string_view data) override;
    size_t haves() const { return haves_; }

private:
    PktLineReader reader_;
    size_t max_haves_;
    size_t haves_ = 0;
};

}  // namespace kallithea::vcs::git
