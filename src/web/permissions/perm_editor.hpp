// The one permission-editor component of the repository, repository group and user group
// permission tabs: renders the grants table with its "add" row, and parses the posted form into
// the service's typed change list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "service/permissions/grant_admin.hpp"
#include "web/context.hpp"
#include "web/form_values.hpp"

namespace kallithea::web {

struct PermEditorSpec {
    service::GrantTarget target = service::GrantTarget::repository;
    int64_t object_id = 0;
    std::string action_url;  // POST: update
    std::string revoke_url;  // POST: revoke one row (obj_type, id)
    bool private_repo = false;
};

// The editor's HTML (a form) for embedding with {{{ }}}; `error` is shown above the table and
// the posted "add" row is kept when given. Errors from listing the grants are returned.
Result<std::string> render_perm_editor(const Ctx& ctx, const PermEditorSpec& spec,
                                       const std::string& error = {});

// The changes of a posted editor form: one set per existing row (perm_user_<id>,
// perm_group_<id>) and the "add" row (add_name, add_kind = user|group, add_perm).
std::vector<service::GrantChange> parse_perm_form(const Ctx& ctx);
// The form's apply_to (none when absent or unknown).
perm::ApplyTo parse_apply_to(const Ctx& ctx);
// The row a revoke post names: obj_type = user|user_group and id, or revoke = "user:<id>" /
// "user_group:<id>" (the editor's per-row buttons). nullopt when malformed.
std::optional<service::GrantChange> parse_revoke(const Ctx& ctx);

}  // namespace kallithea::web
