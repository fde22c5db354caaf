// Running the `git` CLI against a repository with an isolated, minimal environment.
#include "vcs/git/git_command.hpp"

#include "vcs/repository.hpp"

namespace kallithea::vcs::git {

ProcessOptions git_command(const std::string& git_dir, std::vector<std::string> args,
                           std::chrono::milliseconds timeout) {
    const auto& settings = vcs_settings();
    ProcessOptions options;
    options.argv = {settings.git_executable, "--git-dir=" + git_dir, "-c", "safe.directory=*", "-c",
                    "core.quotePath=false"};
    options.argv.insert(options.argv.end(), std::make_move_iterator(args.begin()),
                        std::make_move_iterator(args.end()));
    options.env = minimal_environment();
    options.env.insert(options.env.end(),
                       {"HOME=/nonexistent", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
                        "GIT_TERMINAL_PROMPT=0", "GIT_LITERAL_PATHSPECS=1", "GIT_OPTIONAL_LOCKS=0",
                        "GIT_NO_REPLACE_OBJECTS=1"});
    options.timeout = timeout.count() > 0 ? timeout : settings.command_timeout;
    return options;
}

Result<std::string> run_git(const std::string& git_dir, std::vector<std::string> args,
                            size_t max_output) {
    auto options = git_command(git_dir, std::move(args));
    auto result = run_process(options, {}, max_output);
    RETURN_IF_ERROR(result);
    if (!result->exit.success()) {
        std::string command = options.argv.size() > 6 ? options.argv[6] : "git";
        return fail(Errc::io, "git " + command + " failed", result->exit.stderr_text);
    }
    return std::move(result->out);
}

}  // namespace kallithea::vcs::git
