// The Git backend: `git init --bare`, adoption of Kallithea's repositories, the smart protocol
// (git_transport.cpp) and the post-push bookkeeping (push_revisions.cpp).
#include "vcs/git/git_backend.hpp"

#include <fmt/format.h>

#include <chrono>

#include "core/subprocess.hpp"
#include "vcs/git/git_transport.hpp"
#include "vcs/git/kallithea_hooks.hpp"
#include "vcs/git/pkt_line.hpp"
#include "vcs/git/push_revisions.hpp"
#include "vcs/repository.hpp"

namespace kallithea::vcs::git {
namespace {

constexpr auto kGitInitTimeout = std::chrono::seconds(60);

class GitBackend final : public Backend {
public:
    std::string_view type() const override { return "git"; }

    Status init(const std::string& path) const override {
        ProcessOptions options;
        options.argv = {vcs_settings().git_executable, "init", "--bare", "--quiet", path};
        options.env = minimal_environment();
        options.timeout = kGitInitTimeout;
        auto run = run_process(options);
        if (!run)
            return fail(
                Errc::io, "The repository could not be created on disk",
                fmt::format("git init {}: {} ({})", path, run.error().message, run.error().detail));
        if (!run->exit.success())
            return fail(Errc::io, "The repository could not be created on disk",
                        fmt::format("git init {} failed (exit {}, signal {}): {}", path,
                                    run->exit.exit_code, run->exit.signal, run->exit.stderr_text));
        return ok();
    }

    Result<std::vector<std::string>> adopt(const std::string& path) const override {
        return retire_kallithea_hooks(git_dir_of(path));  // .git/hooks of a non-bare one
    }

    Status advertise(const TransportRequest& request, const ProcessOutput& out) const override {
        return advertise_refs(request, out);
    }

    Status upload(const TransportRequest& request, const ProcessInput& in,
                  const ProcessOutput& out) const override {
        return serve_upload(request, in, out);
    }

    Result<PushedChanges> receive(const TransportRequest& request, const ProcessInput& in,
                                  const ProcessOutput& out) const override {
        return serve_receive(request, in, out);
    }

    std::unique_ptr<RequestCheck> upload_request_check(size_t max_haves) const override {
        return std::make_unique<HaveCounter>(max_haves);
    }

    Status settle_after_push(const std::string& path, const PushedChanges& changes) const override {
        for (const auto& [ref, id] : changes.before)
            if (ref.starts_with("refs/heads/"))
                return ok();  // only a repository that had no branches needs HEAD settled
        if (auto settled = settle_head(git_dir_of(path), changes.applied); !settled)
            return fail(Errc::io,
                        "cannot set HEAD after the first push: " + settled.error().message,
                        settled.error().detail);
        return ok();
    }

    Result<std::string> journal_revisions(const std::string& path,
                                          const PushedChanges& changes) const override {
        return push_action_revisions(git_dir_of(path), changes.applied, changes.before);
    }
};

}  // namespace

const Backend& git_backend() {
    static const GitBackend backend;
    return backend;
}

}  // namespace kallithea::vcs::git
