// Reading posted form values: check boxes, trimmed text, ids, and which service errors are the
// user's to correct on the form.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "web/context.hpp"

namespace kallithea::web {

// A check box or boolean field, as Kallithea's StringBoolean / str2bool reads it: "true", "t",
// "yes", "y", "on", "1" in any case (text::str2bool); anything else, and a missing field, false.
bool truthy(const std::optional<std::string>& value);
// Without leading and trailing ASCII white space (text::trim), as Kallithea's strip=True.
std::string trimmed(std::string text);
// A whole positive decimal number.
std::optional<int64_t> parse_positive_id(std::string_view text);
// A repository-group choice: "-1" and "" mean top level (an empty inner optional); nullopt when
// it is not a positive number.
std::optional<std::optional<int64_t>> parse_group_choice(std::string_view text);

// The form field `name`, truthy / trimmed (a missing field is false / "").
bool form_checked(const Ctx& ctx, std::string_view name);
std::string trimmed_form(const Ctx& ctx, std::string_view name);

// Errors a form shows to the user (invalid_argument, conflict), rather than an error page.
bool is_user_error(const Error& error);

// Shows a failed submission's error on the re-rendered form: `error.message` as "error_<field>"
// (the template puts it beside that field) when `error.field` is one of `fields`, otherwise as
// "error" above the form. Sets nothing when the message is empty (the form shown fresh).
void set_form_error(View& view, const Error& error, std::initializer_list<std::string_view> fields);

}  // namespace kallithea::web
