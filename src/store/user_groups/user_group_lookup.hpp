// Finding user groups (`users_groups`) by name or id, for the permission editors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "db/connection.hpp"

namespace kallithea::store {

struct UserGroupRef {
    int64_t users_group_id = 0;
    std::string name;
    bool active = true;
};

// Errc::database on SQL errors.
class UserGroupLookup {
public:
    explicit UserGroupLookup(db::Connection& conn) : conn_(conn) {}
    Result<std::optional<UserGroupRef>> by_name(std::string_view name);
    Result<std::optional<UserGroupRef>> by_id(int64_t users_group_id);

private:
    db::Connection& conn_;
};

}  // namespace kallithea::store
