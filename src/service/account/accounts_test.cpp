// The login-eligibility rule that every auth plugin asks (service/account/accounts.hpp).
#include "service/account/accounts.hpp"

#include <gtest/gtest.h>

#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

store::UserRow active_user(std::optional<std::string> extern_type) {
    store::UserRow row;
    row.user_id = 2;
    row.username = "alice";
    row.active = true;
    row.extern_type = std::move(extern_type);
    return row;
}

TEST(LoginEligible, ActiveAccountOfThePlugin) {
    const auto internal = active_user("internal");
    EXPECT_TRUE(login_eligible(&internal, "internal"));
    const auto ldap = active_user("ldap");
    EXPECT_TRUE(login_eligible(&ldap, "ldap"));
}

TEST(LoginEligible, NoExternTypeMeansInternal) {
    const auto row = active_user(std::nullopt);
    EXPECT_TRUE(login_eligible(&row, "internal"));
    EXPECT_FALSE(login_eligible(&row, "ldap"));
}

TEST(LoginEligible, OtherPluginsAccountIsRefused) {
    const auto row = active_user("container");
    EXPECT_FALSE(login_eligible(&row, "internal"));
}

TEST(LoginEligible, InactiveUnknownAndDefaultAreRefused) {
    auto inactive = active_user("internal");
    inactive.active = false;
    EXPECT_FALSE(login_eligible(&inactive, "internal"));
    EXPECT_FALSE(login_eligible(nullptr, "internal"));
    auto anonymous = active_user("internal");
    anonymous.username = "default";
    EXPECT_FALSE(login_eligible(&anonymous, "internal"));
}

}  // namespace
}  // namespace kallithea::service
