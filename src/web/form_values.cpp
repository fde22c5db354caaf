// Reading posted form values.
#include "web/form_values.hpp"

#include <charconv>

#include "core/text.hpp"

namespace kallithea::web {

bool truthy(const std::optional<std::string>& value) {
    return text::str2bool(value);
}

std::string trimmed(std::string text) {
    return std::string(text::trim(text));
}

std::optional<int64_t> parse_positive_id(std::string_view text) {
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

std::optional<std::optional<int64_t>> parse_group_choice(std::string_view text) {
    if (text.empty() || text == "-1")
        return std::optional<int64_t>();
    auto id = parse_positive_id(text);
    if (!id)
        return std::nullopt;
    return std::optional<int64_t>(*id);
}

bool form_checked(const Ctx& ctx, std::string_view name) {
    return truthy(ctx.form_value(name));
}

std::string trimmed_form(const Ctx& ctx, std::string_view name) {
    return trimmed(ctx.form_value(name).value_or(""));
}

bool is_user_error(const Error& error) {
    return error.code == Errc::invalid_argument || error.code == Errc::conflict;
}

void set_form_error(View& view, const Error& error,
                    std::initializer_list<std::string_view> fields) {
    if (error.message.empty())
        return;
    bool known = false;
    for (std::string_view field : fields)
        known = known || field == error.field;
    view.set(known ? "error_" + error.field : std::string("error"), error.message);
}

}  // namespace kallithea::web
