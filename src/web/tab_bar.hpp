// Tab bars (the vertical tabs of the edit pages, the sub-tabs of repository settings): one
// link per tab, the active one highlighted.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "web/context.hpp"
#include "web/view.hpp"

namespace kallithea::web {

struct TabLink {
    std::string_view id, label;
    std::string_view suffix;  // appended to the bar's base path
};

// One View a tab: id, label, url (ctx.url(base + suffix)) and active (id == active).
std::vector<View> tab_bar(const Ctx& ctx, std::string_view base, std::span<const TabLink> tabs,
                          std::string_view active);

// The tabs of a user group's edit pages; base "/_admin/user_groups/<id>/edit".
inline constexpr TabLink kUserGroupTabs[] = {
    {"settings", "Settings", ""},       {"advanced", "Advanced", "/advanced"},
    {"members", "Members", "/members"}, {"default_perms", "Default permissions", "/default_perms"},
    {"perms", "Permissions", "/perms"},
};

}  // namespace kallithea::web
