// Implementation of store/ui.hpp.
#include "store/ui.hpp"

namespace kallithea::store {
namespace {

UiRow to_ui(const db::Row& r) {
    return UiRow{r.i64(0), r.text(1), r.text(2), r.opt_text(3), r.boolean(4)};
}

constexpr std::string_view kUiSelect =
    "SELECT ui_id, ui_section, ui_key, ui_value, ui_active FROM ui ";

}  // namespace

Result<std::string> Ui::repo_root() {
    auto row = get("paths", "/");
    RETURN_IF_ERROR(row);
    if (!*row || !(*row)->value || (*row)->value->empty())
        return fail(Errc::config,
                    "the repository root (ui paths '/') is not set in the database; "
                    "run db-create first");
    return *(*row)->value;
}

Result<std::vector<UiRow>> Ui::all() {
    auto rows = conn_.query(std::string(kUiSelect) + "ORDER BY ui_section, ui_key");
    RETURN_IF_ERROR(rows);
    std::vector<UiRow> out;
    for (const db::Row& r : *rows)
        out.push_back(to_ui(r));
    return out;
}

Result<std::optional<UiRow>> Ui::get(std::string_view section, std::string_view key) {
    auto row = conn_.query_one(std::string(kUiSelect) + "WHERE ui_section = ? AND ui_key = ?",
                               section, key);
    RETURN_IF_ERROR(row);
    if (!*row)
        return std::optional<UiRow>();
    return std::optional<UiRow>(to_ui(**row));
}

Status Ui::set(std::string_view section, std::string_view key, std::optional<std::string> value,
               bool active) {
    return conn_.exec(
        "INSERT INTO ui (ui_section, ui_key, ui_value, ui_active) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (ui_section, ui_key) DO UPDATE SET ui_value = excluded.ui_value, "
        "ui_active = excluded.ui_active",
        section, key, value, active);
}

}  // namespace kallithea::store
