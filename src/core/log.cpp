// spdlog-backed implementation of core/log.hpp.
#include "core/log.hpp"

#include <memory>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace kallithea::log {
namespace {

spdlog::level::level_enum to_spd(Level level) {
    switch (level) {
        case Level::debug:
            return spdlog::level::debug;
        case Level::info:
            return spdlog::level::info;
        case Level::warn:
            return spdlog::level::warn;
        case Level::error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

std::shared_ptr<spdlog::logger>& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto l = std::make_shared<spdlog::logger>(
            "kallithea", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        l->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l [kallithea] %v");
        l->set_level(spdlog::level::info);
        l->flush_on(spdlog::level::info);
        return l;
    }();
    return instance;
}

}  // namespace

void init(Level level, const std::string& path) {
    std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_sink_mt>()};
    if (!path.empty())
        sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(path));
    auto l = std::make_shared<spdlog::logger>("kallithea", sinks.begin(), sinks.end());
    l->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l [kallithea] %v");
    l->set_level(to_spd(level));
    l->flush_on(spdlog::level::debug);
    std::atomic_store(&logger(), l);
}

void set_level(Level level) {
    logger()->set_level(to_spd(level));
}

Level parse_level(std::string_view name, Level fallback) {
    if (name == "DEBUG" || name == "debug" || name == "NOTSET")
        return Level::debug;
    if (name == "INFO" || name == "info")
        return Level::info;
    if (name == "WARN" || name == "WARNING" || name == "warn")
        return Level::warn;
    if (name == "ERROR" || name == "CRITICAL" || name == "error")
        return Level::error;
    return fallback;
}

void write(Level level, std::string_view message) {
    std::atomic_load(&logger())->log(to_spd(level), "{}", message);
}

}  // namespace kallithea::log
