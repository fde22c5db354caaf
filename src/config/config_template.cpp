// `config-create`: filling the ini template, applying key=value arguments, writing the file safely.
#include "config/config_template.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "config/db_url.hpp"
#include "config/ini.hpp"
#include "config/ini_template_text.hpp"
#include "config/ini_text_edit.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace kallithea::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAppSection = "app:main";
constexpr std::string_view kWhitespace = " \t\r\f\v";
constexpr size_t kSecretBytes = 16;  // 32 hex digits, like Kallithea's uuid4().hex

using Pairs = IniPairs;

// Parsed command line: template variables and, per section, the pairs to set (in order).
struct CreateArgs {
    std::map<std::string, std::string> vars{{"host", "127.0.0.1"},
                                            {"port", "5000"},
                                            {"database_engine", "sqlite"},
                                            {"http_server", "builtin"}};
    std::vector<std::pair<std::string, Pairs>> sections;

    void set(const std::string& section, std::string key, std::string value) {
        auto it = std::find_if(sections.begin(), sections.end(),
                               [&](const auto& entry) { return entry.first == section; });
        if (it == sections.end())
            it = sections.insert(sections.end(), {section, {}});
        auto& pairs = it->second;
        auto same = std::find_if(pairs.begin(), pairs.end(),
                                 [&](const auto& pair) { return pair.first == key; });
        if (same != pairs.end())
            same->second = std::move(value);
        else
            pairs.emplace_back(std::move(key), std::move(value));
    }
};

tl::unexpected<Error> bad_argument(std::string message) {
    return fail(Errc::invalid_argument, "config-create: " + std::move(message));
}

// A key must read back as the same key: no delimiter, no comment or section start.
bool valid_key(std::string_view key) {
    return !key.empty() && key.find_first_of("=:\r\n") == std::string_view::npos &&
           key.front() != '#' && key.front() != ';' && key.front() != '[';
}

Result<CreateArgs> parse_args(const std::vector<std::string>& args) {
    CreateArgs out;
    std::optional<std::string> section;
    for (const auto& arg : args) {
        if (arg.find_first_of("\r\n") != std::string::npos)
            return bad_argument("line breaks are not allowed in arguments");
        const size_t eq = arg.find('=');
        if (eq == std::string::npos && arg.size() > 2 && arg.front() == '[' && arg.back() == ']') {
            section = std::string(
                text::trim(std::string_view(arg).substr(1, arg.size() - 2), kWhitespace));
            continue;
        }
        if (eq == std::string::npos)
            return bad_argument(fmt::format("expected key=value or [section], got '{}'", arg));
        const std::string key(text::trim(std::string_view(arg).substr(0, eq), kWhitespace));
        if (!valid_key(key))
            return bad_argument(fmt::format("invalid key in '{}'", arg));
        std::string value(text::trim(std::string_view(arg).substr(eq + 1), kWhitespace));
        if (!section && out.vars.count(key))
            out.vars[key] = std::move(value);
        else
            out.set(section.value_or(std::string(kAppSection)), key, std::move(value));
    }
    return out;
}

// Placeholder values land inside ini values, where '%' starts an interpolation.
std::string escape_percent(std::string_view text) {
    std::string out;
    for (const char c : text) {
        out.push_back(c);
        if (c == '%')
            out.push_back('%');
    }
    return out;
}

std::string default_authorized_keys() {
    for (const char* name : {"HOME", "USERPROFILE"}) {
        const char* home = std::getenv(name);
        if (home && *home && fs::path(home).is_absolute())
            return (fs::path(home) / ".ssh" / "authorized_keys").string();
    }
    return "%(here)s/authorized_keys";
}

std::string default_cli_path() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec || self.empty() ? std::string("kallithea-cli") : self.string();
}

std::string default_locale() {
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        const char* value = std::getenv(name);
        if (!value || !*value)
            continue;
        const std::string_view locale(value);
        const bool plain = std::all_of(locale.begin(), locale.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                   c == '-' || c == '@';
        });
        if (plain && locale != "C" && locale != "POSIX")
            return std::string(locale);
        break;
    }
    return "C.UTF-8";
}

Result<std::map<std::string, std::string>> template_values(const CreateArgs& args) {
    const std::string& host = args.vars.at("host");
    if (host.empty() || host.find_first_of(" \t") != std::string::npos)
        return bad_argument(fmt::format("invalid host '{}'", host));
    const std::string& port_text = args.vars.at("port");
    int port = 0;
    const char* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
    if (ec != std::errc() || ptr != end || port < 1 || port > 65535)
        return bad_argument(fmt::format("port must be a number 1..65535, got '{}'", port_text));
    const std::string engine = text::ascii_lower(args.vars.at("database_engine"));
    if (engine == "mysql")
        return bad_argument("database_engine=mysql is not supported; use sqlite or postgres");
    const bool postgres = engine == "postgres" || engine == "postgresql";
    if (!postgres && engine != "sqlite")
        return bad_argument(
            fmt::format("unknown database_engine '{}'; use sqlite or postgres", engine));
    // Links in mail come from canonical_url only; a wildcard address names no host to link to.
    const bool wildcard = host == "0.0.0.0" || host == "::" || host == "[::]" || host == "*";
    const bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
    const std::string canonical =
        wildcard ? std::string("https://kallithea.example.com")
                 : fmt::format("http://{}{}{}:{}", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port);
    return std::map<std::string, std::string>{
        {"generator", "kallithea-cli config-create"},
        {"canonical_url", escape_percent(canonical)},
        {"canonical_url_prefix", wildcard ? "#" : ""},
        {"host", escape_percent(host)},
        {"port", std::to_string(port)},
        {"app_instance_uuid", random::hex(kSecretBytes)},
        {"session_secret", random::hex(kSecretBytes)},
        {"sqlite_prefix", postgres ? "#" : ""},
        {"postgres_prefix", postgres ? "" : "#"},
        {"ssh_authorized_keys", escape_percent(default_authorized_keys())},
        {"kallithea_cli_path", escape_percent(default_cli_path())},
        {"ssh_locale", default_locale()},
    };
}

std::string fill_placeholders(std::string_view text,
                              const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size() + 256);
    while (!text.empty()) {
        const size_t open = text.find("{{");
        out.append(text.substr(0, open));
        if (open == std::string_view::npos)
            break;
        const size_t close = text.find("}}", open);
        const std::string name(text.substr(open + 2, close - open - 2));
        out.append(values.at(name));  // a missing name is a bug in the template
        text.remove_prefix(close + 2);
    }
    return out;
}

// Loads the text back to catch values that would make the file unreadable.
Status check_rendered(const std::string& text) {
    auto ini = Ini::parse(text, "/", "the new config");
    if (!ini)
        return bad_argument(ini.error().message);
    auto url = ini->get(kAppSection, "sqlalchemy.url");
    if (!url)
        return bad_argument(url.error().message);
    if (*url) {
        if (auto db = DbUrl::parse(**url); !db)
            return bad_argument(db.error().message);
    }
    return ok();
}

tl::unexpected<Error> write_error(const std::string& path, const std::error_code& ec) {
    return fail(Errc::io, fmt::format("cannot write {}: {}", path, ec.message()));
}

tl::unexpected<Error> exists_error(const std::string& path) {
    return fail(Errc::config, fmt::format("{} already exists; refusing to overwrite", path));
}

// Publishes `temp` as `path` unless `path` exists: a hard link fails atomically on an existing
// name; file systems without hard links fall back to an existence check and a rename.
Status publish(const fs::path& temp, const std::string& path) {
    std::error_code ec;
    fs::create_hard_link(temp, path, ec);
    if (!ec) {
        fs::remove(temp, ec);
        return ok();
    }
    if (ec == std::errc::file_exists)
        return exists_error(path);
    if (fs::exists(fs::symlink_status(path, ec)))
        return exists_error(path);
    fs::rename(temp, path, ec);
    if (ec)
        return write_error(path, ec);
    return ok();
}

Status write_new_file(const std::string& path, const std::string& text) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(path, ec)))
        return exists_error(path);
    const fs::path temp = path + ".tmp-" + random::hex(6);
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out)
        return write_error(path, std::error_code(errno, std::generic_category()));
    // Restrict before any secret is written.
    fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
    if (!ec) {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out)
            ec = std::make_error_code(std::errc::io_error);
    }
    Status status = ec ? Status(write_error(path, ec)) : publish(temp, path);
    std::error_code ignored;  // the temporary may already be gone; nothing else to report
    fs::remove(temp, ignored);
    return status;
}

}  // namespace

Result<std::string> render_config_text(const std::vector<std::string>& args) {
    auto parsed = parse_args(args);
    RETURN_IF_ERROR(parsed);
    auto values = template_values(*parsed);
    RETURN_IF_ERROR(values);
    std::string text = fill_placeholders(ini_template_text(), *values);
    for (const auto& [section, pairs] : parsed->sections)
        text = set_ini_values(text, section, pairs);
    if (auto status = check_rendered(text); !status)
        return fail(status.error());
    return text;
}

Status create_config_file(const std::string& path, const std::vector<std::string>& args) {
    auto text = render_config_text(args);
    RETURN_IF_ERROR(text);
    return write_new_file(path, *text);
}

}  // namespace kallithea::config
