// What a file name says about its content: highlight.js language and safe content types.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "core/text.hpp"
#include "service/files/files.hpp"

namespace kallithea::service {
namespace {

struct Mapping {
    std::string_view key;
    std::string_view value;
};

// Whole file names (compared case-sensitively, as tools treat them).
constexpr std::array kLanguageByName = {
    Mapping{"Makefile", "makefile"},    Mapping{"GNUmakefile", "makefile"},
    Mapping{"makefile", "makefile"},    Mapping{"Dockerfile", "dockerfile"},
    Mapping{"CMakeLists.txt", "cmake"}, Mapping{"Gemfile", "ruby"},
    Mapping{"Rakefile", "ruby"},        Mapping{"Vagrantfile", "ruby"},
    Mapping{"nginx.conf", "nginx"},     Mapping{".bashrc", "bash"},
    Mapping{".bash_profile", "bash"},   Mapping{".profile", "bash"},
    Mapping{".zshrc", "bash"},          Mapping{".gitconfig", "ini"},
    Mapping{".gitmodules", "ini"},      Mapping{".editorconfig", "ini"},
    Mapping{"SConstruct", "python"},    Mapping{"SConscript", "python"},
    Mapping{"BUILD", "python"},         Mapping{"WORKSPACE", "python"},
};

// Extensions, lower case, without the dot. Values are highlight.js 9.18 language names.
constexpr std::array kLanguageByExtension = {
    Mapping{"c", "cpp"},
    Mapping{"h", "cpp"},
    Mapping{"cc", "cpp"},
    Mapping{"cpp", "cpp"},
    Mapping{"cxx", "cpp"},
    Mapping{"c++", "cpp"},
    Mapping{"hh", "cpp"},
    Mapping{"hpp", "cpp"},
    Mapping{"hxx", "cpp"},
    Mapping{"h++", "cpp"},
    Mapping{"inl", "cpp"},
    Mapping{"ipp", "cpp"},
    Mapping{"cu", "cpp"},
    Mapping{"ino", "arduino"},
    Mapping{"py", "python"},
    Mapping{"pyw", "python"},
    Mapping{"pyi", "python"},
    Mapping{"rb", "ruby"},
    Mapping{"gemspec", "ruby"},
    Mapping{"js", "javascript"},
    Mapping{"mjs", "javascript"},
    Mapping{"cjs", "javascript"},
    Mapping{"jsx", "javascript"},
    Mapping{"ts", "typescript"},
    Mapping{"tsx", "typescript"},
    Mapping{"json", "json"},
    Mapping{"java", "java"},
    Mapping{"kt", "kotlin"},
    Mapping{"kts", "kotlin"},
    Mapping{"go", "go"},
    Mapping{"rs", "rust"},
    Mapping{"php", "php"},
    Mapping{"pl", "perl"},
    Mapping{"pm", "perl"},
    Mapping{"t", "perl"},
    Mapping{"sh", "bash"},
    Mapping{"bash", "bash"},
    Mapping{"zsh", "bash"},
    Mapping{"ksh", "bash"},
    Mapping{"ps1", "powershell"},
    Mapping{"psm1", "powershell"},
    Mapping{"bat", "dos"},
    Mapping{"cmd", "dos"},
    Mapping{"cs", "cs"},
    Mapping{"fs", "fsharp"},
    Mapping{"fsx", "fsharp"},
    Mapping{"swift", "swift"},
    Mapping{"m", "objectivec"},
    Mapping{"mm", "objectivec"},
    Mapping{"scala", "scala"},
    Mapping{"sc", "scala"},
    Mapping{"clj", "clojure"},
    Mapping{"cljs", "clojure"},
    Mapping{"cljc", "clojure"},
    Mapping{"hs", "haskell"},
    Mapping{"lhs", "haskell"},
    Mapping{"erl", "erlang"},
    Mapping{"hrl", "erlang"},
    Mapping{"ex", "elixir"},
    Mapping{"exs", "elixir"},
    Mapping{"lua", "lua"},
    Mapping{"r", "r"},
    Mapping{"sql", "sql"},
    Mapping{"html", "xml"},
    Mapping{"htm", "xml"},
    Mapping{"xhtml", "xml"},
    Mapping{"xml", "xml"},
    Mapping{"svg", "xml"},
    Mapping{"xsl", "xml"},
    Mapping{"xslt", "xml"},
    Mapping{"xsd", "xml"},
    Mapping{"plist", "xml"},
    Mapping{"rss", "xml"},
    Mapping{"atom", "xml"},
    Mapping{"vue", "xml"},
    Mapping{"mako", "xml"},
    Mapping{"css", "css"},
    Mapping{"scss", "scss"},
    Mapping{"less", "less"},
    Mapping{"styl", "stylus"},
    Mapping{"md", "markdown"},
    Mapping{"markdown", "markdown"},
    Mapping{"mkd", "markdown"},
    Mapping{"yaml", "yaml"},
    Mapping{"yml", "yaml"},
    Mapping{"toml", "ini"},
    Mapping{"ini", "ini"},
    Mapping{"cfg", "ini"},
    Mapping{"conf", "ini"},
    Mapping{"properties", "properties"},
    Mapping{"diff", "diff"},
    Mapping{"patch", "diff"},
    Mapping{"tex", "tex"},
    Mapping{"sty", "tex"},
    Mapping{"vim", "vim"},
    Mapping{"dart", "dart"},
    Mapping{"elm", "elm"},
    Mapping{"ml", "ocaml"},
    Mapping{"mli", "ocaml"},
    Mapping{"groovy", "groovy"},
    Mapping{"gradle", "gradle"},
    Mapping{"cmake", "cmake"},
    Mapping{"proto", "protobuf"},
    Mapping{"nix", "nix"},
    Mapping{"hx", "haxe"},
    Mapping{"jl", "julia"},
    Mapping{"f", "fortran"},
    Mapping{"f90", "fortran"},
    Mapping{"f95", "fortran"},
    Mapping{"for", "fortran"},
    Mapping{"vhd", "vhdl"},
    Mapping{"vhdl", "vhdl"},
    Mapping{"v", "verilog"},
    Mapping{"sv", "verilog"},
    Mapping{"svh", "verilog"},
    Mapping{"asm", "x86asm"},
    Mapping{"s", "armasm"},
    Mapping{"lisp", "lisp"},
    Mapping{"el", "lisp"},
    Mapping{"scm", "scheme"},
    Mapping{"ss", "scheme"},
    Mapping{"rkt", "scheme"},
    Mapping{"tcl", "tcl"},
    Mapping{"d", "d"},
    Mapping{"pas", "delphi"},
    Mapping{"dpr", "delphi"},
    Mapping{"vb", "vbnet"},
    Mapping{"vbs", "vbscript"},
    Mapping{"coffee", "coffeescript"},
    Mapping{"awk", "awk"},
    Mapping{"mk", "makefile"},
    Mapping{"mak", "makefile"},
    Mapping{"hbs", "handlebars"},
    Mapping{"handlebars", "handlebars"},
    Mapping{"twig", "twig"},
    Mapping{"erb", "erb"},
    Mapping{"haml", "haml"},
    Mapping{"pp", "puppet"},
    Mapping{"glsl", "glsl"},
    Mapping{"vert", "glsl"},
    Mapping{"frag", "glsl"},
    Mapping{"adoc", "asciidoc"},
    Mapping{"asciidoc", "asciidoc"},
    Mapping{"ada", "ada"},
    Mapping{"adb", "ada"},
    Mapping{"ads", "ada"},
    Mapping{"nim", "nimrod"},
    Mapping{"cr", "crystal"},
    Mapping{"sml", "sml"},
    Mapping{"st", "smalltalk"},
    Mapping{"vala", "vala"},
    Mapping{"pro", "prolog"},
    Mapping{"thrift", "thrift"},
    Mapping{"dts", "dts"},
    Mapping{"dtsi", "dts"},
    Mapping{"ll", "llvm"},
    Mapping{"qml", "qml"},
    Mapping{"mat", "matlab"},
    Mapping{"mel", "mel"},
    Mapping{"nsi", "nsis"},
    Mapping{"nsh", "nsis"},
    Mapping{"feature", "gherkin"},
    Mapping{"http", "http"},
    Mapping{"graphql", "plaintext"},
    Mapping{"txt", "plaintext"},
};

// Image types a browser shows inline (never SVG: it can carry scripts).
constexpr std::array kInlineImages = {
    Mapping{"png", "image/png"}, Mapping{"jpg", "image/jpeg"},   Mapping{"jpeg", "image/jpeg"},
    Mapping{"gif", "image/gif"}, Mapping{"ico", "image/x-icon"}, Mapping{"webp", "image/webp"},
    Mapping{"bmp", "image/bmp"},
};

// Content types for downloads (attachments: the browser saves them, whatever the type).
constexpr std::array kDownloadTypes = {
    Mapping{"svg", "image/svg+xml"},
    Mapping{"pdf", "application/pdf"},
    Mapping{"zip", "application/zip"},
    Mapping{"gz", "application/gzip"},
    Mapping{"tgz", "application/gzip"},
    Mapping{"bz2", "application/x-bzip2"},
    Mapping{"xz", "application/x-xz"},
    Mapping{"tar", "application/x-tar"},
    Mapping{"json", "application/json"},
    Mapping{"xml", "application/xml"},
    Mapping{"html", "text/html; charset=utf-8"},
    Mapping{"htm", "text/html; charset=utf-8"},
    Mapping{"css", "text/css; charset=utf-8"},
    Mapping{"js", "text/javascript; charset=utf-8"},
    Mapping{"py", "text/x-python; charset=utf-8"},
    Mapping{"c", "text/x-c; charset=utf-8"},
    Mapping{"h", "text/x-c; charset=utf-8"},
    Mapping{"md", "text/markdown; charset=utf-8"},
    Mapping{"mp3", "audio/mpeg"},
    Mapping{"mp4", "video/mp4"},
    Mapping{"woff2", "font/woff2"},
    Mapping{"wasm", "application/wasm"},
};

std::string_view lookup(const auto& table, std::string_view key) {
    for (const auto& entry : table)
        if (entry.key == key)
            return entry.value;
    return {};
}

// Lower-case extension without the dot ("" when none; a leading dot alone is not one).
std::string extension_of(std::string_view name) {
    const auto slash = name.rfind('/');
    if (slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return {};
    return text::ascii_lower(name.substr(dot + 1));
}

std::string_view base_name(std::string_view name) {
    const auto slash = name.rfind('/');
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

}  // namespace

std::string highlight_language(std::string_view name) {
    if (auto by_name = lookup(kLanguageByName, base_name(name)); !by_name.empty())
        return std::string(by_name);
    return std::string(lookup(kLanguageByExtension, extension_of(name)));
}

bool raw_inline_image(std::string_view name) {
    return !lookup(kInlineImages, extension_of(name)).empty();
}

std::string raw_inline_content_type(std::string_view name, bool binary) {
    if (auto image = lookup(kInlineImages, extension_of(name)); !image.empty())
        return std::string(image);
    return binary ? "application/octet-stream" : "text/plain; charset=utf-8";
}

std::string download_content_type(std::string_view name, bool binary) {
    const std::string ext = extension_of(name);
    if (auto image = lookup(kInlineImages, ext); !image.empty())
        return std::string(image);
    if (auto type = lookup(kDownloadTypes, ext); !type.empty())
        return std::string(type);
    return binary ? "application/octet-stream" : "text/plain; charset=utf-8";
}

}  // namespace kallithea::service
