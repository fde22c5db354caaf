// Rules of the login throttle: pairs, addresses, growing delays, forgetting, bounded size.
#include "service/account/login_throttle.hpp"

#include <gtest/gtest.h>

namespace kallithea::service {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

LoginThrottleRules small_rules() {
    LoginThrottleRules rules;
    rules.pair_free = 3;
    rules.address_free = 10;
    rules.base_delay_ms = 2000;
    rules.max_delay_ms = 60000;
    rules.forget_after_ms = 600000;
    rules.max_entries = 1000;
    return rules;
}

const LoginThrottle::Clock::time_point t0{seconds(1000000)};

TEST(LoginThrottle, DelaysStartAfterFreeFailuresOfAPair) {
    LoginThrottle throttle(small_rules());
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0), 0);
    throttle.record_failure("bob", "10.0.0.1", t0);
    throttle.record_failure("bob", "10.0.0.1", t0);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0), 0);
    throttle.record_failure("bob", "10.0.0.1", t0);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0), 2);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0 + milliseconds(1500)), 1);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0 + seconds(2)), 0);
}

TEST(LoginThrottle, DelaysDoubleUpToTheMaximum) {
    LoginThrottle throttle(small_rules());
    auto now = t0;
    int64_t expected[] = {2, 4, 8, 16, 32, 60, 60};
    for (int i = 0; i < 2; ++i)
        throttle.record_failure("bob", "10.0.0.1", now);
    for (int64_t wait : expected) {
        throttle.record_failure("bob", "10.0.0.1", now);
        EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", now), wait);
        now += seconds(wait);
        EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", now), 0);
    }
}

TEST(LoginThrottle, AccountNamesCompareWithoutCase) {
    LoginThrottle throttle(small_rules());
    throttle.record_failure("Bob", "10.0.0.1", t0);
    throttle.record_failure("BOB", "10.0.0.1", t0);
    throttle.record_failure("bob", "10.0.0.1", t0);
    EXPECT_GT(throttle.wait_seconds("bOb", "10.0.0.1", t0), 0);
}

TEST(LoginThrottle, OtherAddressesAndAccountsAreNotLockedOut) {
    LoginThrottle throttle(small_rules());
    for (int i = 0; i < 9; ++i)
        throttle.record_failure("bob", "10.0.0.1", t0);
    EXPECT_GT(throttle.wait_seconds("bob", "10.0.0.1", t0), 0);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.2", t0), 0);
    EXPECT_EQ(throttle.wait_seconds("alice", "10.0.0.1", t0), 0);
}

TEST(LoginThrottle, AnAddressTryingManyAccountsIsCapped) {
    LoginThrottle throttle(small_rules());
    for (int i = 0; i < 10; ++i)
        throttle.record_failure("user" + std::to_string(i), "10.0.0.1", t0);
    EXPECT_EQ(throttle.wait_seconds("someone-else", "10.0.0.1", t0), 2);
    EXPECT_EQ(throttle.wait_seconds("someone-else", "10.0.0.2", t0), 0);
}

TEST(LoginThrottle, AnIpv6Slash64CountsAsOneAddress) {
    LoginThrottle throttle(small_rules());
    throttle.record_failure("bob", "2001:db8:1:2::1", t0);
    throttle.record_failure("bob", "2001:db8:1:2:ffff::9", t0);
    throttle.record_failure("bob", "2001:0db8:0001:0002:0:0:0:abcd", t0);
    EXPECT_GT(throttle.wait_seconds("bob", "2001:db8:1:2::77", t0), 0);
    EXPECT_EQ(throttle.wait_seconds("bob", "2001:db8:1:3::1", t0), 0);
    // IPv4-mapped addresses are their IPv4 address
    for (int i = 0; i < 3; ++i)
        throttle.record_failure("bob", "::ffff:10.0.0.9", t0);
    EXPECT_GT(throttle.wait_seconds("bob", "10.0.0.9", t0), 0);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.8", t0), 0);
}

TEST(LoginThrottle, SuccessClearsThePairButNotTheAddress) {
    LoginThrottleRules rules = small_rules();
    rules.address_free = 5;
    LoginThrottle throttle(rules);
    for (int i = 0; i < 2; ++i)
        throttle.record_failure("bob", "10.0.0.1", t0);
    throttle.record_success("bob", "10.0.0.1");
    for (int i = 0; i < 2; ++i)
        throttle.record_failure("bob", "10.0.0.1", t0);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0), 0);  // the pair starts again
    throttle.record_failure("bob", "10.0.0.1", t0);              // fifth from this address
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0), 2);
}

TEST(LoginThrottle, OldFailuresAreForgotten) {
    LoginThrottle throttle(small_rules());
    throttle.record_failure("bob", "10.0.0.1", t0);
    throttle.record_failure("bob", "10.0.0.1", t0);
    const auto later = t0 + seconds(601);
    throttle.record_failure("bob", "10.0.0.1", later);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", later), 0);
}

TEST(LoginThrottle, TablesStayBounded) {
    LoginThrottleRules rules = small_rules();
    rules.max_entries = 64;
    LoginThrottle throttle(rules);
    auto now = t0;
    for (int i = 0; i < 1000; ++i) {
        now += milliseconds(1);
        throttle.record_failure("user" + std::to_string(i), "10.0." + std::to_string(i), now);
    }
    const auto [pairs, addresses] = throttle.size();
    EXPECT_LE(pairs, 64u);
    EXPECT_LE(addresses, 64u);
    // The newest entries survive.
    for (int i = 0; i < 2; ++i)
        throttle.record_failure("user999", "10.0.999", now);
    EXPECT_GT(throttle.wait_seconds("user999", "10.0.999", now), 0);
}

TEST(LoginThrottle, DisabledNeverRefuses) {
    LoginThrottleRules rules = small_rules();
    rules.enabled = false;
    LoginThrottle throttle(rules);
    for (int i = 0; i < 50; ++i)
        throttle.record_failure("bob", "10.0.0.1", t0);
    EXPECT_EQ(throttle.wait_seconds("bob", "10.0.0.1", t0), 0);
}

TEST(LoginThrottle, RulesFromIni) {
    auto rules = LoginThrottleRules::from_ini({{"login_throttle.pair_attempts", "4"},
                                               {"login_throttle.address_attempts", "20"},
                                               {"login_throttle.delay", "3"},
                                               {"login_throttle.max_delay", "30"}});
    ASSERT_TRUE(rules) << rules.error().message;
    EXPECT_EQ(rules->pair_free, 4);
    EXPECT_EQ(rules->address_free, 20);
    EXPECT_EQ(rules->base_delay_ms, 3000);
    EXPECT_EQ(rules->max_delay_ms, 30000);
    EXPECT_TRUE(rules->enabled);
    EXPECT_FALSE(LoginThrottleRules::from_ini({{"login_throttle.enabled", "false"}})->enabled);
    auto bad = LoginThrottleRules::from_ini({{"login_throttle.delay", "soon"}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::config);
    EXPECT_NE(bad.error().message.find("login_throttle.delay"), std::string::npos);
}

TEST(LoginThrottle, RefusalSaysHowLong) {
    const Error e = LoginThrottle::refusal(7);
    EXPECT_EQ(e.message, "Too many failed logins; try again in 7 seconds");
    EXPECT_EQ(e.code, Errc::unavailable);
}

}  // namespace
}  // namespace kallithea::service
