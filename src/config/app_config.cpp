// Loading and type-checking AppConfig from a Kallithea ini file.
#include "config/app_config.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "core/text.hpp"

namespace kallithea::config {
namespace {

constexpr std::string_view kServer = "server:main";
constexpr std::string_view kApp = "app:main";
// Kallithea's example runs waitress with one thread; our server blocks workers on SQLite, libgit2
// and child processes, so a single worker would serialise every request behind a clone.
constexpr int kMinThreads = 2;
constexpr int kSmallThreadsReplacement = 4;
constexpr int kMaxThreads = 1024;

// Typed reads of one ini file; errors name the file, the section and the key.
class Reader {
public:
    explicit Reader(const Ini& ini) : ini_(ini) {}

    // The interpolated value, nullopt when absent or empty (an empty value means "default").
    Result<std::optional<std::string>> text(std::string_view section, std::string_view key) const {
        auto value = ini_.get(section, key);
        if (value && *value && (*value)->empty())
            return std::optional<std::string>{};
        return value;
    }

    Status string(std::string_view section, std::string_view key, std::string& out) const {
        auto value = ini_.get(section, key);
        RETURN_IF_ERROR(value);
        if (*value && !(*value)->empty())
            out = **value;
        return ok();
    }

    template <class Int>
    Status integer(std::string_view section, std::string_view key, Int& out, Int min,
                   Int max) const {
        auto value = ini_.get(section, key);
        RETURN_IF_ERROR(value);
        if (!*value || (*value)->empty())
            return ok();
        const std::string& s = **value;
        Int parsed{};
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
        if (ec == std::errc() && end == s.data() + s.size() && parsed >= min && parsed <= max) {
            out = parsed;
            return ok();
        }
        if (ec == std::errc() && end == s.data() + s.size())
            return error(section, key, fmt::format("expected {}..{}, got '{}'", min, max, s));
        return error(section, key, fmt::format("expected an integer, got '{}'", s));
    }

    Status boolean(std::string_view section, std::string_view key, bool& out) const {
        auto value = ini_.get(section, key);
        RETURN_IF_ERROR(value);
        if (!*value || (*value)->empty())
            return ok();
        const std::optional<bool> parsed = text::parse_bool(**value);
        if (!parsed)
            return error(section, key, fmt::format("expected true or false, got '{}'", **value));
        out = *parsed;
        return ok();
    }

    tl::unexpected<Error> error(std::string_view section, std::string_view key,
                                std::string_view reason) const {
        return fail(Errc::config,
                    fmt::format("{}: [{}] {}: {}", ini_.label(), section, key, reason));
    }

private:
    const Ini& ini_;
};

// Our slow-client settings: deadlines, the minimum transfer rate and the spool directory.
Status load_server_timeouts(const Reader& in, AppConfig& config) {
    const std::pair<std::string_view, std::int64_t*> seconds[] = {
        {"header_timeout", &config.header_timeout},
        {"body_timeout", &config.body_timeout},
        {"response_timeout", &config.response_timeout},
        {"min_rate_window", &config.min_rate_window},
    };
    for (const auto& [key, field] : seconds)
        if (auto s = in.integer(kServer, key, *field, std::int64_t{1}, std::int64_t{86400}); !s)
            return s;
    if (auto s = in.integer(kServer, "min_rate_bytes", config.min_rate_bytes, std::uint64_t{0},
                            UINT64_MAX);
        !s)
        return s;
    return in.string(kServer, "spool_dir", config.spool_dir);
}

Status load_server(const Reader& in, AppConfig& config) {
    if (auto s = in.string(kServer, "host", config.host); !s)
        return s;
    auto port = in.text(kServer, "port");
    RETURN_IF_ERROR(port);
    if (*port) {
        const std::string& s = **port;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), config.port);
        if (ec != std::errc() || end != s.data() + s.size() || config.port < 1 ||
            config.port > 65535)
            return in.error(kServer, "port",
                            fmt::format("expected a port number 1..65535, got '{}'", s));
    }
    // Kallithea's gearbox template says threadpool_workers, its waitress one says threads.
    for (const std::string_view key : {"threads", "threadpool_workers"})
        if (auto s = in.integer(kServer, key, config.threads, 0, kMaxThreads); !s)
            return s;
    if (config.threads < kMinThreads)
        config.threads = kSmallThreadsReplacement;
    if (auto s = in.integer(kServer, "max_request_body_size", config.max_request_body_size,
                            std::uint64_t{0}, UINT64_MAX);
        !s)
        return s;
    return load_server_timeouts(in, config);
}

Status load_paths_and_secrets(const Reader& in, AppConfig& config) {
    config.cache_dir = config.here + "/data";
    config.index_dir = config.here + "/data/index";
    const std::pair<std::string_view, std::string*> fields[] = {
        {"cache_dir", &config.cache_dir},
        {"index_dir", &config.index_dir},
        {"archive_cache_dir", &config.archive_cache_dir},
        {"app_instance_uuid", &config.app_instance_uuid},
        {"session.secret", &config.session_secret},
        {"session.key", &config.session_key},
        {"git_path", &config.git_path},
        {"git_rev_filter", &config.git_rev_filter},
        {"remote_addr_variable", &config.remote_addr_variable},
        {"url_scheme_variable", &config.url_scheme_variable},
        {"canonical_url", &config.canonical_url},
    };
    for (const auto& [key, field] : fields)
        if (auto s = in.string(kApp, key, *field); !s)
            return s;
    return ok();
}

Status load_switches_and_limits(const Reader& in, AppConfig& config) {
    const std::pair<std::string_view, bool*> switches[] = {
        {"session.secure", &config.session_secure},
        {"session.httponly", &config.session_httponly},
        {"debug", &config.debug},
        {"static_files", &config.static_files},
        {"show_revision_number", &config.show_revision_number},
        {"rss_include_diff", &config.rss_include_diff},
        {"force_https", &config.force_https},
        {"use_htsts", &config.use_htsts},
        {"ssh_enabled", &config.ssh_enabled},
    };
    for (const auto& [key, field] : switches)
        if (auto s = in.boolean(kApp, key, *field); !s)
            return s;
    const std::pair<std::string_view, std::int64_t*> limits[] = {
        {"session.timeout", &config.session_timeout},
        {"cut_off_limit", &config.cut_off_limit},
        {"rss_cut_off_limit", &config.rss_cut_off_limit},
    };
    for (const auto& [key, field] : limits)
        if (auto s = in.integer(kApp, key, *field, std::int64_t{0}, INT64_MAX); !s)
            return s;
    if (auto s = in.integer(kApp, "show_sha_length", config.show_sha_length, 4, 40); !s)
        return s;
    return in.integer(kApp, "rss_items_per_page", config.rss_items_per_page, 1, 100000);
}

Status load_database(const Reader& in, AppConfig& config) {
    auto url = in.text(kApp, "sqlalchemy.url");
    RETURN_IF_ERROR(url);
    if (!*url || (*url)->empty())
        return in.error(kApp, "sqlalchemy.url", "missing (the database to use)");
    auto db = DbUrl::parse(**url);
    if (!db)
        return fail(Errc::config,
                    fmt::format("{}: [{}] {}", config.ini.label(), kApp, db.error().message));
    config.db = std::move(*db);
    return ok();
}

// Python logging level names (fileConfig accepts the upper-case ones; we accept any case).
std::optional<std::optional<log::Level>> parse_log_level(std::string_view name) {
    const std::string word = text::ascii_lower(name);
    if (word == "notset" || word == "0")
        return std::optional<log::Level>{};  // inherit / everything
    if (word == "debug" || word == "10")
        return log::Level::debug;
    if (word == "info" || word == "20")
        return log::Level::info;
    if (word == "warn" || word == "warning" || word == "30")
        return log::Level::warn;
    if (word == "error" || word == "critical" || word == "fatal" || word == "40" || word == "50")
        return log::Level::error;
    return std::nullopt;
}

// [logger_kallithea] decides; when it is NOTSET or absent it inherits [logger_root], where
// NOTSET means everything.
Status load_log_level(const Reader& in, AppConfig& config) {
    for (std::string_view section : {"logger_kallithea", "logger_root"}) {
        if (!config.ini.has_section(section))
            continue;
        auto value = in.text(section, "level");
        RETURN_IF_ERROR(value);
        if (!*value || (*value)->empty())
            continue;
        auto level = parse_log_level(**value);
        if (!level)
            return in.error(section, "level", fmt::format("unknown log level '{}'", **value));
        if (*level) {
            config.log_level = **level;
            return ok();
        }
        if (section == "logger_root")
            config.log_level = log::Level::debug;
    }
    return ok();
}

// What PasteDeploy hands the application: [DEFAULT] values overlaid with [app:main] ones.
void collect_app_values(const Ini& ini, std::map<std::string, std::string>& app) {
    for (const auto& key : ini.keys("DEFAULT"))
        if (auto value = ini.get(kApp, key); value && *value)
            app[key] = **value;
    for (const auto& key : ini.keys(kApp)) {
        auto value = ini.get(kApp, key);
        if (!value || !*value)
            continue;
        if (key.starts_with("get ")) {
            auto global = ini.get("DEFAULT", **value);
            if (global && *global)
                app[std::string(key.substr(4))] = **global;
        } else if (key.starts_with("set ")) {
            app[std::string(key.substr(4))] = **value;
        } else {
            app[key] = **value;
        }
    }
}

}  // namespace

Result<AppConfig> AppConfig::load(const std::string& path) {
    auto ini = Ini::load(path);
    RETURN_IF_ERROR(ini);
    AppConfig config;
    config.ini = std::move(*ini);
    config.file = config.ini.file();
    config.here = config.ini.here();
    const Reader in(config.ini);
    for (auto step : {load_server, load_database, load_paths_and_secrets, load_switches_and_limits,
                      load_log_level})
        if (auto status = step(in, config); !status)
            return fail(status.error());
    collect_app_values(config.ini, config.app);
    return config;
}

}  // namespace kallithea::config
