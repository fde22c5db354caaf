// Tab bars built from a list of tabs.
#include "web/tab_bar.hpp"

#include <string>

namespace kallithea::web {

std::vector<View> tab_bar(const Ctx& ctx, std::string_view base, std::span<const TabLink> tabs,
                          std::string_view active) {
    std::vector<View> out;
    out.reserve(tabs.size());
    for (const TabLink& tab : tabs) {
        View v;
        v.set("id", std::string(tab.id))
            .set("label", std::string(tab.label))
            .set("url", ctx.url(std::string(base) + std::string(tab.suffix)))
            .set("active", tab.id == active);
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace kallithea::web
