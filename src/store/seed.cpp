// Implementation of store/seed.hpp: the rows of Kallithea 0.7's db-create, in its order.
#include "store/seed.hpp"

#include <filesystem>
#include <string_view>

#include "db/transaction.hpp"
#include "store/permissions/permissions.hpp"
#include "store/settings.hpp"
#include "store/ui.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

struct SettingSeed {
    std::string_view name, value, type;
};

constexpr SettingSeed kSettings[] = {
    {"realm", "Kallithea", "unicode"},
    {"title", "", "unicode"},
    {"ga_code", "", "unicode"},
    {"show_public_icon", "True", "bool"},
    {"show_private_icon", "True", "bool"},
    {"stylify_metalabels", "False", "bool"},
    {"dashboard_items", "100", "int"},
    {"admin_grid_items", "25", "int"},
    {"show_version", "True", "bool"},
    {"use_gravatar", "True", "bool"},
    {"gravatar_url", "https://secure.gravatar.com/avatar/{md5email}?d=identicon&s={size}",
     "unicode"},
    {"clone_uri_tmpl", "{scheme}://{user}@{netloc}/{repo}", "unicode"},
    {"clone_ssh_tmpl", "ssh://{system_user}@{hostname}/{repo}", "unicode"},
    {"auth_plugins", "kallithea.lib.auth_modules.auth_internal", "list"},
    {"auth_internal_enabled", "True", "bool"},
    {"default_repo_enable_downloads", "False", "bool"},
    {"default_repo_enable_statistics", "False", "bool"},
    {"default_repo_private", "False", "bool"},
    {"default_repo_type", "hg", "unicode"},
};

// True when the table already has a row.
Result<bool> has_rows(db::Connection& conn, std::string_view select_one) {
    auto row = conn.query_one(select_one);
    RETURN_IF_ERROR(row);
    return row->has_value();
}

Status require_empty(db::Connection& conn) {
    constexpr std::string_view kProbes[] = {
        "SELECT 1 FROM users LIMIT 1",
        "SELECT 1 FROM permissions LIMIT 1",
        "SELECT 1 FROM settings LIMIT 1",
        "SELECT 1 FROM ui LIMIT 1",
    };
    for (std::string_view probe : kProbes) {
        auto found = has_rows(conn, probe);
        RETURN_IF_ERROR(found);
        if (*found)
            return fail(Errc::conflict,
                        "the database already holds Kallithea data; db-create needs an empty one");
    }
    return ok();
}

Status seed_ui(db::Connection& conn, const std::string& root) {
    const std::string usercache = (std::filesystem::path(root) / ".cache" / "largefiles").string();
    struct UiSeed {
        std::string_view section, key;
        std::string value;
        bool active;
    };
    const UiSeed rows[] = {
        {"paths", "/", root, true},
        {"hooks", "changegroup.kallithea_update", "python:", false},
        {"hooks", "changegroup.kallithea_repo_size", "python:", true},
        {"extensions", "largefiles", "", true},
        {"largefiles", "usercache", usercache, true},
        {"extensions", "hggit", "", false},
    };
    for (const UiSeed& r : rows) {
        auto st = conn.exec(
            "INSERT INTO ui (ui_section, ui_key, ui_value, ui_active) VALUES (?, ?, ?, ?)",
            r.section, r.key, r.value, r.active);
        if (!st)
            return st;
    }
    return ok();
}

Status seed_settings(db::Connection& conn) {
    for (const SettingSeed& s : kSettings) {
        auto st = conn.exec(
            "INSERT INTO settings (app_settings_name, app_settings_value, app_settings_type) "
            "VALUES (?, ?, ?)",
            s.name, s.value, s.type);
        if (!st)
            return st;
    }
    return ok();
}

Status seed_users(db::Connection& conn, const SeedOptions& options) {
    Users users(conn);
    NewUser anonymous;
    anonymous.username = "default";
    anonymous.password_hash = options.default_password_hash;
    anonymous.email = "anonymous@kallithea-scm.org";
    anonymous.firstname = "Anonymous";
    anonymous.lastname = "User";
    anonymous.active = options.public_access;
    anonymous.extern_type.reset();
    RETURN_IF_ERROR(users.create(anonymous));
    NewUser admin;
    admin.username = options.admin_username;
    admin.password_hash = options.admin_password_hash;
    admin.email = options.admin_email;
    admin.firstname = "Kallithea";
    admin.lastname = "Admin";
    admin.active = true;
    admin.admin = true;
    RETURN_IF_ERROR(users.create(admin));
    return ok();
}

Status seed_permissions(db::Connection& conn) {
    int64_t id = 0;
    for (std::string_view name : kPermissionNames) {
        auto st = conn.exec(
            "INSERT INTO permissions (permission_id, permission_name) VALUES (?, ?)", ++id, name);
        if (!st)
            return st;
    }
    if (conn.dialect() == db::Dialect::postgresql) {
        // Explicit ids do not advance a SERIAL's sequence; later inserts must not collide.
        auto st = conn.exec(
            "SELECT setval(pg_get_serial_sequence('permissions', 'permission_id'), "
            "(SELECT MAX(permission_id) FROM permissions))");
        if (!st)
            return st;
    }
    return ok();
}

Status seed_default_permissions(db::Connection& conn) {
    auto user = Users(conn).by_username("default");
    RETURN_IF_ERROR(user);
    if (!*user)
        return fail(Errc::internal, "the default user vanished while seeding");
    Permissions permissions(conn);
    for (std::string_view name : kDefaultUserPermissions) {
        if (auto st = permissions.grant_global((*user)->user_id, name); !st)
            return st;
    }
    return ok();
}

}  // namespace

Status seed_new_database(db::Connection& conn, const SeedOptions& options) {
    auto tx = db::Transaction::begin(conn);
    RETURN_IF_ERROR(tx);
    if (auto st = require_empty(conn); !st)
        return st;
    if (auto st = seed_ui(conn, options.repos_root); !st)
        return st;
    if (auto st = seed_settings(conn); !st)
        return st;
    if (auto st = seed_users(conn, options); !st)
        return st;
    if (auto st = seed_permissions(conn); !st)
        return st;
    if (auto st = seed_default_permissions(conn); !st)
        return st;
    return tx->commit();
}

}  // namespace kallithea::store
