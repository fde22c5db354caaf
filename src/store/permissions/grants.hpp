// Kallithea's grant tables, one API for all of them: who (a user or a user group) holds which
// permission on what (a repository, a repository group or a user group), plus global grants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

enum class GrantObject { repository, repo_group, user_group };
enum class Grantee { user, user_group };

struct GrantRow {
    Grantee grantee = Grantee::user;
    int64_t grantee_id = 0;
    std::string grantee_name;  // username or users_group_name
    bool grantee_active = true;
    std::string permission;  // "repository.write", ...
};

// Errc::database on SQL errors.
class Grants {
public:
    explicit Grants(db::Connection& conn) : conn_(conn) {}

    // Every grant on one object, users first (by username), then user groups (by name).
    Result<std::vector<GrantRow>> on(GrantObject object, int64_t object_id);
    // The permission name a grantee holds on an object; nullopt without a row.
    Result<std::optional<std::string>> held(GrantObject object, int64_t object_id, Grantee grantee,
                                            int64_t grantee_id);
    // Sets the grantee's one row on the object to `permission` (replacing any previous row).
    // Errc::invalid_argument when the permission is not of the object's kind
    // ("repository.*" / "group.*" / "usergroup.*"); Errc::not_found for an unknown name.
    Status set(GrantObject object, int64_t object_id, Grantee grantee, int64_t grantee_id,
               std::string_view permission);
    // Removes the grantee's row(s) on the object; fine when there are none.
    Status revoke(GrantObject object, int64_t object_id, Grantee grantee, int64_t grantee_id);

    // Permission names of the active user groups `user_id` is a member of, on one object.
    Result<std::vector<std::string>> via_active_groups(GrantObject object, int64_t object_id,
                                                       int64_t user_id);

    // Global grants (user_to_perm / users_group_to_perm), by permission id.
    Result<std::vector<std::string>> global(Grantee grantee, int64_t grantee_id);
    // Global grants of the active user groups `user_id` is a member of.
    Result<std::vector<std::string>> global_via_active_groups(int64_t user_id);
    // Replaces the grantee's global grant of the same kind (the name up to its last dot:
    // "hg.create.repository" replaces "hg.create.none"). Errc::not_found for an unknown name.
    Status set_global(Grantee grantee, int64_t grantee_id, std::string_view permission);
    // Removes the grantee's global grant(s) of a kind ("hg.create").
    Status revoke_global_kind(Grantee grantee, int64_t grantee_id, std::string_view kind);

private:
    db::Connection& conn_;
};

// "repository" / "group" / "usergroup": the permission-name prefix of an object kind.
std::string_view permission_prefix(GrantObject object);

}  // namespace kallithea::store
