// Parsing and naming of permission levels.
#include "perm/levels.hpp"

namespace kallithea::perm {
namespace {

std::string_view prefix(Kind kind) {
    switch (kind) {
        case Kind::repository:
            return "repository.";
        case Kind::group:
            return "group.";
        case Kind::usergroup:
            return "usergroup.";
    }
    return "";
}

}  // namespace

std::optional<Level> parse_level(Kind kind, std::string_view name) {
    const std::string_view p = prefix(kind);
    if (!name.starts_with(p))
        return std::nullopt;
    name.remove_prefix(p.size());
    if (name == "none")
        return Level::none;
    if (name == "read")
        return Level::read;
    if (name == "write")
        return Level::write;
    if (name == "admin")
        return Level::admin;
    return std::nullopt;
}

std::string level_name(Kind kind, Level level) {
    std::string out(prefix(kind));
    switch (level) {
        case Level::none:
            return out + "none";
        case Level::read:
            return out + "read";
        case Level::write:
            return out + "write";
        case Level::admin:
            return out + "admin";
    }
    return out + "none";
}

}  // namespace kallithea::perm
