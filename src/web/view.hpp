// Rendering of embedded mustache templates: parsed once into shared node lists, escaped by default.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace kallithea::web {

// A template's input: strings (escaped on output unless used with {{{ }}}), booleans, lists and
// nested objects. Handlers build it from typed view structs; templates never see DB rows.
// Fields are a small flat list searched linearly: views hold tens of fields, not thousands.
class View {
public:
    struct Value;
    struct Field;

    // Sets KEY, replacing an earlier value of the same key.
    View& set(std::string_view key, std::string value);
    View& set(std::string_view key, const char* value) { return set(key, std::string(value)); }
    View& set(std::string_view key, bool value);
    View& set(std::string_view key, View value);
    View& set(std::string_view key, std::vector<View> items);

    // The value of KEY in this object only (no enclosing contexts), or nullptr.
    const Value* find(std::string_view key) const;
    const std::vector<Field>& fields() const { return fields_; }

private:
    View& put(std::string_view key, Value value);

    std::vector<Field> fields_;
};

struct View::Value {
    std::variant<std::string, bool, View, std::vector<View>> v;
};

struct View::Field {
    std::string key;
    Value value;
};

// Renders templates/NAME.mustache. A missing or invalid template is a bug: throws logic_error.
std::string render(std::string_view name, const View& view);

// Renders template TEXT (parsed for this call only; for tests). Invalid text throws logic_error.
std::string render_template_text(std::string_view text, const View& view);

// Embedded static file (path below static/), or nullptr.
const std::string* static_asset(std::string_view path);
// Short hash of all static assets, for cache-busting URLs.
const std::string& asset_version();

}  // namespace kallithea::web
