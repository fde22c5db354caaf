// What a receive-pack run did, read from the protocol streams passing through us (the commands
// the client sent, the report git sent back), and what Kallithea records after a push. Used by
// git_transport.cpp; in its own file so the protocol scanners can be unit-tested.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kallithea::service::git_push {

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

// One ref update requested by a push: ids are full hex, all zeros for "absent".
struct RefCommand {
    std::string old_id;
    std::string new_id;
    std::string ref;  // "refs/heads/master"
};

bool is_null_id(std::string_view id);

// Reads the command list at the start of a receive-pack request (up to its first flush-pkt) and
// lets the pack after it pass unparsed.
class PushRequestScanner {
public:
    void feed(std::string_view data);
    bool complete() const { return done_; }
    const std::vector<RefCommand>& commands() const { return commands_; }
    // True when the client's capability list has that word.
    bool has_capability(std::string_view name) const;

private:
    PktLineReader reader_;
    bool done_ = false;
    std::vector<RefCommand> commands_;
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

// refname -> object id, as `git for-each-ref` lists them; Errc::io when git fails.
using RefSnapshot = std::map<std::string, std::string>;
Result<RefSnapshot> snapshot_refs(const std::string& git_dir);

// The comma-separated list of Kallithea's `push:` journal action for updates applied in this
// order: per branch the new changesets oldest first (`old..new`, or for a new branch those not
// reachable from the branches before the push), `delete_branch=>name`, `tag=>name`; a changeset
// is listed once. One `git rev-list` walks all pushed branches together (a push of 20,000 new
// branches must not start 20,000 processes); a branch update whose part of that walk is not
// exactly old..new (it merged an existing branch) gets its own. Within a branch the changesets
// follow the combined walk's order, which is each branch's own order unless commit dates are
// skewed. Errc::io when git fails.
Result<std::string> push_action_revisions(const std::string& git_dir,
                                          const std::vector<RefCommand>& applied,
                                          const RefSnapshot& before);

// The same list computed with one `git rev-list` per branch (the reference for the one above,
// and its fallback when a ref moved under the snapshot).
Result<std::string> push_action_revisions_per_ref(const std::string& git_dir,
                                                  const std::vector<RefCommand>& applied,
                                                  const RefSnapshot& before);

// After the first push into an empty repository: when HEAD names a branch that does not exist,
// points it at a pushed branch (master, else main, else the first one pushed). Errc::io when git
// fails.
Status settle_head(const std::string& git_dir, const std::vector<RefCommand>& applied);

}  // namespace kallithea::service::git_push
