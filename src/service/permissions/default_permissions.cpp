// Implementation of service/permissions/default_permissions.hpp.
#include "service/permissions/default_permissions.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/text.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "perm/ip_whitelist.hpp"
#include "service/transaction.hpp"
#include "store/permissions/default_permissions.hpp"
#include "store/permissions/grants.hpp"
#include "store/settings.hpp"
#include "store/users/user_extras.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

const std::map<std::string, std::vector<std::string>, std::less<>>& choices() {
    static const std::map<std::string, std::vector<std::string>, std::less<>> all = {
        {"repository",
         {"repository.none", "repository.read", "repository.write", "repository.admin"}},
        {"repo_group", {"group.none", "group.read", "group.write", "group.admin"}},
        {"user_group", {"usergroup.none", "usergroup.read", "usergroup.write", "usergroup.admin"}},
        {"registration",
         {"hg.register.none", "hg.register.manual_activate", "hg.register.auto_activate"}},
        {"extern_activate", {"hg.extern_activate.manual", "hg.extern_activate.auto"}},
        {"create_repository", {"hg.create.none", "hg.create.repository"}},
        {"create_user_group", {"hg.usergroup.create.false", "hg.usergroup.create.true"}},
        {"fork", {"hg.fork.none", "hg.fork.repository"}},
    };
    return all;
}

// The fields of DefaultPermissions that are global grants, with their field names.
std::vector<std::pair<std::string, std::string DefaultPermissions::*>> grant_fields() {
    return {{"repository", &DefaultPermissions::repository},
            {"repo_group", &DefaultPermissions::repo_group},
            {"user_group", &DefaultPermissions::user_group},
            {"registration", &DefaultPermissions::registration},
            {"extern_activate", &DefaultPermissions::extern_activate},
            {"create_repository", &DefaultPermissions::create_repository},
            {"create_user_group", &DefaultPermissions::create_user_group},
            {"fork", &DefaultPermissions::fork}};
}

Result<store::UserRow> default_row(db::Connection& conn) {
    auto row = store::Users(conn).by_username("default");
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::internal, "the database has no `default` user");
    return std::move(**row);
}

// A change of the `default` user's permissions or IP list: `work(conn, default_user_id)` in one
// transaction; the cached settings are dropped once it is committed.
template <class Work>
Status changing_defaults(App& app, Work&& work) {
    auto st = in_transaction(app, [&](db::Connection& conn) -> Status {
        auto user = default_row(conn);
        RETURN_IF_ERROR(user);
        return work(conn, user->user_id);
    });
    if (st)
        app.invalidate_caches();
    return st;
}

// The `default` user's active flag and global permission names.
struct DefaultGrants {
    bool active = false;
    std::vector<std::string> names;
};

Result<DefaultGrants> default_grants(App& app) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto user = default_row(*conn);
    RETURN_IF_ERROR(user);
    auto names = store::Grants(*conn).global(store::Grantee::user, user->user_id);
    RETURN_IF_ERROR(names);
    return DefaultGrants{user->active, std::move(*names)};
}

// Whether `client_ip` stays allowed with the `default` list `networks` plus the actor's own.
Result<bool> still_allowed(store::UserIps& ips, std::vector<std::string> networks, int64_t actor_id,
                           std::string_view client_ip) {
    auto own = ips.active_networks(actor_id);
    RETURN_IF_ERROR(own);
    networks.insert(networks.end(), own->begin(), own->end());
    return perm::ip_allowed(client_ip, networks);
}

}  // namespace

const std::vector<std::string>& default_permission_choices(std::string_view field) {
    static const std::vector<std::string> none;
    auto it = choices().find(field);
    return it == choices().end() ? none : it->second;
}

Result<DefaultPermissions> load_default_permissions(App& app) {
    auto held = default_grants(app);
    RETURN_IF_ERROR(held);
    const auto& names = held->names;
    DefaultPermissions out;
    out.anonymous_access = held->active;
    for (const auto& [field, member] : grant_fields()) {
        const auto& allowed = default_permission_choices(field);
        // The highest held value of the kind wins (a well-formed database holds one).
        for (const auto& value : allowed)
            if (std::find(names.begin(), names.end(), value) != names.end())
                out.*member = value;
    }
    return out;
}

Status save_default_permissions(App& app, const DefaultPermissions& values,
                                const ApplyToExisting& apply) {
    for (const auto& [field, member] : grant_fields()) {
        const auto& allowed = default_permission_choices(field);
        if (std::find(allowed.begin(), allowed.end(), values.*member) == allowed.end())
            return fail_field(Errc::invalid_argument, std::string(field),
                              fmt::format("'{}' is not a valid choice", values.*member));
    }
    return changing_defaults(app, [&](db::Connection& conn, int64_t default_id) -> Status {
        store::DefaultPermissionRows rows(conn);
        store::Grants grants(conn);
        if (auto st = rows.set_user_active(default_id, values.anonymous_access); !st)
            return st;
        for (const auto& [field, member] : grant_fields())
            if (auto st = grants.set_global(store::Grantee::user, default_id, values.*member); !st)
                return st;
        const std::pair<bool, std::pair<store::GrantObject, const std::string*>> overwrites[] = {
            {apply.repositories, {store::GrantObject::repository, &values.repository}},
            {apply.repo_groups, {store::GrantObject::repo_group, &values.repo_group}},
            {apply.user_groups, {store::GrantObject::user_group, &values.user_group}},
        };
        for (const auto& [wanted, what] : overwrites) {
            if (!wanted)
                continue;
            auto ids = rows.overwritable_ids(what.first);
            RETURN_IF_ERROR(ids);
            for (int64_t id : *ids)
                if (auto st =
                        grants.set(what.first, id, store::Grantee::user, default_id, *what.second);
                    !st)
                    return st;
        }
        return ok();
    });
}

Result<std::vector<std::string>> default_user_global_permissions(App& app) {
    auto held = default_grants(app);
    RETURN_IF_ERROR(held);
    std::sort(held->names.begin(), held->names.end());
    return std::move(held->names);
}

Result<std::vector<GlobalIpEntry>> global_ip_whitelist(App& app) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto user = default_row(*conn);
    RETURN_IF_ERROR(user);
    auto list = store::UserIps(*conn).list(user->user_id);
    RETURN_IF_ERROR(list);
    std::vector<GlobalIpEntry> out;
    for (const auto& row : *list)
        out.push_back({row.ip_id, row.ip_addr, row.active});
    return out;
}

Status add_global_ip(App& app, std::string_view network, int64_t actor_id,
                     std::string_view client_ip) {
    if (!perm::valid_network(network))
        return fail(
            Errc::invalid_argument,
            fmt::format("'{}' is not a valid IP address or network (e.g. 10.0.0.0/8)", network));
    return changing_defaults(app, [&](db::Connection& conn, int64_t default_id) -> Status {
        store::UserIps ips(conn);
        auto networks = ips.active_networks(default_id);
        RETURN_IF_ERROR(networks);
        networks->push_back(std::string(network));
        auto allowed = still_allowed(ips, *networks, actor_id, client_ip);
        RETURN_IF_ERROR(allowed);
        if (!*allowed)
            return fail(Errc::forbidden,
                        fmt::format("Adding {} would lock you out: your address {} is not in the "
                                    "whitelist. Add a network containing it first.",
                                    network, client_ip));
        auto id = ips.add(default_id, network);
        if (!id && id.error().code == Errc::conflict)  // the global list's own wording
            return fail(Errc::conflict, fmt::format("{} is already in the list", network));
        RETURN_IF_ERROR(id);
        return ok();
    });
}

Status delete_global_ip(App& app, int64_t ip_id, int64_t actor_id, std::string_view client_ip) {
    return changing_defaults(app, [&](db::Connection& conn, int64_t default_id) -> Status {
        store::UserIps ips(conn);
        auto list = ips.list(default_id);
        RETURN_IF_ERROR(list);
        std::vector<std::string> remaining;
        bool found = false;
        for (const auto& row : *list) {
            if (row.ip_id == ip_id)
                found = true;
            else if (row.active)
                remaining.push_back(row.ip_addr);
        }
        if (!found)
            return fail(Errc::not_found, fmt::format("no IP entry with id {}", ip_id));
        auto allowed = still_allowed(ips, remaining, actor_id, client_ip);
        RETURN_IF_ERROR(allowed);
        if (!*allowed)
            return fail(Errc::forbidden,
                        fmt::format("Removing this entry would lock you out: your address {} would "
                                    "no longer be in the whitelist.",
                                    client_ip));
        return ips.remove(default_id, ip_id);
    });
}

Result<RepoDefaultSettings> load_repo_default_settings(App& app) {
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto all = store::Settings(*conn).all();
    RETURN_IF_ERROR(all);
    auto value = [&](const char* key) {
        auto it = all->find(key);
        return it == all->end() ? std::string() : it->second.value;
    };
    RepoDefaultSettings out;
    out.type = value("default_repo_type") == "hg" ? "hg" : "git";
    out.is_private = text::str2bool(value("default_repo_private"));
    out.enable_downloads = text::str2bool(value("default_repo_enable_downloads"));
    out.enable_statistics = text::str2bool(value("default_repo_enable_statistics"));
    return out;
}

Status save_repo_default_settings(App& app, const RepoDefaultSettings& defaults) {
    if (defaults.type != "git" && defaults.type != "hg")
        return fail(Errc::invalid_argument,
                    fmt::format("'{}' is not a repository type (git or hg)", defaults.type));
    auto flag = [](bool b) { return b ? "True" : "False"; };
    auto st = in_transaction(app, [&](db::Connection& conn) -> Status {
        store::Settings settings(conn);
        if (auto st = settings.set("default_repo_type", defaults.type, "unicode"); !st)
            return st;
        if (auto st = settings.set("default_repo_private", flag(defaults.is_private), "bool"); !st)
            return st;
        if (auto st = settings.set("default_repo_enable_downloads", flag(defaults.enable_downloads),
                                   "bool");
            !st)
            return st;
        return settings.set("default_repo_enable_statistics", flag(defaults.enable_statistics),
                            "bool");
    });
    if (st)
        app.invalidate_caches();
    return st;
}

}  // namespace kallithea::service
