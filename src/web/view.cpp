// kainjow mustache behind web/view.hpp; templates come from the binary (web_assets).
#include "web/view.hpp"
#include "web/html_escape.hpp"

#include <charconv>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <kainjow/mustache.hpp>

#include "core/random.hpp"

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

// Strings this large are not copied into the template data (and again by the renderer): a marker
// stands in for each, and the rendered text gets them spliced in, raw or escaped as the template
// used the marker ({{{ }}} or {{ }}). The marker starts with a random tag per render, so text from
// users cannot forge one.
constexpr size_t kSpliceMin = 16 * 1024;

struct Splices {
    std::string tag = "\x01" + random::hex(8);
    std::vector<const std::string*> texts;
};

std::string escape(const Splices& splices, const std::string& text) {
    const size_t kind = splices.tag.size();
    if (text.size() > kind && text[kind] == 'R' && text.starts_with(splices.tag)) {
        std::string marker = text;
        marker[kind] = 'E';
        return marker;
    }
    std::string out;
    out.reserve(text.size() + 16);
    append_html(out, text);
    return out;
}

mu::data to_data(const View& view, Splices& splices);

// kainjow's set() and push_back() deep-copy their argument, which copies every nested object and
// list once per level. Values are built in place instead: the containers are our own non-const
// objects, only reached through const accessors, so writing through them is well defined.
mu::data& slot(mu::data& object, const std::string& key) {
    object.set(key, mu::data(false));
    return const_cast<mu::data&>(*object.get(key));
}

mu::data to_data(const View::Value& value, Splices& splices) {
    if (const auto* s = std::get_if<std::string>(&value.v)) {
        if (s->size() < kSpliceMin)
            return mu::data(*s);
        splices.texts.push_back(s);
        return mu::data(splices.tag + 'R' + std::to_string(splices.texts.size() - 1) + '\x01');
    }
    if (const auto* b = std::get_if<bool>(&value.v))
        return *b ? mu::data::type::bool_true : mu::data::type::bool_false;
    if (const auto* o = std::get_if<View>(&value.v))
        return to_data(*o, splices);
    const auto& views = std::get<std::vector<View>>(value.v);
    mu::data list{mu::data::type::list};
    auto& items = const_cast<mu::basic_list<std::string>&>(list.list_value());
    items.reserve(views.size());  // basic_data's move is not noexcept: growing would copy
    for (const auto& item : views)
        items.push_back(to_data(item, splices));
    return list;
}

mu::data to_data(const View& view, Splices& splices) {
    mu::data object{mu::data::type::object};
    for (const auto& [key, value] : view.fields())
        slot(object, key) = to_data(*value, splices);
    return object;
}

// The rendered text with every marker replaced by its string. A malformed marker is a bug.
std::string splice(std::string rendered, const Splices& splices) {
    if (splices.texts.empty())
        return rendered;
    size_t total = rendered.size();
    for (const auto* text : splices.texts)
        total += text->size();
    std::string out;
    out.reserve(total + total / 8);
    size_t pos = 0;
    while (true) {
        const size_t at = rendered.find(splices.tag, pos);
        if (at == std::string::npos)
            break;
        const size_t kind = at + splices.tag.size();
        const size_t end = rendered.find('\x01', kind);
        size_t index = 0;
        if (end == std::string::npos || end < kind + 2)
            throw std::logic_error("render: malformed splice marker");
        const auto parsed =
            std::from_chars(rendered.data() + kind + 1, rendered.data() + end, index);
        if (parsed.ec != std::errc() || parsed.ptr != rendered.data() + end ||
            index >= splices.texts.size() || (rendered[kind] != 'R' && rendered[kind] != 'E'))
            throw std::logic_error("render: malformed splice marker");
        out.append(rendered, pos, at - pos);
        if (rendered[kind] == 'R')
            out += *splices.texts[index];
        else
            append_html(out, *splices.texts[index]);
        pos = end + 1;
    }
    out.append(rendered, pos, std::string::npos);
    return out;
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
    Splices splices;
    const mu::data data = to_data(view, splices);
    mu::mustache& tmpl = template_for(name);
    tmpl.set_custom_escape([&splices](const std::string& text) { return escape(splices, text); });
    // Appending to one string is cheaper than kainjow's default ostringstream and its final copy.
    std::string out;
    out.reserve(4096);
    tmpl.render(data, [&out](const std::string& part) { out += part; });
    tmpl.set_custom_escape([](const std::string& text) {  // drops the reference to splices
        std::string escaped;
        append_html(escaped, text);
        return escaped;
    });
    return splice(std::move(out), splices);
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
