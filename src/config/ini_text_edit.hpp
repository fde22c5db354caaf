// Setting keys in ini text while keeping its comments and layout (used by config-create).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kallithea::config {

using IniPairs = std::vector<std::pair<std::string, std::string>>;

// Returns `text` with every key of `pairs` set to its value in `section`: a line already setting
// the key (compared case-insensitively) is replaced; else the line goes right after a commented
// example `#key = ...`; else after the section's last key. A missing section is appended at the
// end. Values are written verbatim; callers make sure keys and values hold no line breaks.
std::string set_ini_values(std::string_view text, std::string_view section, const IniPairs& pairs);

}  // namespace kallithea::config
