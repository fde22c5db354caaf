// Kallithea's `settings` table: name -> value with a type tag (str, int, unicode, bool, list).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct SettingValue {
    std::string value;
    std::string type;  // str | int | unicode | bool | list ("unicode" when the column is NULL)
};

// Errc::database on SQL errors.
class Settings {
public:
    explicit Settings(db::Connection& conn) : conn_(conn) {}

    Result<std::map<std::string, SettingValue>> all();
    Result<std::optional<SettingValue>> get(std::string_view name);
    // Inserts or updates. Errc::invalid_argument for a type Kallithea does not know.
    Status set(std::string_view name, std::string_view value, std::string_view type = "unicode");

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
