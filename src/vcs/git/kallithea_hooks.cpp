// Recognising and retiring the Git hooks Kallithea installed (post-receive; pre-receive before
// 0.4), keeping the admin's own hooks.
#include "vcs/git/kallithea_hooks.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace kallithea::vcs::git {
namespace {

namespace fs = std::filesystem;

// Kallithea's templates are a few KB; a larger file is not one of them.
constexpr size_t kMaxHookSize = 256 * 1024;

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

Result<bool> file_is_kallithea_hook(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::symlink_status(path, ec);
    if (ec || !fs::is_regular_file(status))
        return false;  // absent, or a symlink: someone else's arrangement
    const auto size = fs::file_size(path, ec);
    if (ec || size > kMaxHookSize)
        return false;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(Errc::io, "cannot read a Git hook", path.string());
    std::string text(static_cast<size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    return is_kallithea_hook(text);
}

}  // namespace

bool is_kallithea_hook(std::string_view text) {
    constexpr std::string_view kMarker = "KALLITHEA_HOOK_VER";
    size_t line_start = 0;
    while (line_start < text.size()) {
        const size_t eol = text.find('\n', line_start);
        std::string_view line =
            text.substr(line_start, eol == std::string_view::npos ? text.npos : eol - line_start);
        line_start = eol == std::string_view::npos ? text.size() : eol + 1;
        while (!line.empty() && is_space(line.front()))
            line.remove_prefix(1);
        if (!line.starts_with(kMarker))
            continue;
        line.remove_prefix(kMarker.size());
        while (!line.empty() && is_space(line.front()))
            line.remove_prefix(1);
        if (line.starts_with('=') && !line.starts_with("=="))
            return true;
    }
    return false;
}

Result<std::vector<std::string>> retire_kallithea_hooks(const std::string& git_dir) {
    std::vector<std::string> retired;
    const fs::path hooks = fs::path(git_dir) / "hooks";
    for (const char* name : {"pre-receive", "post-receive"}) {
        const fs::path hook = hooks / name;
        auto kallithea = file_is_kallithea_hook(hook);
        RETURN_IF_ERROR(kallithea);
        if (!*kallithea)
            continue;
        std::error_code ec;
        fs::rename(hook, hooks / (std::string(name) + ".kallithea-bak"), ec);
        if (ec)
            return fail(Errc::io, "cannot retire Kallithea's Git hook",
                        hook.string() + ": " + ec.message());
        retired.emplace_back(name);
    }
    const fs::path custom = hooks / "post-receive-custom";
    std::error_code ec;
    const bool had_post_receive =
        std::find(retired.begin(), retired.end(), "post-receive") != retired.end();
    if (had_post_receive && fs::is_regular_file(custom, ec) &&
        (fs::status(custom, ec).permissions() & fs::perms::owner_exec) != fs::perms::none) {
        fs::create_symlink("post-receive-custom", hooks / "post-receive", ec);
        if (ec)
            return fail(Errc::io, "cannot keep post-receive-custom running",
                        custom.string() + ": " + ec.message());
    }
    return retired;
}

}  // namespace kallithea::vcs::git
