// Git smart protocol service: Basic credentials, access checks, the `pull` journal row, and
// what Kallithea records after a push; the protocol itself runs in the VCS backend.
#include "service/git/git_transport.hpp"

#include <optional>

#include "core/log.hpp"
#include "db/pool.hpp"
#include "service/account/accounts.hpp"
#include "service/account/auth_user_row.hpp"
#include "service/account/login_throttle.hpp"
#include "service/repos/repo_metadata.hpp"
#include "service/repos/repo_state.hpp"
#include "store/repos/journal.hpp"
#include "store/users/users.hpp"
#include "vcs/backend.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

constexpr size_t kMaxGitProtocol = 256;

bool is_api_key_shaped(std::string_view s) {
    if (s.size() != 40)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return false;
    return true;
}

// The user owning an API key, when active and not `default`; nullopt otherwise.
Result<std::optional<AuthUser>> user_by_api_key(App& app, std::string_view key) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto row = store::Users(*conn).by_api_key(key);
    RETURN_IF_ERROR(row);
    if (!account_usable(*row))
        return std::optional<AuthUser>();
    return std::optional<AuthUser>(auth_user_from_row(**row));
}

Status write_journal(App& app, const GitSession& session, std::string action) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::JournalEntry entry;
    entry.user_id = session.user.user_id;
    entry.username = session.user.username;
    entry.repository_id = session.repo.repo_id;
    entry.repository_name = session.repo.name;
    entry.user_ip = session.client_ip;
    entry.action = std::move(action);
    return store::Journal(*conn).add(entry);
}

// The backend serving a session's repository and the request it is given.
struct Served {
    const vcs::Backend* backend = nullptr;
    vcs::TransportRequest request;
};

Result<Served> served(const GitSession& session) {
    auto backend = vcs::backend_for(session.repo.type);
    RETURN_IF_ERROR(backend);
    Served out;
    out.backend = *backend;
    out.request.path = session.repo.path;
    out.request.name = session.repo.name;
    out.request.service = session.service == GitService::upload_pack
                              ? vcs::TransportService::upload
                              : vcs::TransportService::receive;
    out.request.protocol = session.git_protocol;
    return out;
}

// What Kallithea's post-receive hook does once refs have moved. Failures are logged; the push
// itself has succeeded and the client is told so.
void record_push(App& app, const GitSession& session, const vcs::Backend& backend,
                 const vcs::PushedChanges& changes) {
    bump_repo_generation(session.repo.repo_id);
    const std::string& name = session.repo.name;
    const std::string& path = session.repo.path;
    if (auto settled = backend.settle_after_push(path, changes); !settled)
        log::warn("{}: {} ({})", name, settled.error().message, settled.error().detail);
    auto revisions = backend.journal_revisions(path, changes);
    if (!revisions)
        log::error("{}: cannot list pushed changesets: {} ({})", name, revisions.error().message,
                   revisions.error().detail);
    if (auto logged = write_journal(app, session, "push:" + revisions.value_or(std::string()));
        !logged)
        log::error("{}: cannot write the push to the journal: {} ({})", name,
                   logged.error().message, logged.error().detail);
    if (auto updated = update_repository_metadata(app, name); !updated)
        log::warn("{}: cannot update repository metadata after a push: {} ({})", name,
                  updated.error().message, updated.error().detail);
}

}  // namespace

std::string_view git_service_name(GitService service) {
    return service == GitService::upload_pack ? "git-upload-pack" : "git-receive-pack";
}

std::optional<GitService> parse_git_service(std::string_view name) {
    if (name == "git-upload-pack")
        return GitService::upload_pack;
    if (name == "git-receive-pack")
        return GitService::receive_pack;
    return std::nullopt;
}

perm::Level git_service_need(GitService service) {
    return service == GitService::upload_pack ? perm::Level::read : perm::Level::write;
}

Result<AuthUser> authenticate_basic(App& app, std::string_view username, std::string_view password,
                                    std::string_view client_ip) {
    LoginThrottle& throttle = login_throttle(app);
    if (const int64_t wait = throttle.wait_seconds(username, client_ip); wait > 0)
        return fail(LoginThrottle::refusal(wait));
    if (is_api_key_shaped(password)) {
        auto by_key = user_by_api_key(app, password);
        RETURN_IF_ERROR(by_key);
        if (*by_key) {
            throttle.record_success(username, client_ip);
            return std::move(**by_key);
        }
    }
    auto user = authenticate_password(app, username, password);
    if (user)
        throttle.record_success(username, client_ip);
    else if (user.error().code == Errc::unauthorized)
        throttle.record_failure(username, client_ip);
    return user;
}

std::string git_protocol_value(std::string_view header) {
    if (header.empty() || header.size() > kMaxGitProtocol)
        return {};
    std::string_view rest = header;
    while (true) {
        const auto colon = rest.find(':');
        const std::string_view item = rest.substr(0, colon);
        const auto eq = item.find('=');
        if (eq == 0 || eq == std::string_view::npos)
            return {};
        for (char c : item)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '=' || c == '-'))
                return {};
        if (colon == std::string_view::npos)
            break;
        rest.remove_prefix(colon + 1);
    }
    return std::string(header);
}

bool uses_protocol_v2(const GitSession& session) {
    if (session.service != GitService::upload_pack)
        return false;
    std::string_view rest = session.git_protocol;
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        if (rest.substr(0, colon) == "version=2")
            return true;
        if (colon == std::string_view::npos)
            break;
        rest.remove_prefix(colon + 1);
    }
    return false;
}

Result<RepoInfo> authorize_git(App& app, const AuthUser& user, std::string_view repo_name,
                               perm::Level need) {
    auto repo = authorize_repository(app, user, repo_name, need);
    if (!repo) {
        if (repo.error().code == Errc::not_found && user.authenticated()) {
            auto exists = repository_exists(app, repo_name);
            RETURN_IF_ERROR(exists);
            if (*exists)
                return fail(Errc::forbidden, "Permission denied");
        }
        return repo;
    }
    if (repo->type != "git" || vcs::detect_repository_type(repo->path) != "git")
        return fail(Errc::not_found, "Repository not found", "no Git repository at " + repo->path);
    return repo;
}

Status advertise_git_refs(App& app, const GitSession& session, const ProcessOutput& out) {
    auto serve = served(session);
    RETURN_IF_ERROR(serve);
    if (session.service == GitService::upload_pack)
        if (auto logged = write_journal(app, session, "pull"); !logged)
            log::error("{}: cannot write the pull to the journal: {} ({})", session.repo.name,
                       logged.error().message, logged.error().detail);
    return serve->backend->advertise(serve->request, out);
}

Status run_git_rpc(App& app, const GitSession& session, const ProcessInput& in,
                   const ProcessOutput& out) {
    auto serve = served(session);
    RETURN_IF_ERROR(serve);
    if (session.service == GitService::upload_pack)
        return serve->backend->upload(serve->request, in, out);
    auto changes = serve->backend->receive(serve->request, in, out);
    RETURN_IF_ERROR(changes);
    if (!changes->applied.empty())
        record_push(app, session, *serve->backend, *changes);
    return ok();
}

Result<std::unique_ptr<vcs::RequestCheck>> upload_request_check(const GitSession& session,
                                                                size_t max_haves) {
    auto backend = vcs::backend_for(session.repo.type);
    RETURN_IF_ERROR(backend);
    return (*backend)->upload_request_check(max_haves);
}

}  // namespace kallithea::service
