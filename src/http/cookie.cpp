// Implementation of the Cookie header lookup.
#include "http/cookie.hpp"

#include "core/text.hpp"

namespace kallithea::http {

std::string cookie_value(const Request& request, std::string_view name) {
    for (const auto& [header, value] : request.headers.items()) {
        if (!text::ascii_iequals(header, "cookie"))
            continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            const auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name)
                return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

}  // namespace kallithea::http
