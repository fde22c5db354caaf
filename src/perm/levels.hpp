// Permission levels and names of Kallithea's model (repository.*, group.*, usergroup.*).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kallithea::perm {

// Weights as in Kallithea: none 0, read 1, write 3, admin 4.
enum class Level { none = 0, read = 1, write = 3, admin = 4 };

enum class Kind { repository, group, usergroup };

// "repository.read" -> read (the prefix must match kind); nullopt for any other name.
std::optional<Level> parse_level(Kind kind, std::string_view permission_name);
// read -> "repository.read".
std::string level_name(Kind kind, Level level);
inline bool at_least(Level have, Level need) {
    return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace kallithea::perm
