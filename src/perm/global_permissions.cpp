// Kallithea's global-permission evaluation (AuthUser.global_permissions).
#include "perm/global_permissions.hpp"

#include <map>
#include <string_view>

namespace kallithea::perm {
namespace {

struct Weighted {
    std::string_view name;
    int weight;
};

constexpr Weighted kWeights[] = {
    {"repository.none", 0},
    {"repository.read", 1},
    {"repository.write", 3},
    {"repository.admin", 4},
    {"group.none", 0},
    {"group.read", 1},
    {"group.write", 3},
    {"group.admin", 4},
    {"usergroup.none", 0},
    {"usergroup.read", 1},
    {"usergroup.write", 3},
    {"usergroup.admin", 4},
    {"hg.usergroup.create.false", 0},
    {"hg.usergroup.create.true", 1},
    {"hg.create.none", 0},
    {"hg.create.repository", 1},
    {"hg.fork.none", 0},
    {"hg.fork.repository", 1},
    {"hg.register.none", 0},
    {"hg.register.manual_activate", 1},
    {"hg.register.auto_activate", 2},
    {"hg.extern_activate.manual", 0},
    {"hg.extern_activate.auto", 1},
};

std::string kind_of(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
}

}  // namespace

int global_weight(const std::string& name) {
    for (const auto& w : kWeights)
        if (w.name == name)
            return w.weight;
    return -1;
}

std::set<std::string> effective_global_permissions(const GlobalFacts& facts) {
    if (facts.user_is_admin)
        return {"hg.admin"};
    std::map<std::string, std::string> best;  // kind -> name
    auto consider = [&best](const std::string& name) {
        if (name == "hg.admin")
            return;  // only the users.admin flag makes an admin
        const std::string kind = kind_of(name);
        auto it = best.find(kind);
        if (it == best.end() || global_weight(name) > global_weight(it->second))
            best[kind] = name;
    };
    for (const auto& n : facts.default_grants)
        consider(n);
    for (const auto& n : facts.group_grants)
        consider(n);
    for (const auto& n : facts.user_grants)
        consider(n);
    std::set<std::string> out;
    for (const auto& [kind, name] : best)
        out.insert(name);
    return out;
}

}  // namespace kallithea::perm
