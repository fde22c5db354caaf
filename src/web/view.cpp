// Our mustache subset behind web/view.hpp: templates from the binary (web_assets) are parsed once
// into immutable node lists shared by all threads, and rendered straight from View trees.
#include "web/view.hpp"
#include "web/html_escape.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace web_assets {
std::optional<std::string_view> find(std::string_view path);
std::vector<std::string_view> list();
}  // namespace web_assets

namespace kallithea::web {

// Growing a view's field list moves its fields; a throwing move would make vector copy them.
static_assert(std::is_nothrow_move_constructible_v<View::Field>);

View& View::put(std::string_view key, Value value) {
    for (auto& field : fields_) {
        if (field.key == key) {
            field.value = std::move(value);
            return *this;
        }
    }
    fields_.push_back(Field{std::string(key), std::move(value)});
    return *this;
}

View& View::set(std::string_view key, std::string value) {
    return put(key, Value{std::move(value)});
}
View& View::set(std::string_view key, bool value) {
    return put(key, Value{value});
}
View& View::set(std::string_view key, View value) {
    return put(key, Value{std::move(value)});
}
View& View::set(std::string_view key, std::vector<View> items) {
    return put(key, Value{std::move(items)});
}

const View::Value* View::find(std::string_view key) const {
    for (const auto& field : fields_) {
        if (field.key == key)
            return &field.value;
    }
    return nullptr;
}

namespace {

// One piece of a parsed template. Names are views into the template text, which outlives the
// nodes (embedded assets live as long as the program; test text lives for its render call).
struct Node {
    enum class Kind : uint8_t { kText, kEscaped, kRaw, kSection, kInverted };
    Kind kind = Kind::kText;
    uint32_t end = 0;       // sections: index of the first node after the section's body
    std::string_view text;  // literal text, or the name's first part
    std::string_view rest;  // dotted names: the parts after the first ("b.c" of "a.b.c")
};

struct Template {
    std::vector<Node> nodes;
    // Largest output seen so far (capped), so later renders allocate once.
    mutable std::atomic<size_t> size_hint{0};
};

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

bool valid_name(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string_view::npos)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    });
}

// Parses mustache text into nodes: variables, raw variables ({{{x}}}, {{&x}}), sections and
// inverted sections. Standalone section tags (alone on their line but for blanks) vanish with
// their line, as the spec says. Anything else (partials, comments, delimiters, {{.}}) throws.
class Parser {
public:
    Parser(std::string_view name, std::string_view text) : name_(name), text_(text) {}

    std::vector<Node> parse() {
        size_t pos = 0;
        while (true) {
            const size_t open = text_.find("{{", pos);
            if (open == std::string_view::npos)
                break;
            pos = tag(open);
        }
        add_text(text_.size());
        if (!open_.empty())
            fail("section " + std::string(open_.back().second) + " is not closed", text_.size());
        return std::move(nodes_);
    }

private:
    [[noreturn]] void fail(const std::string& what, size_t at) const {
        const auto line = 1 + std::count(text_.begin(), text_.begin() + at, '\n');
        throw std::logic_error("template " + std::string(name_) + ": " + what + " at line " +
                               std::to_string(line));
    }

    void add_text(size_t until) {
        if (until > text_start_)
            nodes_.push_back(
                Node{Node::Kind::kText, 0, text_.substr(text_start_, until - text_start_), {}});
    }

    // Handles the tag at OPEN; returns where scanning goes on.
    size_t tag(size_t open) {
        const bool triple = text_.compare(open, 3, "{{{") == 0;
        const std::string_view closer = triple ? "}}}" : "}}";
        const size_t inner = open + closer.size();
        const size_t close = text_.find(closer, inner);
        if (close == std::string_view::npos)
            fail("unclosed tag", open);
        const size_t after = close + closer.size();
        std::string_view body = text_.substr(inner, close - inner);
        char sigil = triple ? '{' : body.empty() ? '\0' : body.front();
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&')
            body.remove_prefix(1);
        else if (sigil != '{')
            sigil = '\0';
        while (!body.empty() && is_blank(body.front()))
            body.remove_prefix(1);
        while (!body.empty() && is_blank(body.back()))
            body.remove_suffix(1);
        if (!valid_name(body))
            fail("unsupported tag {{" + std::string(text_.substr(inner, close - inner)) + "}}",
                 open);

        size_t resume = after;
        if (sigil == '#' || sigil == '^' || sigil == '/')
            resume = standalone(open, after);
        else
            add_text(open);
        text_start_ = resume;
        last_tag_end_ = after;

        const size_t dot = body.find('.');
        const std::string_view first = body.substr(0, dot);
        const std::string_view rest = dot == std::string_view::npos ? "" : body.substr(dot + 1);
        switch (sigil) {
            case '#':
            case '^':
                open_.emplace_back(nodes_.size(), body);
                nodes_.push_back(Node{sigil == '#' ? Node::Kind::kSection : Node::Kind::kInverted,
                                      0, first, rest});
                break;
            case '/':
                if (open_.empty() || open_.back().second != body)
                    fail("{{/" + std::string(body) + "}} closes no open section", open);
                nodes_[open_.back().first].end = static_cast<uint32_t>(nodes_.size());
                open_.pop_back();
                break;
            case '{':
            case '&':
                nodes_.push_back(Node{Node::Kind::kRaw, 0, first, rest});
                break;
            default:
                nodes_.push_back(Node{Node::Kind::kEscaped, 0, first, rest});
        }
        return resume;
    }

    // Adds the text before the section tag [OPEN, AFTER) and returns where text goes on: past the
    // line's end when the tag stands alone on its line, dropping the blanks around it.
    size_t standalone(size_t open, size_t after) {
        const size_t line_start = open == 0 ? 0 : text_.rfind('\n', open - 1) + 1;
        bool alone = last_tag_end_ <= line_start;
        for (size_t i = line_start; alone && i < open; ++i)
            alone = is_blank(text_[i]);
        size_t end = after;
        while (end < text_.size() && is_blank(text_[end]))
            ++end;
        if (text_.compare(end, 2, "\r\n") == 0)
            end += 2;
        else if (end < text_.size() && text_[end] == '\n')
            ++end;
        else if (end != text_.size())
            alone = false;
        add_text(alone ? line_start : open);
        return alone ? end : after;
    }

    std::string_view name_;
    std::string_view text_;
    std::vector<Node> nodes_;
    std::vector<std::pair<size_t, std::string_view>> open_;  // open sections: node index, name
    size_t text_start_ = 0;                                  // start of the text not yet in a node
    size_t last_tag_end_ = 0;                                // end of the previous tag
};

// Walks the nodes with a stack of contexts, innermost last, appending to one string.
class Renderer {
public:
    Renderer(const std::vector<Node>& nodes, std::string& out) : nodes_(nodes), out_(out) {}

    void run(const View& root) {
        stack_.reserve(8);
        stack_.push_back(&root);
        run(0, nodes_.size());
    }

private:
    // A name resolves its first part through the stack, the rest inside that value's objects.
    const View::Value* lookup(const Node& node) const {
        const View::Value* value = nullptr;
        for (auto it = stack_.rbegin(); it != stack_.rend() && !value; ++it)
            value = (*it)->find(node.text);
        std::string_view rest = node.rest;
        while (value && !rest.empty()) {
            const auto* object = std::get_if<View>(&value->v);
            if (!object)
                return nullptr;
            const size_t dot = rest.find('.');
            value = object->find(rest.substr(0, dot));
            rest = dot == std::string_view::npos ? "" : rest.substr(dot + 1);
        }
        return value;
    }

    // Whether a {{#section}} renders (Mustache truthiness: any non-empty string, even "false",
    // counts; not a boolean setting, which core/text.hpp's str2bool reads).
    static bool renders_section(const View::Value* value) {
        if (!value)
            return false;
        if (const auto* s = std::get_if<std::string>(&value->v))
            return !s->empty();
        if (const auto* b = std::get_if<bool>(&value->v))
            return *b;
        if (const auto* items = std::get_if<std::vector<View>>(&value->v))
            return !items->empty();
        return true;  // an object, even an empty one
    }

    void section(const View::Value* value, size_t begin, size_t end) {
        if (!renders_section(value))
            return;
        const View* object = std::get_if<View>(&value->v);
        if (const auto* items = std::get_if<std::vector<View>>(&value->v)) {
            for (const auto& item : *items) {
                stack_.push_back(&item);
                run(begin, end);
                stack_.pop_back();
            }
        } else if (object) {
            stack_.push_back(object);
            run(begin, end);
            stack_.pop_back();
        } else {
            run(begin, end);  // true or a non-empty string: once, with nothing pushed
        }
    }

    void run(size_t begin, size_t end) {
        for (size_t i = begin; i < end;) {
            const Node& node = nodes_[i];
            switch (node.kind) {
                case Node::Kind::kText:
                    out_.append(node.text);
                    ++i;
                    break;
                case Node::Kind::kEscaped:
                case Node::Kind::kRaw:
                    // Strings print; booleans, objects and lists print nothing (as before, with
                    // kainjow).
                    if (const auto* value = lookup(node)) {
                        if (const auto* s = std::get_if<std::string>(&value->v)) {
                            if (node.kind == Node::Kind::kRaw)
                                out_.append(*s);
                            else
                                append_html(out_, *s);
                        }
                    }
                    ++i;
                    break;
                case Node::Kind::kSection:
                    section(lookup(node), i + 1, node.end);
                    i = node.end;
                    break;
                case Node::Kind::kInverted:
                    if (!renders_section(lookup(node)))
                        run(i + 1, node.end);
                    i = node.end;
                    break;
            }
        }
    }

    const std::vector<Node>& nodes_;
    std::string& out_;
    std::vector<const View*> stack_;
};

constexpr size_t kMaxSizeHint = 256 * 1024;

std::string render_nodes(const Template& tmpl, const View& view) {
    std::string out;
    out.reserve(std::max<size_t>(tmpl.size_hint.load(std::memory_order_relaxed), 4096));
    Renderer(tmpl.nodes, out).run(view);
    const size_t hint = std::min(out.size() + out.size() / 8, kMaxSizeHint);
    if (hint > tmpl.size_hint.load(std::memory_order_relaxed))
        tmpl.size_hint.store(hint, std::memory_order_relaxed);
    return out;
}

// Every embedded template, parsed on first use (thread-safe static init, read-only afterwards).
const std::unordered_map<std::string_view, Template>& templates() {
    static const auto parsed = [] {
        constexpr std::string_view kPrefix = "templates/", kSuffix = ".mustache";
        std::unordered_map<std::string_view, Template> map;
        for (const std::string_view path : web_assets::list()) {
            if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix))
                continue;
            const std::string_view name =
                path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
            map[name].nodes = Parser(name, *web_assets::find(path)).parse();
        }
        return map;
    }();
    return parsed;
}

}  // namespace

std::string render(std::string_view name, const View& view) {
    const auto& all = templates();
    const auto it = all.find(name);
    if (it == all.end())
        throw std::logic_error("no template named " + std::string(name));
    return render_nodes(it->second, view);
}

std::string render_template_text(std::string_view text, const View& view) {
    Template tmpl;
    tmpl.nodes = Parser("(inline)", text).parse();
    return render_nodes(tmpl, view);
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
