// Implementation of service/login_throttle.hpp.
#include "service/login_throttle.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "core/log.hpp"
#include "service/app.hpp"

namespace kallithea::service {
namespace {

// Keys hold at most this much of a client-chosen account name.
constexpr size_t kMaxAccountKey = 320;

Result<int64_t> whole_number(const std::map<std::string, std::string>& ini, const std::string& key,
                             int64_t fallback, int64_t max) {
    auto it = ini.find(key);
    if (it == ini.end() || it->second.empty())
        return fallback;
    int64_t value = 0;
    const std::string& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max)
        return fail(Errc::config,
                    fmt::format("[app:main] {}: expected a whole number from 0 to {}, got '{}'",
                                key, max, text));
    return value;
}

// Account names compare case-insensitively (ASCII), as logins do.
std::string account_key(std::string_view account) {
    account = account.substr(0, kMaxAccountKey);
    std::string out(account);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string pair_key(std::string_view account, std::string_view address) {
    std::string key = account_key(account);
    key += '\n';
    key += address;
    return key;
}

}  // namespace

Result<LoginThrottleRules> LoginThrottleRules::from_ini(
    const std::map<std::string, std::string>& ini) {
    LoginThrottleRules rules;
    if (auto it = ini.find("login_throttle.enabled"); it != ini.end()) {
        const std::string& v = it->second;
        if (v == "false" || v == "False" || v == "0" || v == "no" || v == "off")
            rules.enabled = false;
        else if (v != "true" && v != "True" && v != "1" && v != "yes" && v != "on")
            return fail(Errc::config,
                        fmt::format("[app:main] login_throttle.enabled: expected true or false, "
                                    "got '{}'",
                                    v));
    }
    constexpr int64_t kDay = 24 * 3600;
    auto pair = whole_number(ini, "login_throttle.pair_attempts", rules.pair_free, 1000000);
    auto address =
        whole_number(ini, "login_throttle.address_attempts", rules.address_free, 1000000);
    auto delay = whole_number(ini, "login_throttle.delay", rules.base_delay_ms / 1000, kDay);
    auto max_delay = whole_number(ini, "login_throttle.max_delay", rules.max_delay_ms / 1000, kDay);
    auto forget =
        whole_number(ini, "login_throttle.forget_after", rules.forget_after_ms / 1000, 30 * kDay);
    auto entries = whole_number(ini, "login_throttle.max_entries",
                                static_cast<int64_t>(rules.max_entries), 100000000);
    for (const auto* r : {&pair, &address, &delay, &max_delay, &forget, &entries})
        if (!*r)
            return fail(r->error());
    rules.pair_free = static_cast<int>(std::max<int64_t>(*pair, 1));
    rules.address_free = static_cast<int>(std::max<int64_t>(*address, 1));
    rules.base_delay_ms = *delay * 1000;
    rules.max_delay_ms = std::max(*max_delay, *delay) * 1000;
    rules.forget_after_ms = std::max(*forget * 1000, rules.max_delay_ms);
    rules.max_entries = static_cast<size_t>(std::max<int64_t>(*entries, 16));
    return rules;
}

Error LoginThrottle::refusal(int64_t seconds) {
    return Error{Errc::unavailable,
                 fmt::format("Too many failed logins; try again in {} second{}", seconds,
                             seconds == 1 ? "" : "s"),
                 "login throttled"};
}

int64_t LoginThrottle::remaining_ms(const Table& table, const std::string& key,
                                    Clock::time_point now) const {
    auto it = table.find(key);
    if (it == table.end() || it->second.blocked_until <= now)
        return 0;
    return std::chrono::duration_cast<std::chrono::milliseconds>(it->second.blocked_until - now)
        .count();
}

int64_t LoginThrottle::wait_seconds(std::string_view account, std::string_view address,
                                    Clock::time_point now) {
    if (!rules_.enabled)
        return 0;
    std::lock_guard lock(mutex_);
    const int64_t ms = std::max(remaining_ms(pairs_, pair_key(account, address), now),
                                remaining_ms(addresses_, std::string(address), now));
    return (ms + 999) / 1000;
}

void LoginThrottle::make_room(Table& table, Clock::time_point now) {
    if (table.size() < rules_.max_entries)
        return;
    const auto forget = std::chrono::milliseconds(rules_.forget_after_ms);
    std::erase_if(table, [&](const auto& item) {
        return item.second.last_failure + forget <= now && item.second.blocked_until <= now;
    });
    if (table.size() < rules_.max_entries - rules_.max_entries / 8)
        return;
    // Still (nearly) full of recent entries: drop the eighth whose last failure is oldest, so
    // that this scan runs once per max_entries/8 insertions.
    std::vector<Clock::time_point> times;
    times.reserve(table.size());
    for (const auto& [key, entry] : table)
        times.push_back(entry.last_failure);
    auto cut = times.begin() + static_cast<std::ptrdiff_t>(rules_.max_entries / 8);
    std::nth_element(times.begin(), cut, times.end());
    const Clock::time_point threshold = *cut;
    std::erase_if(table, [&](const auto& item) { return item.second.last_failure < threshold; });
    log::warn("login throttle: table full ({} entries), oldest failures forgotten",
              rules_.max_entries);
}

void LoginThrottle::fail_in(Table& table, const std::string& key, int free, Clock::time_point now) {
    auto it = table.find(key);
    if (it == table.end()) {
        make_room(table, now);
        it = table.emplace(key, Entry{}).first;
    } else if (it->second.last_failure + std::chrono::milliseconds(rules_.forget_after_ms) <= now &&
               it->second.blocked_until <= now) {
        it->second = Entry{};  // old failures are forgotten
    }
    Entry& entry = it->second;
    ++entry.failures;
    entry.last_failure = now;
    if (entry.failures < free)
        return;
    // The first delay at the free-th failure, doubling with each further one.
    const int doublings = std::min(entry.failures - free, 40);
    const int64_t delay =
        std::min(rules_.max_delay_ms, rules_.base_delay_ms << std::min(doublings, 30));
    entry.blocked_until = std::max(entry.blocked_until, now + std::chrono::milliseconds(delay));
}

void LoginThrottle::record_failure(std::string_view account, std::string_view address,
                                   Clock::time_point now) {
    if (!rules_.enabled)
        return;
    std::lock_guard lock(mutex_);
    fail_in(pairs_, pair_key(account, address), rules_.pair_free, now);
    fail_in(addresses_, std::string(address), rules_.address_free, now);
}

void LoginThrottle::record_success(std::string_view account, std::string_view address) {
    if (!rules_.enabled)
        return;
    std::lock_guard lock(mutex_);
    pairs_.erase(pair_key(account, address));
}

std::pair<size_t, size_t> LoginThrottle::size() const {
    std::lock_guard lock(mutex_);
    return {pairs_.size(), addresses_.size()};
}

LoginThrottle& login_throttle(App& app) {
    static LoginThrottle throttle(
        LoginThrottleRules::from_ini(app.config().app).value_or(LoginThrottleRules{}));
    return throttle;
}

}  // namespace kallithea::service
