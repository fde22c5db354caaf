// Implementation of store/settings.hpp.
#include "store/settings.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace kallithea::store {
namespace {

constexpr std::array<std::string_view, 5> kSettingTypes = {"str", "int", "unicode", "bool", "list"};

SettingValue to_setting(const db::Row& r, size_t first) {
    return SettingValue{r.text(first), r.opt_text(first + 1).value_or("unicode")};
}

}  // namespace

Result<std::map<std::string, SettingValue>> Settings::all() {
    auto rows = conn_.query(
        "SELECT app_settings_name, app_settings_value, app_settings_type FROM settings");
    RETURN_IF_ERROR(rows);
    std::map<std::string, SettingValue> out;
    for (const db::Row& r : *rows)
        out.emplace(r.text(0), to_setting(r, 1));
    return out;
}

Result<std::optional<SettingValue>> Settings::get(std::string_view name) {
    auto row = conn_.query_one(
        "SELECT app_settings_value, app_settings_type FROM settings WHERE app_settings_name = ?",
        name);
    RETURN_IF_ERROR(row);
    if (!*row)
        return std::optional<SettingValue>();
    return std::optional<SettingValue>(to_setting(**row, 0));
}

Status Settings::set(std::string_view name, std::string_view value, std::string_view type) {
    if (std::find(kSettingTypes.begin(), kSettingTypes.end(), type) == kSettingTypes.end())
        return fail(Errc::invalid_argument, fmt::format("unknown setting type '{}'", type));
    return conn_.exec(
        "INSERT INTO settings (app_settings_name, app_settings_value, app_settings_type) "
        "VALUES (?, ?, ?) ON CONFLICT (app_settings_name) DO UPDATE SET "
        "app_settings_value = excluded.app_settings_value, "
        "app_settings_type = excluded.app_settings_type",
        name, value, type);
}

}  // namespace kallithea::store
