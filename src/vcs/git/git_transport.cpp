// Git smart protocol: `git upload-pack|receive-pack --stateless-rpc` with both directions
// streamed, receive-pack's housekeeping, and the updates a push applied.
#include "vcs/git/git_transport.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <system_error>

#include "core/log.hpp"
#include "core/text.hpp"
#include "vcs/git/kallithea_hooks.hpp"
#include "vcs/git/pkt_line.hpp"
#include "vcs/git/push_revisions.hpp"
#include "vcs/git/stale_quarantine.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs::git {
namespace {

// Advertisements list refs only; a push or a clone may run for hours on a slow link (a stalled
// client is cut off by the server's I/O timeout long before this).
constexpr auto kAdvertiseTimeout = std::chrono::minutes(10);
constexpr auto kRpcTimeout = std::chrono::hours(24);

ProcessOptions transport_command(const TransportRequest& request, bool advertise) {
    ProcessOptions options;
    options.argv = {vcs_settings().git_executable, "-c", "safe.directory=*",
                    request.service == TransportService::upload ? "upload-pack" : "receive-pack",
                    "--stateless-rpc"};
    if (advertise)
        options.argv.push_back("--advertise-refs");
    options.argv.push_back(request.path);
    options.env = minimal_environment();
    options.env.insert(options.env.end(), {"HOME=/nonexistent", "GIT_CONFIG_NOSYSTEM=1",
                                           "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0"});
    if (!request.protocol.empty())
        options.env.push_back("GIT_PROTOCOL=" + request.protocol);
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

// Logs what retire_kallithea_hooks did; a failure leaves the hook running, harmless but slow.
void retire_hooks(const std::string& git_dir, const std::string& name) {
    auto retired = retire_kallithea_hooks(git_dir);
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
void remove_quarantines(const std::string& git_dir, const std::string& name) {
    auto removed = remove_stale_quarantines(
        git_dir, std::chrono::duration_cast<std::chrono::seconds>(kRpcTimeout));
    if (!removed)
        log::warn("{}: {} ({})", name, removed.error().message, removed.error().detail);
    else
        for (const auto& dir : *removed)
            log::info("{}: removed {} left by an interrupted push", name, dir);
}

// The updates receive-pack applied: from its report when the client asked for one, else by
// comparing the refs with what was asked.
Result<std::vector<RefUpdate>> applied_updates(const std::string& git_dir,
                                               const PushRequestScanner& request,
                                               const std::optional<PushReportScanner>& report) {
    std::vector<RefUpdate> applied;
    if (report && report->has_report()) {
        for (const auto& command : request.commands())
            if (report->updated_refs().contains(command.ref))
                applied.push_back(command);
        return applied;
    }
    auto after = snapshot_refs(git_dir);
    RETURN_IF_ERROR(after);
    for (const auto& command : request.commands()) {
        const auto now = after->find(command.ref);
        const bool done = is_null_id(command.new_id)
                              ? now == after->end()
                              : now != after->end() && now->second == command.new_id;
        if (done)
            applied.push_back(command);
    }
    return applied;
}

}  // namespace

std::string git_dir_of(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path + "/.git", ec))
        return path + "/.git";
    return path;
}

Status advertise_refs(const TransportRequest& request, const ProcessOutput& out) {
    return run_transport(transport_command(request, true), nullptr, out);
}

Status serve_upload(const TransportRequest& request, const ProcessInput& in,
                    const ProcessOutput& out) {
    TransportRequest upload = request;
    upload.service = TransportService::upload;
    return run_transport(transport_command(upload, false), in, out);
}

Result<PushedChanges> serve_receive(const TransportRequest& request, const ProcessInput& in,
                                    const ProcessOutput& out) {
    const std::string git_dir = git_dir_of(request.path);
    // A repository Kallithea created still has its post-receive hook (seconds of Python that
    // repeat what the push bookkeeping does): the first push through us retires it.
    retire_hooks(git_dir, request.name);
    remove_quarantines(git_dir, request.name);
    PushedChanges changes;
    auto before = snapshot_refs(git_dir);
    RETURN_IF_ERROR(before);
    changes.before = std::move(*before);
    PushRequestScanner commands;
    std::optional<PushReportScanner> report;
    const ProcessInput scanned_in = [&](char* buf, size_t size) -> Result<size_t> {
        auto n = in(buf, size);
        if (n && *n > 0 && !commands.complete())
            commands.feed(std::string_view(buf, *n));
        return n;
    };
    const ProcessOutput scanned_out = [&](std::string_view data) {
        if (!report)  // git answers only after reading the commands
            report.emplace(commands.has_capability("side-band-64k") ||
                           commands.has_capability("side-band"));
        report->feed(data);
        return out(data);
    };
    TransportRequest receive = request;
    receive.service = TransportService::receive;
    RETURN_IF_ERROR(run_transport(transport_command(receive, false), scanned_in, scanned_out));
    auto applied = applied_updates(git_dir, commands, report);
    RETURN_IF_ERROR(applied);
    changes.applied = std::move(*applied);
    return changes;
}

}  // namespace kallithea::vcs::git
