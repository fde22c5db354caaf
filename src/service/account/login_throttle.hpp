// Login throttling: growing delays after repeated failed logins, per (account, address) pair and
// per address, kept in this process's memory (bounded).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

namespace kallithea::service {

class App;

// The rules, from the ini's `login_throttle.*` keys ([app:main]).
struct LoginThrottleRules {
    bool enabled = true;            // login_throttle.enabled
    int pair_free = 5;              // login_throttle.pair_attempts: failures of one account from
                                    // one address before delays start
    int address_free = 50;          // login_throttle.address_attempts: failures from one address,
                                    // all accounts together, before delays start
    int64_t base_delay_ms = 1000;   // login_throttle.delay (seconds): the first delay; doubles
                                    // with every further failure
    int64_t max_delay_ms = 900000;  // login_throttle.max_delay (seconds)
    int64_t forget_after_ms = 3600000;  // login_throttle.forget_after (seconds): failures older
                                        // than this (counted from the last one) are forgotten
    size_t max_entries = 100000;        // login_throttle.max_entries, per table

    // The rules for an [app:main] section; Errc::config naming the key on a bad value.
    static Result<LoginThrottleRules> from_ini(const std::map<std::string, std::string>& ini);
};

// Thread-safe. An attempt is refused while its pair or its address is in a delay; a failure
// starts (or lengthens) the delays; a success clears the pair (not the address). There is no
// per-account limit, so failures from elsewhere never lock an account out from here.
class LoginThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LoginThrottle(LoginThrottleRules rules) : rules_(rules) {}

    // Whole seconds (rounded up) before `account` may try again from `address`; 0: now.
    int64_t wait_seconds(std::string_view account, std::string_view address,
                         Clock::time_point now = Clock::now());
    void record_failure(std::string_view account, std::string_view address,
                        Clock::time_point now = Clock::now());
    void record_success(std::string_view account, std::string_view address);

    // Entries currently held (pairs, addresses), for tests.
    std::pair<size_t, size_t> size() const;

    // The refusal for a wait: Errc::unavailable, "Too many failed logins; try again in N
    // seconds" (surfaces ask wait_seconds() first to answer 429 with Retry-After).
    static Error refusal(int64_t seconds);

private:
    struct Entry {
        int failures = 0;
        Clock::time_point last_failure;
        Clock::time_point blocked_until;
    };
    using Table = std::unordered_map<std::string, Entry>;

    void fail_in(Table& table, const std::string& key, int free, Clock::time_point now);
    void make_room(Table& table, Clock::time_point now);
    int64_t remaining_ms(const Table& table, const std::string& key, Clock::time_point now) const;

    LoginThrottleRules rules_;
    mutable std::mutex mutex_;
    Table pairs_;
    Table addresses_;
};

// The process's throttle (one per process: counts are not shared between processes), with the
// rules of the first App that asks (App::open has checked them).
LoginThrottle& login_throttle(App& app);

}  // namespace kallithea::service
