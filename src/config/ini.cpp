// Ini file parsing and lazy %(name)s interpolation with Python ConfigParser semantics.
#include "config/ini.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "core/text.hpp"

namespace kallithea::config {
namespace {

constexpr std::string_view kDefaultSection = "DEFAULT";
constexpr std::string_view kWhitespace = " \t\r\f\v";
constexpr size_t kMaxInterpolationDepth = 64;

void rtrim_in_place(std::string& text) {
    const size_t end = text.find_last_not_of(std::string_view(" \t\r\f\v\n"));
    text.erase(end == std::string::npos ? 0 : end + 1);
}

}  // namespace

// Line-by-line state machine of ConfigParser._read.
class IniParser {
public:
    IniParser(Ini& ini, const std::string& label) : ini_(ini), label_(label) {}

    Status feed(std::string_view line, int number) {
        const std::string_view text = text::trim(line, kWhitespace);
        const bool comment = text.starts_with('#') || text.starts_with(';');
        if (text.empty() || comment) {
            // ConfigParser keeps blank lines inside a value (trailing ones are trimmed later),
            // but comment lines vanish without ending the value.
            if (!comment && current_value_)
                current_value_->push_back('\n');
            return ok();
        }
        const size_t indent = line.find_first_not_of(kWhitespace);
        if (current_value_ && indent > option_indent_) {
            current_value_->push_back('\n');
            current_value_->append(text);
            return ok();
        }
        option_indent_ = indent;
        if (text.starts_with('['))
            if (const size_t close = text.rfind(']'); close != std::string_view::npos && close >= 2)
                return open_section(std::string(text.substr(1, close - 1)), number);
        if (!section_)
            return error(number,
                         "a key outside of any section (the file must start with a "
                         "[section] header)");
        return add_option(text, number);
    }

    // Trailing blank lines collected for continuations are not part of a value.
    void finish() {
        for (auto& [key, value] : ini_.defaults_.values)
            rtrim_in_place(value);
        for (auto& section : ini_.sections_)
            for (auto& [key, value] : section.values)
                rtrim_in_place(value);
    }

private:
    Status open_section(std::string name, int number) {
        current_value_ = nullptr;
        if (name == kDefaultSection) {
            section_ = &ini_.defaults_;
        } else {
            if (ini_.find_section(name))
                return error(number, fmt::format("section [{}] appears twice", name));
            ini_.sections_.push_back(Ini::Section{std::move(name), {}, {}});
            section_ = &ini_.sections_.back();
        }
        return ok();
    }

    Status add_option(std::string_view text, int number) {
        const size_t delimiter = text.find_first_of("=:");
        if (delimiter == std::string_view::npos)
            return error(number, fmt::format("expected 'key = value', got '{}'", text));
        const std::string key =
            text::ascii_lower(text::trim(text.substr(0, delimiter), kWhitespace));
        if (key.empty())
            return error(number, fmt::format("missing key name before '{}'", text[delimiter]));
        auto [it, inserted] = section_->values.emplace(
            key, std::string(text::trim(text.substr(delimiter + 1), kWhitespace)));
        if (!inserted)
            return error(number,
                         fmt::format("key '{}' appears twice in [{}]", key, section_->name));
        section_->order.push_back(key);
        current_value_ = &it->second;
        return ok();
    }

    tl::unexpected<Error> error(int number, std::string_view reason) const {
        return fail(Errc::config, fmt::format("{}:{}: {}", label_, number, reason));
    }

    Ini& ini_;
    const std::string& label_;
    Ini::Section* section_ = nullptr;
    std::string* current_value_ = nullptr;  // the option that continuation lines extend
    size_t option_indent_ = 0;
};

Result<Ini> Ini::load(const std::string& path) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
    if (ec)
        return fail(Errc::config,
                    fmt::format("cannot read config file {}: {}", path, ec.message()));
    if (std::filesystem::is_directory(absolute, ec))
        return fail(Errc::config, fmt::format("cannot read config file {}: is a directory", path));
    std::ifstream in(absolute, std::ios::binary);
    if (!in) {
        const std::error_code why(errno, std::generic_category());
        return fail(Errc::config,
                    fmt::format("cannot read config file {}: {}", path, why.message()));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return fail(Errc::config, fmt::format("cannot read config file {}: read error", path));
    auto ini = parse(text.str(), absolute.parent_path().string(), path);
    if (ini)
        ini->file_ = absolute.string();
    return ini;
}

Result<Ini> Ini::parse(std::string_view text, const std::string& here_dir,
                       const std::string& file_label) {
    Ini ini;
    ini.label_ = file_label;
    ini.here_ = here_dir;
    ini.file_ =
        (std::filesystem::path(here_dir) / std::filesystem::path(file_label).filename()).string();
    ini.defaults_.name = std::string(kDefaultSection);
    // Each section pointer stays valid: reserve so push_back never moves sections while parsing.
    ini.sections_.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '[')) + 1);
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    IniParser parser(ini, ini.label_);
    int number = 0;
    while (!text.empty()) {
        const size_t newline = std::min(text.find('\n'), text.size());
        const std::string_view line = text.substr(0, newline);
        text.remove_prefix(std::min(newline + 1, text.size()));
        if (auto status = parser.feed(line, ++number); !status)
            return fail(status.error());
    }
    parser.finish();
    return ini;
}

const Ini::Section* Ini::find_section(std::string_view name) const {
    if (name == kDefaultSection)
        return &defaults_;
    auto it = std::find_if(sections_.begin(), sections_.end(),
                           [name](const Section& section) { return section.name == name; });
    return it == sections_.end() ? nullptr : &*it;
}

std::optional<std::string_view> Ini::lookup(const Section* section, std::string_view key) const {
    if (section) {
        if (auto it = section->values.find(key); it != section->values.end())
            return it->second;
    }
    if (auto it = defaults_.values.find(key); it != defaults_.values.end())
        return it->second;
    return std::nullopt;
}

std::optional<std::string> Ini::raw(std::string_view section, std::string_view key) const {
    const Section* found = find_section(section);
    if (!found)
        return std::nullopt;
    auto value = lookup(found, text::ascii_lower(key));
    if (!value)
        return std::nullopt;
    return std::string(*value);
}

// Appends `value` to `out` with %(name)s and %% replaced; `stack` holds the names being expanded
// (to detect recursion). Errors carry only the reason; get() adds where it happened.
Status Ini::expand(const Section* section, std::string_view value, std::string& out,
                   std::vector<std::string>& stack) const {
    while (!value.empty()) {
        const size_t percent = value.find('%');
        out.append(value.substr(0, percent));
        if (percent == std::string_view::npos)
            return ok();
        value.remove_prefix(percent);
        if (value.starts_with("%%")) {
            out.push_back('%');
            value.remove_prefix(2);
            continue;
        }
        const size_t close = value.find(")s");
        if (!value.starts_with("%(") || close == std::string_view::npos || close == 2 ||
            value.substr(2, close - 2).find(')') != std::string_view::npos)
            return fail(Errc::config, fmt::format("'%' must be followed by '%' or '(name)s', "
                                                  "found '{}'",
                                                  value.substr(0, 20)));
        const std::string name = text::ascii_lower(value.substr(2, close - 2));
        value.remove_prefix(close + 2);
        if (std::find(stack.begin(), stack.end(), name) != stack.end() ||
            stack.size() > kMaxInterpolationDepth)
            return fail(Errc::config, fmt::format("recursive interpolation %({})s", name));
        if (auto found = lookup(section, name)) {
            stack.push_back(name);
            auto status = expand(section, *found, out, stack);
            stack.pop_back();
            if (!status)
                return status;
        } else if (name == "here") {
            out.append(here_);
        } else if (name == "__file__") {
            out.append(file_);
        } else {
            return fail(Errc::config, fmt::format("unknown interpolation %({})s", name));
        }
    }
    return ok();
}

Result<std::optional<std::string>> Ini::get(std::string_view section, std::string_view key) const {
    const Section* found = find_section(section);
    if (!found)
        return std::nullopt;
    const std::string name = text::ascii_lower(key);
    const auto value = lookup(found, name);
    if (!value)
        return std::nullopt;
    std::string out;
    std::vector<std::string> stack{name};
    if (auto status = expand(found, *value, out, stack); !status)
        return fail(Errc::config,
                    fmt::format("{}: [{}] {}: {}", label_, section, name, status.error().message));
    return out;
}

bool Ini::has_section(std::string_view section) const {
    return section != kDefaultSection && find_section(section) != nullptr;
}

std::vector<std::string> Ini::sections() const {
    std::vector<std::string> names;
    names.reserve(sections_.size());
    for (const auto& section : sections_)
        names.push_back(section.name);
    return names;
}

std::vector<std::string> Ini::keys(std::string_view section) const {
    const Section* found = find_section(section);
    return found ? found->order : std::vector<std::string>{};
}

}  // namespace kallithea::config
