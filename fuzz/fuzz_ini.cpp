// Fuzz target: the ini parser (config::Ini, ConfigParser rules and %(name)s interpolation),
// the line editor config-create uses (config::set_ini_values) and sqlalchemy.url parsing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/db_url.hpp"
#include "config/ini.hpp"
#include "config/ini_text_edit.hpp"
#include "fuzz_check.hpp"

using namespace kallithea;

namespace {

// Reads every value of the file, interpolated and raw.
void read_everything(const config::Ini& ini) {
    std::vector<std::string> sections = ini.sections();
    for (const auto& section : sections)
        FUZZ_CHECK(ini.has_section(section));
    FUZZ_CHECK(!ini.has_section("DEFAULT"));
    sections.push_back("DEFAULT");
    for (const auto& section : sections) {
        for (const auto& key : ini.keys(section)) {
            const auto raw = ini.raw(section, key);
            FUZZ_CHECK(raw.has_value());
            // Keys are stored in lower case, and a value never ends in white space.
            for (char c : key)
                FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
            FUZZ_CHECK(raw->empty() || (raw->back() != ' ' && raw->back() != '\n'));
            const auto value = ini.get(section, key);
            if (value)
                FUZZ_CHECK(value->has_value());
            else
                FUZZ_CHECK(!value.error().message.empty());
        }
    }
    if (const auto url = ini.get("app:main", "sqlalchemy.url"); url && *url)
        if (auto parsed = config::DbUrl::parse(**url))
            (void)parsed->redacted();
}

// Characters config-create may write into keys and values: no line breaks, no leading or
// trailing blanks, keys without the delimiters.
std::string sane(std::string_view text, bool key) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u == 0x7F ||
            (key &&
             (c == '=' || c == ':' || c == '[' || c == '#' || c == ';' || (c >= 'A' && c <= 'Z'))))
            continue;
        out.push_back(c);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    // The last line of the input (after the final NUL), when there is one, names an edit:
    // "section\x01key\x01value".
    std::string_view edit;
    if (const size_t nul = input.rfind('\0'); nul != std::string_view::npos) {
        edit = input.substr(nul + 1);
        input = input.substr(0, nul);
    }
    if (auto url = config::DbUrl::parse(input))
        (void)url->redacted();
    const auto ini = config::Ini::parse(input, "/srv/kallithea", "fuzz.ini");
    if (!ini) {
        FUZZ_CHECK(ini.error().message.starts_with("fuzz.ini:"));
        return 0;
    }
    read_everything(*ini);

    // Setting a key with the line editor leaves a file that still parses and has that value.
    const size_t first = edit.find('\x01');
    const size_t second = first == std::string_view::npos ? first : edit.find('\x01', first + 1);
    if (second == std::string_view::npos)
        return 0;
    const std::string section = sane(edit.substr(0, first), true);
    const std::string key = sane(edit.substr(first + 1, second - first - 1), true);
    const std::string value = sane(edit.substr(second + 1), false);
    if (section.empty() || key.empty() || section == "DEFAULT" ||
        section.find(']') != std::string::npos)
        return 0;
    const std::string edited = config::set_ini_values(input, section, {{key, value}});
    const auto reread = config::Ini::parse(edited, "/srv/kallithea", "fuzz.ini");
    FUZZ_CHECK(reread);
    FUZZ_CHECK(reread->raw(section, key) == value);
    return 0;
}
