// Serving Git's smart protocol (upload-pack for pulls, receive-pack for pushes) to the surfaces
// that carry it (HTTP now, SSH later): credentials, access, the journal and what a push leaves
// behind; the protocol itself runs in the repository type's VCS backend (vcs/backend.hpp).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/subprocess.hpp"
#include "perm/levels.hpp"
#include "service/account/auth_user.hpp"
#include "service/app.hpp"
#include "service/repos/repo_access.hpp"
#include "vcs/transport.hpp"

namespace kallithea::service {

enum class GitService { upload_pack, receive_pack };

// "git-upload-pack" / "git-receive-pack".
std::string_view git_service_name(GitService service);
// The service of such a name; nullopt for anything else.
std::optional<GitService> parse_git_service(std::string_view name);
// What the service needs on the repository: read to pull, write to push.
perm::Level git_service_need(GitService service);

// Checks HTTP Basic credentials: a username or email with its password (internal accounts), or
// any username with one of the user's API keys (40 characters) as the password. Inactive users
// and `default` are refused. Every failure is the same Errc::unauthorized, and unknown users cost
// a bcrypt check like known ones. Failures count towards login throttling for (username,
// client_ip); during a delay every attempt is refused with LoginThrottle::refusal
// (Errc::unavailable).
Result<AuthUser> authenticate_basic(App& app, std::string_view username, std::string_view password,
                                    std::string_view client_ip);

// The GIT_PROTOCOL value to pass to git for a client's `Git-Protocol` header: the header when it
// is a well-formed "key=value[:key=value...]" list of [A-Za-z0-9._=:-], else "" (ignored).
std::string git_protocol_value(std::string_view header);

// Loads the repository for a Git request by `user` and checks that it has level `need`
// (authorize_repository), then that it is a Git repository on disk. Errc::not_found when it does
// not exist, is not Git or its directory is gone, and for anonymous users also when it is not
// readable; Errc::forbidden when the level is below `need` (for a logged-in account also when it
// cannot read the repository: Kallithea's VCS requests tell those apart).
Result<RepoInfo> authorize_git(App& app, const AuthUser& user, std::string_view repo_name,
                               perm::Level need);

// One Git request: who, where, what.
struct GitSession {
    RepoInfo repo;
    AuthUser user;  // the `default` user for anonymous pulls
    std::string client_ip;
    GitService service = GitService::upload_pack;
    std::string git_protocol;  // from git_protocol_value(); may be empty
};

// True when the client asked for protocol version 2 (upload-pack only speaks it).
bool uses_protocol_v2(const GitSession& session);

// Writes the service's ref advertisement (Git: `git <service> --stateless-rpc --advertise-refs`)
// to out. An upload-pack advertisement starts a pull or clone, so `pull` is written to the journal
// first, as Kallithea does. Errc::io/unavailable when git fails or times out (out may have
// received part of the advertisement).
Status advertise_git_refs(App& app, const GitSession& session, const ProcessOutput& out);

// Runs one stateless round of the service: the request body (already decoded) from in, git's
// answer to out, both streamed. After a receive-pack that updated refs: the backend's
// bookkeeping (HEAD of a repository that was empty), the journal row
// `push:<changesets and ref events>` as Kallithea's post-receive hook writes it, and
// update_repository_metadata() (which refreshes the commit-graph). Pushes that bypass the server
// (direct file-system access) are not seen here: `kallithea repo-update-metadata` catches up.
// Fails with the input's error (the child is killed, nothing is logged), Errc::io when git
// fails, Errc::unavailable on timeout.
Status run_git_rpc(App& app, const GitSession& session, const ProcessInput& in,
                   const ProcessOutput& out);

// The check an upload-pack request body passes before and while it reaches git: at most
// max_haves `have` lines, a well-formed pkt-line stream (vcs::Transport::upload_request_check).
// Errc::unavailable when the repository's type has no backend in this build.
Result<std::unique_ptr<vcs::RequestCheck>> upload_request_check(const GitSession& session,
                                                                size_t max_haves);

}  // namespace kallithea::service
