// cmark-gfm behind web/markup/markup.hpp: the one file that includes <cmark-gfm.h>.
#include <cstdlib>
#include <memory>
#include <mutex>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "web/markup/markup.hpp"

namespace kallithea::web::markup {
namespace {

template <class T, void (*Free)(T*)>
struct CFree {
    void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)>
using CHandle = std::unique_ptr<T, CFree<T, Free>>;

void free_chars(char* p) {
    std::free(p);
}

using ParserHandle = CHandle<cmark_parser, cmark_parser_free>;
using NodeHandle = CHandle<cmark_node, cmark_node_free>;
using HtmlHandle = CHandle<char, free_chars>;

// CMARK_OPT_UNSAFE is never set: raw HTML and dangerous URLs are not passed through.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_GITHUB_PRE_LANG;

}  // namespace

std::string markdown_to_html(std::string_view text) {
    static std::once_flag registered;
    std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
    ParserHandle parser(cmark_parser_new(kOptions));
    for (const char* name : {"table", "strikethrough", "autolink"}) {
        if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
    cmark_parser_feed(parser.get(), text.data(), text.size());
    NodeHandle document(cmark_parser_finish(parser.get()));
    HtmlHandle html(cmark_render_html(document.get(), kOptions,
                                      cmark_parser_get_syntax_extensions(parser.get())));
    return html ? std::string(html.get()) : std::string();
}

}  // namespace kallithea::web::markup
