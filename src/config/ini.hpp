// Ini files read the way Kallithea's Python stack reads them (ConfigParser as used by PasteDeploy).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kallithea::config {

// A parsed ini file. Rules, as Python's ConfigParser (strict mode, BasicInterpolation):
// - `[name]` opens a section (names are case-sensitive); `key = value` or `key: value` inside it;
//   the key runs up to the first '=' or ':' and may contain spaces and dots.
// - Key names are case-insensitive: they are stored and listed in lower case.
// - Lines whose first non-blank character is '#' or ';' are comments; '#' later in a line is text.
// - A line indented deeper than its option line continues that option's value (joined with '\n');
//   blank lines inside such a value are kept, trailing ones dropped.
// - Values in [DEFAULT] are visible in every section unless the section sets the key itself.
// - Values may use %(name)s (looked up in the section asked for, then [DEFAULT], then the
//   built-ins `here` = absolute directory of the file and `__file__` = its absolute path; the
//   built-ins are inserted literally) and %% for a literal '%'. Interpolation happens when a
//   value is read, so a value meant for another program (logging's %(asctime)s) only fails
//   when somebody reads it through get().
// - A section or a key in the same section given twice is an error.
class Ini {
public:
    Ini() = default;  // no sections, no file

    // Reads and parses `path`; `here` is the absolute directory of the file. Errc::config
    // "cannot read config file PATH: reason" when the file cannot be read, "PATH:LINE: reason"
    // on a syntax error.
    static Result<Ini> load(const std::string& path);

    // Parses `text` as if it were the file `file_label` in directory `here_dir` (used for
    // %(here)s and %(__file__)s). Syntax errors: Errc::config "FILE_LABEL:LINE: reason".
    static Result<Ini> parse(std::string_view text, const std::string& here_dir,
                             const std::string& file_label);

    // The interpolated value of `key` in `section` (or in [DEFAULT]); nullopt when neither has
    // it. Errc::config "LABEL: [section] key: reason" when interpolation fails (unknown name,
    // recursion, a '%' not followed by '%' or '(name)s').
    Result<std::optional<std::string>> get(std::string_view section, std::string_view key) const;

    // The value as written (continuations joined, no interpolation), with [DEFAULT] fallback.
    std::optional<std::string> raw(std::string_view section, std::string_view key) const;

    // True when the file has the section; [DEFAULT] is not a section here, as in ConfigParser.
    bool has_section(std::string_view section) const;
    // Section names in file order, without DEFAULT.
    std::vector<std::string> sections() const;
    // The keys written in `section` itself (lower case, file order); [DEFAULT] keys are not
    // repeated. keys("DEFAULT") lists the defaults.
    std::vector<std::string> keys(std::string_view section) const;

    // How errors name the file (the path as given to load()).
    const std::string& label() const { return label_; }
    // Absolute directory of the file (%(here)s) and absolute path (%(__file__)s).
    const std::string& here() const { return here_; }
    const std::string& file() const { return file_; }

private:
    friend class IniParser;

    struct Section {
        std::string name;
        std::map<std::string, std::string, std::less<>> values;  // lower-case key -> raw value
        std::vector<std::string> order;                          // keys in file order
    };

    const Section* find_section(std::string_view name) const;
    std::optional<std::string_view> lookup(const Section* section, std::string_view key) const;
    Status expand(const Section* section, std::string_view value, std::string& out,
                  std::vector<std::string>& stack) const;

    std::vector<Section> sections_;  // file order
    Section defaults_;
    std::string label_;
    std::string here_;
    std::string file_;
};

}  // namespace kallithea::config
