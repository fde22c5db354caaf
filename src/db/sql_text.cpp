// Implementation of db/sql_text.hpp: a small scanner aware of quotes and comments.
#include "db/sql_text.hpp"

#include <cctype>

#include <fmt/format.h>

namespace kallithea::db {
namespace {

// Length of the literal, quoted identifier or comment starting at `pos`, or 0 when none does.
size_t skip_length(std::string_view sql, size_t pos) {
    const char c = sql[pos];
    if (c == '\'' || c == '"') {
        size_t i = pos + 1;
        while (i < sql.size()) {
            if (sql[i] == c) {
                if (i + 1 < sql.size() && sql[i + 1] == c) {
                    i += 2;  // doubled quote inside the literal
                    continue;
                }
                return i + 1 - pos;
            }
            ++i;
        }
        return sql.size() - pos;
    }
    if (c == '-' && pos + 1 < sql.size() && sql[pos + 1] == '-') {
        const size_t end = sql.find('\n', pos);
        return (end == std::string_view::npos ? sql.size() : end + 1) - pos;
    }
    if (c == '/' && pos + 1 < sql.size() && sql[pos + 1] == '*') {
        const size_t end = sql.find("*/", pos + 2);
        return (end == std::string_view::npos ? sql.size() : end + 2) - pos;
    }
    return 0;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Replaces whole-word, case-sensitive occurrences of `from` (outside quotes) with `to`.
std::string replace_word(std::string_view text, std::string_view from, std::string_view to) {
    std::string out;
    out.reserve(text.size() + 16);
    size_t i = 0;
    while (i < text.size()) {
        if (const size_t skip = skip_length(text, i)) {
            out.append(text.substr(i, skip));
            i += skip;
            continue;
        }
        const bool boundary_before = i == 0 || !is_word_char(text[i - 1]);
        const size_t end = i + from.size();
        if (boundary_before && text.substr(i, from.size()) == from &&
            (end >= text.size() || !is_word_char(text[end]))) {
            out.append(to);
            i = end;
            continue;
        }
        out.push_back(text[i++]);
    }
    return out;
}

}  // namespace

Result<RewrittenSql> rewrite_placeholders(std::string_view sql, PlaceholderStyle style) {
    RewrittenSql out;
    out.text.reserve(sql.size() + 16);
    size_t i = 0;
    while (i < sql.size()) {
        if (const size_t skip = skip_length(sql, i)) {
            out.text.append(sql.substr(i, skip));
            i += skip;
            continue;
        }
        const char c = sql[i];
        if (c == '?') {
            ++out.placeholders;
            out.text += style == PlaceholderStyle::soci ? fmt::format(":p{}", out.placeholders)
                                                        : fmt::format("${}", out.placeholders);
        } else if (c == ':') {
            return fail(Errc::internal, "database error",
                        fmt::format("':' outside quotes in SQL: {}", one_line(sql)));
        } else {
            out.text.push_back(c);
        }
        ++i;
    }
    return out;
}

std::vector<std::string> split_sql_script(std::string_view script) {
    std::vector<std::string> statements;
    std::string current;
    bool has_code = false;
    size_t i = 0;
    auto flush = [&] {
        if (has_code) {
            const size_t first = current.find_first_not_of(" \t\r\n");
            const size_t last = current.find_last_not_of(" \t\r\n");
            statements.push_back(current.substr(first, last - first + 1));
        }
        current.clear();
        has_code = false;
    };
    while (i < script.size()) {
        if (const size_t skip = skip_length(script, i)) {
            const char c = script[i];
            if (c == '\'' || c == '"') {
                current.append(script.substr(i, skip));
                has_code = true;
            } else {
                current.push_back(' ');  // comments are dropped
            }
            i += skip;
            continue;
        }
        const char c = script[i++];
        if (c == ';') {
            flush();
            continue;
        }
        if (!std::isspace(static_cast<unsigned char>(c)))
            has_code = true;
        current.push_back(c);
    }
    flush();
    return statements;
}

std::string sqlite_ddl_to_postgresql(std::string_view ddl) {
    std::string out = replace_word(ddl, "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
                                   "SERIAL NOT NULL PRIMARY KEY");
    out = replace_word(out, "DATETIME", "TIMESTAMP WITHOUT TIME ZONE");
    out = replace_word(out, "BLOB", "BYTEA");
    out = replace_word(out, "FLOAT", "DOUBLE PRECISION");
    return out;
}

std::string ddl_for(Dialect dialect, std::string_view sqlite_ddl) {
    return dialect == Dialect::sqlite ? std::string(sqlite_ddl)
                                      : sqlite_ddl_to_postgresql(sqlite_ddl);
}

std::string one_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space)
            out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

}  // namespace kallithea::db
