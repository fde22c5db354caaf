// Rendering of embedded mustache templates: parsed once, escaped by default, one copy per thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace kallithea::web {

// A template's input: strings (escaped on output unless used with {{{ }}}), booleans, lists and
// nested objects. Handlers build it from typed view structs; templates never see DB rows.
class View {
public:
    View& set(const std::string& key, std::string value);
    View& set(const std::string& key, const char* value) { return set(key, std::string(value)); }
    View& set(const std::string& key, bool value);
    View& set(const std::string& key, View value);
    View& set(const std::string& key, std::vector<View> items);

    struct Value;
    const std::map<std::string, std::shared_ptr<Value>>& fields() const { return fields_; }

private:
    std::map<std::string, std::shared_ptr<Value>> fields_;
};

struct View::Value {
    std::variant<std::string, bool, View, std::vector<View>> v;
};

// Renders templates/NAME.mustache. A missing or invalid template is a bug: throws.
std::string render(std::string_view name, const View& view);

// Embedded static file (path below static/), or nullptr.
const std::string* static_asset(std::string_view path);
// Short hash of all static assets, for cache-busting URLs.
const std::string& asset_version();

}  // namespace kallithea::web
