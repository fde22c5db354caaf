// Kallithea's `ui` table: Mercurial-style (section, key) rows, among them the repository root.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct UiRow {
    int64_t ui_id = 0;
    std::string section, key;
    std::optional<std::string> value;
    bool active = true;
};

// Errc::database on SQL errors.
class Ui {
public:
    explicit Ui(db::Connection& conn) : conn_(conn) {}

    // ui_section 'paths', ui_key '/'. Errc::config when the row is missing (no db-create yet).
    Result<std::string> repo_root();
    // Every row, by section then key.
    Result<std::vector<UiRow>> all();
    Result<std::optional<UiRow>> get(std::string_view section, std::string_view key);
    // Inserts or updates the (section, key) row.
    Status set(std::string_view section, std::string_view key, std::optional<std::string> value,
               bool active);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
