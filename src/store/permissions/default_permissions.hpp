// SQL behind the default-permissions admin page: the `default` user's row, the ids of objects
// whose `default` grant "apply to existing" overwrites, and IP whitelist rows (user_ip_map).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "db/connection.hpp"
#include "store/permissions/grants.hpp"

namespace kallithea::store {

struct IpRow {
    int64_t ip_id = 0;
    int64_t user_id = 0;
    std::string ip_addr;
    bool active = true;
};

// Errc::database on SQL errors.
class DefaultPermissionRows {
public:
    explicit DefaultPermissionRows(db::Connection& conn) : conn_(conn) {}

    // Sets users.active (anonymous access on/off for `default`). Errc::not_found for no user.
    Status set_user_active(int64_t user_id, bool active);
    // Ids of every object of a kind; for repositories only the public ones (private = false).
    Result<std::vector<int64_t>> overwritable_ids(GrantObject object);

    // A user's user_ip_map rows, by id.
    Result<std::vector<IpRow>> ips(int64_t user_id);
    // Adds an active row; Errc::conflict when the user already has that address.
    Result<int64_t> add_ip(int64_t user_id, std::string_view ip_addr);
    // Removes one of the user's rows; Errc::not_found when it is not theirs.
    Status delete_ip(int64_t user_id, int64_t ip_id);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
