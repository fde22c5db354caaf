// SQL behind the default-permissions admin page: the `default` user's row and the ids of objects
// whose `default` grant "apply to existing" overwrites (the IP whitelist is store::UserIps).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"
#include "store/permissions/grants.hpp"

namespace kallithea::store {

// Errc::database on SQL errors.
class DefaultPermissionRows {
public:
    explicit DefaultPermissionRows(db::Connection& conn) : conn_(conn) {}

    // Sets users.active (anonymous access on/off for `default`). Errc::not_found for no user.
    Status set_user_active(int64_t user_id, bool active);
    // Ids of every object of a kind; for repositories only the public ones (private = false).
    Result<std::vector<int64_t>> overwritable_ids(GrantObject object);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
