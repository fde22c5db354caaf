// The VCS-neutral side of serving a version control system's wire protocol to clients: the ref
// advertisement, pulls (upload) and pushes (receive), each streamed both ways.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/subprocess.hpp"

namespace kallithea::vcs {

// The two directions of a wire protocol: serving a pull or clone (Git: upload-pack) and
// accepting a push (Git: receive-pack).
enum class TransportService { upload, receive };

// One request of a client to a repository.
struct TransportRequest {
    std::string path;  // the repository's directory
    std::string name;  // its name, for log lines
    TransportService service = TransportService::upload;
    std::string protocol;  // Git: the validated GIT_PROTOCOL value ("" for none)
};

// One branch, tag or bookmark a push moved; ids are full hex, all zeros for "absent".
struct RefUpdate {
    std::string old_id;
    std::string new_id;
    std::string ref;  // Git: "refs/heads/master"
};

// True for the all-zeros id that stands for "absent".
bool is_null_id(std::string_view id);

// Ref name -> id, as the repository had them.
using RefSnapshot = std::map<std::string, std::string>;

// What a push changed: the refs before it and the updates applied (in the order the client sent
// them). `applied` is empty when nothing moved.
struct PushedChanges {
    RefSnapshot before;
    std::vector<RefUpdate> applied;
};

// Checks a request body while it streams past in arbitrary pieces.
class RequestCheck {
public:
    virtual ~RequestCheck() = default;
    // Errc::invalid_argument once the stream breaks a bound or is malformed.
    virtual Status feed(std::string_view data) = 0;
};

// Serves the wire protocol of one VCS. Implementations hold no per-request state and are
// thread-safe. Failures: the input's error when reading the request fails (the VCS process is
// killed), Errc::io when the VCS fails or the client went away ("Connection lost"),
// Errc::unavailable on timeout.
class Transport {
public:
    virtual ~Transport() = default;

    // Writes the ref advertisement of request.service to out (out may have received part of it
    // when this fails).
    virtual Status advertise(const TransportRequest& request, const ProcessOutput& out) const = 0;

    // Runs one stateless round of a pull: the request body from in, the answer to out.
    virtual Status upload(const TransportRequest& request, const ProcessInput& in,
                          const ProcessOutput& out) const = 0;

    // Runs one stateless round of a push and tells which refs it moved. Housekeeping comes
    // first (Git: Kallithea's own hooks are retired, quarantines of interrupted pushes removed;
    // problems there are logged, never a refusal).
    virtual Result<PushedChanges> receive(const TransportRequest& request, const ProcessInput& in,
                                          const ProcessOutput& out) const = 0;

    // A check for pull request bodies, applied before and while they reach the VCS: at most
    // max_haves `have` lines (commits the client offers during negotiation).
    virtual std::unique_ptr<RequestCheck> upload_request_check(size_t max_haves) const = 0;
};

}  // namespace kallithea::vcs
