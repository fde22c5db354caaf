// Implementation of service/permissions/listing_permissions.hpp.
#include "service/permissions/listing_permissions.hpp"

#include "perm/group_permission.hpp"
#include "perm/repo_permission.hpp"

namespace kallithea::service::detail {
namespace {

void raise(std::optional<perm::Level>& slot, perm::Level level) {
    if (!slot || static_cast<int>(level) > static_cast<int>(*slot))
        slot = level;
}

}  // namespace

GrantsByObject fold_grants(const std::vector<store::ListingGrant>& rows, perm::Kind kind) {
    GrantsByObject out;
    out.reserve(rows.size());
    for (const store::ListingGrant& row : rows) {
        const auto level = perm::parse_level(kind, row.permission);
        if (!level)
            continue;
        ObjectGrants& grants = out[row.object_id];
        switch (row.source) {
            case store::GrantSource::default_user:
                raise(grants.default_grant, *level);
                break;
            case store::GrantSource::user:
                raise(grants.user_grant, *level);
                break;
            case store::GrantSource::user_group:
                grants.group_grants.push_back(*level);
                break;
        }
    }
    return out;
}

perm::Level repository_level(const AuthUser& user, int64_t owner_id, bool is_private,
                             const ObjectGrants* grants) {
    if (user.nobody())
        return perm::Level::none;
    perm::RepoFacts facts;
    facts.user_is_admin = user.admin;
    facts.user_is_owner = user.authenticated() && *user.user_id == owner_id;
    facts.repo_private = is_private;
    if (grants) {
        facts.default_grant = grants->default_grant;
        facts.user_grant = grants->user_grant;
        facts.group_grants = grants->group_grants;
    }
    return perm::effective_repo_level(facts);
}

perm::Level repo_group_level(const AuthUser& user, const ObjectGrants* grants) {
    if (user.nobody())
        return perm::Level::none;
    perm::GroupFacts facts;
    facts.user_is_admin = user.admin;
    if (grants) {
        facts.default_grant = grants->default_grant;
        facts.user_grant = grants->user_grant;
        facts.group_grants = grants->group_grants;
    }
    return perm::effective_group_level(facts);
}

}  // namespace kallithea::service::detail
