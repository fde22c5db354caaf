// Parsing of SQLAlchemy database URLs (`sqlalchemy.url`) into what our SQLite/PostgreSQL code
// needs.
#include "config/db_url.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace kallithea::config {
namespace {

// The parts of `scheme://user:password@host:port/database?query`, split the way SQLAlchemy's
// URL regex splits them.
struct UrlParts {
    std::string scheme;
    std::optional<std::string> user;
    std::optional<std::string> password;
    std::string host;
    std::string port;
    std::string database;
    std::vector<std::pair<std::string, std::string>> query;
};

// Where the password sits in `url` (begin, end), following SQLAlchemy's rules: the user name runs
// up to the first ':' or '/', the password from that ':' up to the next '@'.
std::optional<std::pair<size_t, size_t>> password_span(std::string_view url) {
    const size_t sep = url.find("://");
    const size_t start = sep == std::string_view::npos ? 0 : sep + 3;
    const size_t colon = url.find_first_of(":/", start);
    if (colon == std::string_view::npos || url[colon] != ':')
        return std::nullopt;
    const size_t at = url.find('@', colon + 1);
    if (at == std::string_view::npos)
        return std::nullopt;
    return std::pair{colon + 1, at};
}

// Hides the userinfo password and any `password=` query value.
std::string redact_text(std::string_view url) {
    std::string out(url);
    if (auto span = password_span(url))
        out.replace(span->first, span->second - span->first, "***");
    const size_t q = out.find('?');
    if (q == std::string::npos)
        return out;
    size_t pos = q + 1;
    while (pos < out.size()) {
        size_t end = out.find('&', pos);
        if (end == std::string::npos)
            end = out.size();
        const std::string_view item = std::string_view(out).substr(pos, end - pos);
        if (item.starts_with("password=")) {
            const size_t value_at = pos + 9;
            out.replace(value_at, end - value_at, "***");
            end = value_at + 3;
        }
        pos = end + 1;
    }
    return out;
}

tl::unexpected<Error> url_error(std::string_view url, std::string_view reason) {
    return fail(Errc::config, fmt::format("sqlalchemy.url: {} in '{}'", reason, redact_text(url)));
}

bool valid_scheme(std::string_view scheme) {
    return !scheme.empty() && std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+';
    });
}

// Splits host, port, database and query out of `rest` (what follows the userinfo).
Status split_location(std::string_view url, std::string_view rest, UrlParts& parts) {
    size_t pos = 0;
    if (rest.starts_with('[')) {
        const size_t close = rest.find(']');
        if (close == std::string_view::npos || close == 1)
            return url_error(url, "malformed IPv6 host");
        parts.host = std::string(rest.substr(1, close - 1));
        pos = close + 1;
    } else {
        pos = std::min(rest.find_first_of("/:?"), rest.size());
        parts.host = std::string(rest.substr(0, pos));
    }
    if (pos < rest.size() && rest[pos] == ':') {
        const size_t end = std::min(rest.find_first_of("/?", pos + 1), rest.size());
        parts.port = std::string(rest.substr(pos + 1, end - pos - 1));
        pos = end;
    }
    if (pos < rest.size() && rest[pos] == '/') {
        const size_t end = std::min(rest.find('?', pos + 1), rest.size());
        parts.database = std::string(rest.substr(pos + 1, end - pos - 1));
        pos = end;
    }
    if (pos < rest.size() && rest[pos] != '?')
        return url_error(url, "unexpected text after the host");
    if (pos >= rest.size())
        return ok();
    std::string_view query = rest.substr(pos + 1);
    while (!query.empty()) {
        const size_t amp = std::min(query.find('&'), query.size());
        const std::string_view item = query.substr(0, amp);
        query.remove_prefix(std::min(amp + 1, query.size()));
        const size_t eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0)
            continue;  // as Python's parse_qsl: blank and nameless items are dropped
        parts.query.emplace_back(text::percent_decode_lenient(item.substr(0, eq), true),
                                 text::percent_decode_lenient(item.substr(eq + 1), true));
    }
    return ok();
}

Result<UrlParts> split_url(std::string_view url) {
    UrlParts parts;
    const size_t sep = url.find("://");
    if (sep == std::string_view::npos || !valid_scheme(url.substr(0, sep)))
        return url_error(url, "not a database URL (expected sqlite:// or postgresql://)");
    parts.scheme = text::ascii_lower(url.substr(0, sep));
    std::string_view rest = url.substr(sep + 3);
    const size_t stop = std::min(rest.find_first_of(":/"), rest.size());
    if (auto span = password_span(url)) {
        parts.user = text::percent_decode_lenient(rest.substr(0, stop), false);
        parts.password = text::percent_decode_lenient(
            url.substr(span->first, span->second - span->first), false);
        rest = url.substr(span->second + 1);
    } else if (const size_t at = rest.substr(0, stop).rfind('@'); at != std::string_view::npos) {
        parts.user = text::percent_decode_lenient(rest.substr(0, at), false);
        rest.remove_prefix(at + 1);
    }
    if (auto status = split_location(url, rest, parts); !status)
        return fail(status.error());
    return parts;
}

Status parse_sqlite(std::string_view url, const UrlParts& parts, DbUrl& out) {
    if (parts.user || !parts.host.empty() || !parts.port.empty())
        return url_error(url,
                         "SQLite URLs take no user or host (use sqlite:///relative/path.db "
                         "or sqlite:////absolute/path.db)");
    out.engine = DbUrl::Engine::sqlite;
    out.sqlite_path = parts.database.empty() ? ":memory:" : parts.database;
    for (const auto& [key, value] : parts.query) {
        if (key == "timeout") {
            double seconds = -1;
            const auto [end, ec] =
                std::from_chars(value.data(), value.data() + value.size(), seconds);
            if (ec != std::errc() || end != value.data() + value.size() || !(seconds >= 0) ||
                seconds > 86400)
                return url_error(
                    url, fmt::format("timeout must be a number of seconds, got '{}'", value));
            out.sqlite_timeout_s = static_cast<int>(std::ceil(seconds));
        } else if (key != "check_same_thread" && key != "isolation_level" &&
                   key != "detect_types" && key != "cached_statements") {
            return url_error(url, fmt::format("unknown SQLite option '{}'", key));
        }
    }
    return ok();
}

bool valid_conninfo_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || c == '_';
    });
}

// A libpq conninfo value: bare when safe, else single-quoted with \ and ' escaped.
std::string conninfo_value(std::string_view value) {
    const bool plain = !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '\\';
    });
    if (plain)
        return std::string(value);
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

Status parse_postgresql(std::string_view url, const UrlParts& parts, DbUrl& out) {
    std::vector<std::pair<std::string, std::string>> fields;
    auto set = [&fields](const std::string& key, const std::string& value) {
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&key](const auto& field) { return field.first == key; });
        if (it != fields.end())
            it->second = value;
        else
            fields.emplace_back(key, value);
    };
    if (!parts.host.empty())
        set("host", parts.host);
    if (!parts.port.empty()) {
        int port = 0;
        const char* end = parts.port.data() + parts.port.size();
        const auto [ptr, ec] = std::from_chars(parts.port.data(), end, port);
        if (ec != std::errc() || ptr != end || port < 1 || port > 65535)
            return url_error(url, fmt::format("port must be 1..65535, got '{}'", parts.port));
        set("port", parts.port);
    }
    if (!parts.database.empty())
        set("dbname", parts.database);
    if (parts.user && !parts.user->empty())
        set("user", *parts.user);
    if (parts.password)
        set("password", *parts.password);
    for (const auto& [key, value] : parts.query) {
        if (!valid_conninfo_key(key))
            return url_error(url, fmt::format("invalid connection option '{}'", key));
        set(key, value);
    }
    out.engine = DbUrl::Engine::postgresql;
    for (const auto& [key, value] : fields) {
        if (!out.pg_conninfo.empty())
            out.pg_conninfo += ' ';
        out.pg_conninfo += key + '=' + conninfo_value(value);
    }
    return ok();
}

}  // namespace

std::string DbUrl::redacted() const {
    return redact_text(original);
}

Result<DbUrl> DbUrl::parse(std::string_view url) {
    if (url.empty())
        return fail(Errc::config, "sqlalchemy.url is empty");
    if (url.find_first_of("\r\n") != std::string_view::npos)
        return url_error(url, "line break");
    auto parts = split_url(url);
    RETURN_IF_ERROR(parts);
    DbUrl out;
    out.original = std::string(url);
    const std::string& scheme = parts->scheme;
    Status status;
    if (scheme == "sqlite" || scheme == "sqlite+pysqlite") {
        status = parse_sqlite(url, *parts, out);
    } else if (scheme == "postgresql" || scheme == "postgres" ||
               scheme.starts_with("postgresql+")) {
        status = parse_postgresql(url, *parts, out);
    } else {
        return url_error(url, fmt::format("unsupported database '{}' (use sqlite or postgresql)",
                                          scheme.substr(0, scheme.find('+'))));
    }
    RETURN_IF_ERROR(status);
    return out;
}

}  // namespace kallithea::config
