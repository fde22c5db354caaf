// Git smart protocol service: Basic credentials, `git upload-pack|receive-pack --stateless-rpc`
// with both directions streamed, the `pull` journal row, and push bookkeeping.
#include "service/git/git_transport.hpp"

#include "service/account/auth_user_row.hpp"
#include "service/repos/repo_state.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <system_error>

#include "core/log.hpp"
#include "core/text.hpp"
#include "db/pool.hpp"
#include "service/account/accounts.hpp"
#include "service/account/login_throttle.hpp"
#include "service/git/git_push.hpp"
#include "service/repos/repo_metadata.hpp"
#include "store/repos/journal.hpp"
#include "store/users/users.hpp"
#include "vcs/git/kallithea_hooks.hpp"
#include "vcs/git/stale_quarantine.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

// Advertisements list refs only; a push or a clone may run for hours on a slow link (a stalled
// client is cut off by the server's I/O timeout long before this).
constexpr auto kAdvertiseTimeout = std::chrono::minutes(10);
constexpr auto kRpcTimeout = std::chrono::hours(24);
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
    if (!*row || !(*row)->active || (*row)->username == "default")
        return std::optional<AuthUser>();
    return std::optional<AuthUser>(auth_user_from_row(**row));
}

// The directory git commands take: a bare repository, or the .git inside a working copy.
std::string git_dir_of(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path + "/.git", ec))
        return path + "/.git";
    return path;
}

ProcessOptions transport_command(const GitSession& session, bool advertise) {
    ProcessOptions options;
    options.argv = {vcs::vcs_settings().git_executable, "-c", "safe.directory=*",
                    session.service == GitService::upload_pack ? "upload-pack" : "receive-pack",
                    "--stateless-rpc"};
    if (advertise)
        options.argv.push_back("--advertise-refs");
    options.argv.push_back(session.repo.path);
    options.env = minimal_environment();
    options.env.insert(options.env.end(), {"HOME=/nonexistent", "GIT_CONFIG_NOSYSTEM=1",
                                           "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0"});
    if (!session.git_protocol.empty())
        options.env.push_back("GIT_PROTOCOL=" + session.git_protocol);
    options.timeout = advertise ? std::chrono::milliseconds(kAdvertiseTimeout)
                                : std::chrono::milliseconds(kRpcTimeout);
    return options;
}

// Runs git with both pipes streamed; fails unless it ran to a clean exit.
Status run_transport(const ProcessOptions& options, const ProcessInput& in,
                     const ProcessOutput& out) {
    auto proc = Subprocess::start(options);
    RETURN_IF_ERROR(proc);
    auto exit = proc->communicate(in, out);
    RETURN_IF_ERROR(exit);
    const std::string& command = options.argv[3];
    if (exit->stopped)
        return fail(Errc::io, "Connection lost", "client went away during git " + command);
    if (!exit->success())
        return fail(Errc::io, "git " + command + " failed",
                    "exit " + std::to_string(exit->exit_code) + " signal " +
                        std::to_string(exit->signal) + ": " +
                        text::clip_for_log(exit->stderr_text));
    return ok();
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

// Logs what retire_kallithea_hooks did; a failure leaves the hook running, harmless but slow.
void retire_kallithea_hooks(const std::string& git_dir, const std::string& name) {
    auto retired = vcs::git::retire_kallithea_hooks(git_dir);
    if (!retired)
        log::warn("{}: cannot retire Kallithea's Git hooks: {} ({})", name, retired.error().message,
                  retired.error().detail);
    else
        for (const auto& hook : *retired)
            log::info("{}: retired Kallithea's {} hook (kept as {}.kallithea-bak)", name, hook,
                      hook);
}

// A push interrupted by the server's death leaves receive-pack's quarantine (the objects it
// received) behind. One idle for longer than any push may run (kRpcTimeout, the same on every
// server sharing the repositories) belongs to no running receive-pack.
void remove_stale_quarantines(const std::string& git_dir, const std::string& name) {
    auto removed = vcs::git::remove_stale_quarantines(
        git_dir, std::chrono::duration_cast<std::chrono::seconds>(kRpcTimeout));
    if (!removed)
        log::warn("{}: {} ({})", name, removed.error().message, removed.error().detail);
    else
        for (const auto& dir : *removed)
            log::info("{}: removed {} left by an interrupted push", name, dir);
}

// What Kallithea's post-receive hook does once refs have moved. Failures are logged; the push
// itself has succeeded and the client is told so.
void record_push(App& app, const GitSession& session, const std::string& git_dir,
                 const std::vector<git_push::RefCommand>& applied,
                 const git_push::RefSnapshot& before) {
    bump_repo_generation(session.repo.repo_id);
    const std::string& name = session.repo.name;
    bool had_branches = false;
    for (const auto& [ref, id] : before)
        had_branches = had_branches || ref.starts_with("refs/heads/");
    if (!had_branches)
        if (auto settled = git_push::settle_head(git_dir, applied); !settled)
            log::warn("{}: cannot set HEAD after the first push: {} ({})", name,
                      settled.error().message, settled.error().detail);
    auto revisions = git_push::push_action_revisions(git_dir, applied, before);
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

// The updates receive-pack applied: from its report when the client asked for one, else by
// comparing the refs with what was asked.
Result<std::vector<git_push::RefCommand>> applied_updates(
    const std::string& git_dir, const git_push::PushRequestScanner& request,
    const std::optional<git_push::PushReportScanner>& report) {
    std::vector<git_push::RefCommand> applied;
    if (report && report->has_report()) {
        for (const auto& command : request.commands())
            if (report->updated_refs().contains(command.ref))
                applied.push_back(command);
        return applied;
    }
    auto after = git_push::snapshot_refs(git_dir);
    RETURN_IF_ERROR(after);
    for (const auto& command : request.commands()) {
        const auto now = after->find(command.ref);
        const bool done = git_push::is_null_id(command.new_id)
                              ? now == after->end()
                              : now != after->end() && now->second == command.new_id;
        if (done)
            applied.push_back(command);
    }
    return applied;
}

Status run_receive_pack(App& app, const GitSession& session, const ProcessInput& in,
                        const ProcessOutput& out) {
    const std::string git_dir = git_dir_of(session.repo.path);
    // A repository Kallithea created still has its post-receive hook (seconds of Python that
    // repeat what record_push does): the first push through us retires it.
    retire_kallithea_hooks(git_dir, session.repo.name);
    remove_stale_quarantines(git_dir, session.repo.name);
    auto before = git_push::snapshot_refs(git_dir);
    RETURN_IF_ERROR(before);
    git_push::PushRequestScanner request;
    std::optional<git_push::PushReportScanner> report;
    const ProcessInput scanned_in = [&](char* buf, size_t size) -> Result<size_t> {
        auto n = in(buf, size);
        if (n && *n > 0 && !request.complete())
            request.feed(std::string_view(buf, *n));
        return n;
    };
    const ProcessOutput scanned_out = [&](std::string_view data) {
        if (!report)  // git answers only after reading the commands
            report.emplace(request.has_capability("side-band-64k") ||
                           request.has_capability("side-band"));
        report->feed(data);
        return out(data);
    };
    if (auto ran = run_transport(transport_command(session, false), scanned_in, scanned_out); !ran)
        return ran;
    auto applied = applied_updates(git_dir, request, report);
    RETURN_IF_ERROR(applied);
    if (!applied->empty())
        record_push(app, session, git_dir, *applied, *before);
    return ok();
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
    if (session.service == GitService::upload_pack)
        if (auto logged = write_journal(app, session, "pull"); !logged)
            log::error("{}: cannot write the pull to the journal: {} ({})", session.repo.name,
                       logged.error().message, logged.error().detail);
    return run_transport(transport_command(session, true), nullptr, out);
}

Status run_git_rpc(App& app, const GitSession& session, const ProcessInput& in,
                   const ProcessOutput& out) {
    if (session.service == GitService::receive_pack)
        return run_receive_pack(app, session, in, out);
    return run_transport(transport_command(session, false), in, out);
}

}  // namespace kallithea::service
