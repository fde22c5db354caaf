// The permission-editor component (web/permissions/perm_editor.hpp).
#include "web/permissions/perm_editor.hpp"

#include <charconv>

namespace kallithea::web {
namespace {

constexpr const char* kLevels[] = {"none", "read", "write", "admin"};

std::vector<View> level_cells(std::string_view prefix, const std::string& field,
                              const std::string& current) {
    std::vector<View> cells;
    for (const char* level : kLevels) {
        const std::string value = std::string(prefix) + "." + level;
        View cell;
        cell.set("field", field)
            .set("value", value)
            .set("label", level)
            .set("checked", value == current);
        cells.push_back(std::move(cell));
    }
    return cells;
}

}  // namespace

Result<std::string> render_perm_editor(const Ctx& ctx, const PermEditorSpec& spec,
                                       const std::string& error) {
    auto grants = service::list_grants(ctx.app, spec.target, spec.object_id);
    RETURN_IF_ERROR(grants);
    const std::string_view prefix = service::grant_prefix(spec.target);
    std::vector<View> rows;
    for (const auto& grant : *grants) {
        const bool user = grant.kind == service::GranteeKind::user;
        const std::string kind = user ? "user" : "user_group";
        const std::string field =
            std::string(user ? "perm_user_" : "perm_group_") + std::to_string(grant.id);
        View row;
        row.set("kind", kind)
            .set("name", grant.name)
            .set("id", std::to_string(grant.id))
            .set("is_default", grant.is_default)
            .set("is_group", !user)
            .set("active", grant.active)
            .set("permission", grant.permission)
            .set("revoke_value", kind + ":" + std::to_string(grant.id))
            .set("levels", level_cells(prefix, field, grant.permission));
        rows.push_back(std::move(row));
    }
    const std::string add_perm = ctx.form_value("add_perm").value_or(std::string(prefix) + ".read");
    View view;
    view.set("csrf_token", ctx.session.csrf_token)
        .set("target", std::string(prefix))
        .set("action_url", spec.action_url)
        .set("revoke_url", spec.revoke_url)
        .set("rows", std::move(rows))
        .set("add_levels", level_cells(prefix, "add_perm", add_perm))
        .set("add_name", error.empty() ? std::string() : ctx.form_value("add_name").value_or(""))
        .set("add_group", ctx.form_value("add_kind").value_or("user") == "group")
        .set("apply_children", spec.target == service::GrantTarget::repo_group)
        .set("private_repo", spec.private_repo);
    if (!error.empty())
        view.set("error", error);
    return render("perm_editor", view);
}

std::vector<service::GrantChange> parse_perm_form(const Ctx& ctx) {
    std::vector<service::GrantChange> changes;
    for (const auto& [key, value] : ctx.form) {
        service::GrantChange change;
        std::string_view rest;
        if (key.starts_with("perm_user_")) {
            change.kind = service::GranteeKind::user;
            rest = std::string_view(key).substr(10);
        } else if (key.starts_with("perm_group_")) {
            change.kind = service::GranteeKind::user_group;
            rest = std::string_view(key).substr(11);
        } else {
            continue;
        }
        change.id = parse_positive_id(rest);
        if (!change.id)
            continue;
        change.permission = value;
        changes.push_back(std::move(change));
    }
    std::string name = ctx.form_value("add_name").value_or("");
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
        name.pop_back();
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
        name.erase(0, 1);
    if (!name.empty()) {
        service::GrantChange change;
        change.kind = ctx.form_value("add_kind").value_or("user") == "group"
                          ? service::GranteeKind::user_group
                          : service::GranteeKind::user;
        change.name = name;
        change.permission = ctx.form_value("add_perm").value_or("");
        changes.push_back(std::move(change));
    }
    return changes;
}

perm::ApplyTo parse_apply_to(const Ctx& ctx) {
    return perm::parse_apply_to(ctx.form_value("apply_to").value_or("none"))
        .value_or(perm::ApplyTo::none);
}

std::optional<service::GrantChange> parse_revoke(const Ctx& ctx) {
    std::string type = ctx.form_value("obj_type").value_or("");
    std::string id = ctx.form_value("id").value_or("");
    if (type.empty()) {
        const std::string value = ctx.form_value("revoke").value_or("");
        const auto colon = value.find(':');
        if (colon == std::string::npos)
            return std::nullopt;
        type = value.substr(0, colon);
        id = value.substr(colon + 1);
    }
    service::GrantChange change;
    change.revoke = true;
    if (type == "user")
        change.kind = service::GranteeKind::user;
    else if (type == "user_group")
        change.kind = service::GranteeKind::user_group;
    else
        return std::nullopt;
    change.id = parse_positive_id(id);
    if (!change.id)
        return std::nullopt;
    return change;
}

}  // namespace kallithea::web
