// kainjow mustache behind web/view.hpp; templates come from the binary (web_assets).
#include "web/view.hpp"

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <kainjow/mustache.hpp>

namespace web_assets {
std::optional<std::string_view> find(std::string_view path);
std::vector<std::string_view> list();
}  // namespace web_assets

namespace kallithea::web {
namespace mu = kainjow::mustache;

View& View::set(const std::string& key, std::string value) {
    fields_[key] = std::make_shared<Value>(Value{std::move(value)});
    return *this;
}
View& View::set(const std::string& key, bool value) {
    fields_[key] = std::make_shared<Value>(Value{value});
    return *this;
}
View& View::set(const std::string& key, View value) {
    fields_[key] = std::make_shared<Value>(Value{std::move(value)});
    return *this;
}
View& View::set(const std::string& key, std::vector<View> items) {
    fields_[key] = std::make_shared<Value>(Value{std::move(items)});
    return *this;
}

namespace {

mu::data to_data(const View& view);

mu::data to_data(const View::Value& value) {
    if (const auto* s = std::get_if<std::string>(&value.v))
        return mu::data(*s);
    if (const auto* b = std::get_if<bool>(&value.v))
        return *b ? mu::data::type::bool_true : mu::data::type::bool_false;
    if (const auto* o = std::get_if<View>(&value.v))
        return to_data(*o);
    mu::data list{mu::data::type::list};
    for (const auto& item : std::get<std::vector<View>>(value.v))
        list.push_back(to_data(item));
    return list;
}

mu::data to_data(const View& view) {
    mu::data object{mu::data::type::object};
    for (const auto& [key, value] : view.fields())
        object.set(key, to_data(*value));
    return object;
}

// Templates parsed once per thread: mustache::render is not thread-safe.
mu::mustache& template_for(std::string_view name) {
    thread_local std::unordered_map<std::string, std::unique_ptr<mu::mustache>> cache;
    auto it = cache.find(std::string(name));
    if (it != cache.end())
        return *it->second;
    const auto text = web_assets::find("templates/" + std::string(name) + ".mustache");
    if (!text)
        throw std::logic_error("no template named " + std::string(name));
    auto parsed = std::make_unique<mu::mustache>(std::string(*text));
    if (!parsed->is_valid())
        throw std::logic_error("template " + std::string(name) + ": " + parsed->error_message());
    return *cache.emplace(std::string(name), std::move(parsed)).first->second;
}

}  // namespace

std::string render(std::string_view name, const View& view) {
    return template_for(name).render(to_data(view));
}

const std::string* static_asset(std::string_view path) {
    static const auto assets = [] {
        std::unordered_map<std::string, std::string> map;
        for (auto entry : web_assets::list()) {
            if (!entry.starts_with("static/"))
                continue;
            map.emplace(std::string(entry.substr(7)), std::string(*web_assets::find(entry)));
        }
        return map;
    }();
    auto it = assets.find(std::string(path));
    return it == assets.end() ? nullptr : &it->second;
}

const std::string& asset_version() {
    static const std::string version = [] {
        uint64_t h = 1469598103934665603ULL;  // FNV-1a over every static file
        for (auto entry : web_assets::list()) {
            const std::string_view data = web_assets::find(entry).value_or("");
            for (unsigned char c : data)
                h = (h ^ c) * 1099511628211ULL;
        }
        static constexpr char kDigits[] = "0123456789abcdef";
        std::string out;
        for (int i = 0; i < 10; ++i, h >>= 4)
            out.push_back(kDigits[h & 15]);
        return out;
    }();
    return version;
}

}  // namespace kallithea::web
