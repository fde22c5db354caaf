// Process-wide logging (spdlog behind a small interface so no layer includes spdlog directly).
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace kallithea::log {

enum class Level { debug, info, warn, error };

// Sets the minimum level and the destination (stderr; `path` non-empty: append to that file too).
void init(Level level, const std::string& path = {});
void set_level(Level level);
Level parse_level(std::string_view name, Level fallback);

void write(Level level, std::string_view message);

template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
    write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace kallithea::log
