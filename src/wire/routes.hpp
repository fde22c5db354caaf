// The Git smart-HTTP surface's route table (Kallithea's SimpleGit paths): every route declares
// the repository permission it needs, and the gate in git_http.cpp checks it first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "service/git/git_transport.hpp"

namespace kallithea::wire {

enum class Need {
    undeclared,  // never valid: the route-table test fails on it
    repo_read,   // pull: read on the repository
    repo_write,  // push: write on the repository
};

struct WireCtx;
using WireHandler = http::Response (*)(WireCtx& ctx);

struct WireRoute {
    std::vector<http::Method> methods;
    std::string_view suffix;   // after "/{repo}", e.g. "/info/refs"
    std::string_view service;  // the required ?service= value (info/refs); "" for none
    service::GitService git_service = service::GitService::upload_pack;
    Need need = Need::undeclared;
    WireHandler handler = nullptr;
};

const std::vector<WireRoute>& route_table();

// True for the requests this surface answers: `GET|HEAD /{repo}/info/refs?service=...`,
// `POST /{repo}/git-upload-pack`, `POST /{repo}/git-receive-pack`. Anything else (including
// dumb-HTTP `info/refs` without a service) belongs to the web pages.
bool claims(const http::Request& request);

struct WireMatch {
    const WireRoute* route = nullptr;  // null: claimed, but the service is unknown (400)
    std::string repo_name;             // "" when the repository part is malformed (404)
};

// The route for a claimed request and the repository name: everything between the leading '/'
// and the suffix, so names may contain '/'. Empty, "." and ".." segments make it malformed.
WireMatch match_route(const http::Request& request);

// Handlers (git_handlers.cpp).
http::Response advertise_refs(WireCtx& ctx);  // GET info/refs?service=...
http::Response run_rpc(WireCtx& ctx);         // POST git-upload-pack / git-receive-pack

}  // namespace kallithea::wire
