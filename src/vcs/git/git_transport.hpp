// Git's smart protocol for the Transport interface: `git upload-pack|receive-pack
// --stateless-rpc` with both directions streamed, and what a receive-pack run changed.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/subprocess.hpp"
#include "vcs/transport.hpp"

namespace kallithea::vcs::git {

// `git <service> --stateless-rpc --advertise-refs` (without the smart-HTTP `# service=` head,
// which is the HTTP surface's framing). See Transport::advertise.
Status advertise_refs(const TransportRequest& request, const ProcessOutput& out);

// One `git upload-pack --stateless-rpc` round. See Transport::upload.
Status serve_upload(const TransportRequest& request, const ProcessInput& in,
                    const ProcessOutput& out);

// Retires Kallithea's hooks and stale quarantines (logged), snapshots the refs, runs one
// `git receive-pack --stateless-rpc` round while reading the client's commands and git's
// report, and returns the updates git applied (from its report, else by comparing the refs).
// See Transport::receive.
Result<PushedChanges> serve_receive(const TransportRequest& request, const ProcessInput& in,
                                    const ProcessOutput& out);

// The directory git commands take: a bare repository, or the .git inside a working copy.
std::string git_dir_of(const std::string& path);

}  // namespace kallithea::vcs::git
