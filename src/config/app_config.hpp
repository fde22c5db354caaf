// The typed settings the server reads from its ini file ([server:main], [app:main], logging).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "config/db_url.hpp"
#include "config/ini.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace kallithea::config {

// Defaults are Kallithea 0.7's. Paths are kept as written after interpolation: a relative path
// is relative to the working directory, as in Kallithea.
struct AppConfig {
    std::string file;  // absolute path of the ini file
    std::string here;  // its directory

    // [server:main]
    std::string host = "127.0.0.1";
    int port = 5000;
    int threads = 8;  // request workers; see load() for how small values are treated
    std::uint64_t max_request_body_size = 107374182400;  // bytes (100 GB, Kallithea's value)
    // Our additions (slow clients, see docs/admin.md): seconds and bytes.
    std::int64_t header_timeout = 30;      // the request head must arrive within this
    std::int64_t body_timeout = 60;        // a small (in-memory) request body within this
    std::int64_t response_timeout = 120;   // a non-streamed response must be written within this
    std::uint64_t min_rate_bytes = 16384;  // a transfer moving fewer bytes per window is cut off
    std::int64_t min_rate_window = 30;     // seconds
    std::string spool_dir;                 // large bodies and responses; empty: $TMPDIR or /tmp

    // [app:main]
    DbUrl db;                                // sqlalchemy.url (required)
    std::string cache_dir;                   // default %(here)s/data
    std::string index_dir;                   // default %(here)s/data/index
    std::string archive_cache_dir;           // empty: archives are not cached
    std::string app_instance_uuid;           // secret for password-reset tokens; empty when not set
    std::string session_secret;              // session.secret; empty when not set
    std::string session_key = "kallithea";   // session.key: the cookie name
    std::int64_t session_timeout = 2592000;  // session.timeout, seconds (30 days)
    bool session_secure = false;             // session.secure: cookie only over HTTPS
    bool session_httponly = true;            // session.httponly
    std::int64_t cut_off_limit = 256000;     // diffs larger than this many bytes are cut
    bool debug = false;
    bool static_files = true;
    std::string git_path = "git";
    std::string git_rev_filter = "--all";
    int show_sha_length = 12;
    bool show_revision_number = false;
    std::int64_t rss_cut_off_limit = 256000;
    int rss_items_per_page = 10;
    bool rss_include_diff = false;
    std::string remote_addr_variable = "REMOTE_ADDR";
    std::string url_scheme_variable;  // empty: the scheme of the connection itself
    bool force_https = false;
    bool use_htsts = false;  // (sic) Kallithea's spelling of the HSTS switch
    bool ssh_enabled = false;
    std::string canonical_url;  // empty: derived from each request

    // [logger_kallithea] level, else [logger_root] level, else info.
    log::Level log_level = log::Level::info;

    // Every [app:main] value (with [DEFAULT] values underneath) after interpolation, keyed by
    // lower-case name; values whose interpolation fails are left out. PasteDeploy's
    // `get NAME = DEFAULT_KEY` lines appear as NAME with the [DEFAULT] value, `set NAME = V` as
    // NAME.
    std::map<std::string, std::string> app;

    Ini ini;  // the whole file, for sections this struct does not cover

    // Reads `path` and checks every value used above. Errc::config when the file cannot be read
    // or parsed, sqlalchemy.url is missing or invalid, or a value has the wrong type:
    // "PATH: [app:main] cut_off_limit: expected an integer, got 'abc'".
    static Result<AppConfig> load(const std::string& path);
};

}  // namespace kallithea::config
