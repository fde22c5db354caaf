// Implementation of store/permissions/grants.hpp.
#include "store/permissions/grants.hpp"

#include <fmt/format.h>

#include "store/permissions/permissions.hpp"

namespace kallithea::store {
namespace {

// Table and column names of one (object, grantee) pair.
struct GrantTable {
    std::string_view table, object_column, grantee_column;
};

GrantTable table_for(GrantObject object, Grantee grantee) {
    const bool user = grantee == Grantee::user;
    switch (object) {
        case GrantObject::repository:
            return user ? GrantTable{"repo_to_perm", "repository_id", "user_id"}
                        : GrantTable{"users_group_repo_to_perm", "repository_id", "users_group_id"};
        case GrantObject::repo_group:
            return user
                       ? GrantTable{"user_repo_group_to_perm", "group_id", "user_id"}
                       : GrantTable{"users_group_repo_group_to_perm", "group_id", "users_group_id"};
        case GrantObject::user_group:
            return user ? GrantTable{"user_user_group_to_perm", "user_group_id", "user_id"}
                        : GrantTable{"user_group_user_group_to_perm", "target_user_group_id",
                                     "user_group_id"};
    }
    return {};
}

GrantTable global_table(Grantee grantee) {
    return grantee == Grantee::user ? GrantTable{"user_to_perm", "", "user_id"}
                                    : GrantTable{"users_group_to_perm", "", "users_group_id"};
}

std::string_view kind_of(std::string_view name) {
    const auto dot = name.rfind('.');
    return dot == std::string_view::npos ? name : name.substr(0, dot);
}

}  // namespace

std::string_view permission_prefix(GrantObject object) {
    switch (object) {
        case GrantObject::repository:
            return "repository";
        case GrantObject::repo_group:
            return "group";
        case GrantObject::user_group:
            return "usergroup";
    }
    return {};
}

Result<std::vector<GrantRow>> Grants::on(GrantObject object, int64_t object_id) {
    std::vector<GrantRow> out;
    for (Grantee grantee : {Grantee::user, Grantee::user_group}) {
        const GrantTable t = table_for(object, grantee);
        const bool user = grantee == Grantee::user;
        const std::string sql = fmt::format(
            "SELECT g.{gc}, {name}, {active}, p.permission_name FROM {table} g "
            "JOIN permissions p ON p.permission_id = g.permission_id "
            "JOIN {who} w ON w.{wid} = g.{gc} WHERE g.{oc} = ? ORDER BY lower({name}), g.{gc}",
            fmt::arg("gc", t.grantee_column), fmt::arg("table", t.table),
            fmt::arg("oc", t.object_column),
            fmt::arg("name", user ? "w.username" : "w.users_group_name"),
            fmt::arg("active", user ? "w.active" : "w.users_group_active"),
            fmt::arg("who", user ? "users" : "users_groups"),
            fmt::arg("wid", user ? "user_id" : "users_group_id"));
        auto rows = conn_.query(sql, object_id);
        RETURN_IF_ERROR(rows);
        for (const db::Row& r : *rows)
            out.push_back(GrantRow{grantee, r.i64(0), r.text(1), r.boolean(2), r.text(3)});
    }
    return out;
}

Result<std::optional<std::string>> Grants::held(GrantObject object, int64_t object_id,
                                                Grantee grantee, int64_t grantee_id) {
    const GrantTable t = table_for(object, grantee);
    return conn_.scalar<std::string>(
        fmt::format("SELECT p.permission_name FROM {} g JOIN permissions p ON p.permission_id = "
                    "g.permission_id WHERE g.{} = ? AND g.{} = ? ORDER BY p.permission_id DESC "
                    "LIMIT 1",
                    t.table, t.object_column, t.grantee_column),
        object_id, grantee_id);
}

Status Grants::set(GrantObject object, int64_t object_id, Grantee grantee, int64_t grantee_id,
                   std::string_view permission) {
    if (kind_of(permission) != permission_prefix(object))
        return fail(Errc::invalid_argument, fmt::format("Permission {} does not apply to a {}",
                                                        permission, permission_prefix(object)));
    auto id = Permissions(conn_).by_name(permission);
    RETURN_IF_ERROR(id);
    if (auto st = revoke(object, object_id, grantee, grantee_id); !st)
        return st;
    const GrantTable t = table_for(object, grantee);
    return conn_.exec(fmt::format("INSERT INTO {} ({}, {}, permission_id) VALUES (?, ?, ?)",
                                  t.table, t.object_column, t.grantee_column),
                      object_id, grantee_id, *id);
}

Status Grants::revoke(GrantObject object, int64_t object_id, Grantee grantee, int64_t grantee_id) {
    const GrantTable t = table_for(object, grantee);
    return conn_.exec(fmt::format("DELETE FROM {} WHERE {} = ? AND {} = ?", t.table,
                                  t.object_column, t.grantee_column),
                      object_id, grantee_id);
}

Result<std::vector<std::string>> Grants::via_active_groups(GrantObject object, int64_t object_id,
                                                           int64_t user_id) {
    const GrantTable t = table_for(object, Grantee::user_group);
    auto rows = conn_.query(
        fmt::format("SELECT p.permission_name FROM {} g "
                    "JOIN permissions p ON p.permission_id = g.permission_id "
                    "JOIN users_groups ug ON ug.users_group_id = g.{} "
                    "JOIN users_groups_members m ON m.users_group_id = ug.users_group_id "
                    "WHERE g.{} = ? AND m.user_id = ? AND ug.users_group_active = ?",
                    t.table, t.grantee_column, t.object_column),
        object_id, user_id, true);
    RETURN_IF_ERROR(rows);
    std::vector<std::string> out;
    for (const db::Row& r : *rows)
        out.push_back(r.text(0));
    return out;
}

Result<std::vector<std::string>> Grants::global(Grantee grantee, int64_t grantee_id) {
    const GrantTable t = global_table(grantee);
    auto rows = conn_.query(
        fmt::format("SELECT p.permission_name FROM {} g JOIN permissions p ON p.permission_id = "
                    "g.permission_id WHERE g.{} = ? ORDER BY p.permission_id",
                    t.table, t.grantee_column),
        grantee_id);
    RETURN_IF_ERROR(rows);
    std::vector<std::string> out;
    for (const db::Row& r : *rows)
        out.push_back(r.text(0));
    return out;
}

Result<std::vector<std::string>> Grants::global_via_active_groups(int64_t user_id) {
    auto rows = conn_.query(
        "SELECT p.permission_name FROM users_group_to_perm g "
        "JOIN permissions p ON p.permission_id = g.permission_id "
        "JOIN users_groups ug ON ug.users_group_id = g.users_group_id "
        "JOIN users_groups_members m ON m.users_group_id = ug.users_group_id "
        "WHERE m.user_id = ? AND ug.users_group_active = ? ORDER BY p.permission_id",
        user_id, true);
    RETURN_IF_ERROR(rows);
    std::vector<std::string> out;
    for (const db::Row& r : *rows)
        out.push_back(r.text(0));
    return out;
}

Status Grants::set_global(Grantee grantee, int64_t grantee_id, std::string_view permission) {
    auto id = Permissions(conn_).by_name(permission);
    RETURN_IF_ERROR(id);
    if (auto st = revoke_global_kind(grantee, grantee_id, kind_of(permission)); !st)
        return st;
    const GrantTable t = global_table(grantee);
    return conn_.exec(
        fmt::format("INSERT INTO {} ({}, permission_id) VALUES (?, ?)", t.table, t.grantee_column),
        grantee_id, *id);
}

Status Grants::revoke_global_kind(Grantee grantee, int64_t grantee_id, std::string_view kind) {
    const GrantTable t = global_table(grantee);
    // permission_name LIKE 'kind.%' without a further dot: "hg.create" must not match
    // "hg.create.x.y" kinds (there are none, but keep kinds exact).
    auto rows = conn_.query(
        fmt::format("SELECT g.permission_id, p.permission_name FROM {} g JOIN permissions p ON "
                    "p.permission_id = g.permission_id WHERE g.{} = ?",
                    t.table, t.grantee_column),
        grantee_id);
    RETURN_IF_ERROR(rows);
    for (const db::Row& r : *rows) {
        if (kind_of(r.text(1)) != kind)
            continue;
        if (auto st = conn_.exec(fmt::format("DELETE FROM {} WHERE {} = ? AND permission_id = ?",
                                             t.table, t.grantee_column),
                                 grantee_id, r.i64(0));
            !st)
            return st;
    }
    return ok();
}

}  // namespace kallithea::store
