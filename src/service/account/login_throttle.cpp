// Implementation of service/account/login_throttle.hpp.
#include "service/account/login_throttle.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/text.hpp"
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

// The 16-bit groups of an IPv6 address ("::" expanded; an embedded IPv4 tail counts as two);
// fewer than 8 when it is not one.
std::vector<unsigned> ipv6_groups(std::string_view text) {
    std::vector<unsigned> head, tail;
    std::vector<unsigned>* out = &head;
    size_t i = 0;
    if (text.starts_with("::")) {
        out = &tail;
        i = 2;
    }
    while (i < text.size()) {
        const size_t end = std::min(text.find(':', i), text.size());
        const std::string_view part = text.substr(i, end - i);
        if (part.find('.') != std::string_view::npos) {  // a.b.c.d at the end
            unsigned a = 0, b = 0, c = 0, d = 0;
            if (std::sscanf(std::string(part).c_str(), "%3u.%3u.%3u.%3u", &a, &b, &c, &d) != 4)
                return {};
            out->push_back((a << 8) | b);
            out->push_back((c << 8) | d);
            break;
        }
        unsigned value = 0;
        const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), value, 16);
        if (part.empty() || part.size() > 4 || ec != std::errc() || p != part.data() + part.size())
            return {};
        out->push_back(value);
        i = end + 1;
        if (text.substr(end).starts_with("::")) {
            if (out == &tail)
                return {};
            out = &tail;
            i = end + 2;
        }
    }
    if (head.size() + tail.size() > 8 || (out == &head && head.size() != 8))
        return {};
    head.resize(8 - tail.size(), 0);
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

// Whoever has one IPv6 address usually has its whole /64: that prefix is the address's key.
// IPv4 (also IPv4-mapped IPv6) and anything else stay as they are.
std::string address_key(std::string_view address) {
    if (address.find(':') == std::string_view::npos)
        return std::string(address);
    const std::vector<unsigned> g = ipv6_groups(address.substr(0, address.find('%')));
    if (g.size() != 8)
        return std::string(address);
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff)
        return fmt::format("{}.{}.{}.{}", g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255);
    return fmt::format("{:x}:{:x}:{:x}:{:x}::/64", g[0], g[1], g[2], g[3]);
}

std::string pair_key(std::string_view account, std::string_view address) {
    std::string key = account_key(account);
    key += '\n';
    key += address_key(address);
    return key;
}

}  // namespace

Result<LoginThrottleRules> LoginThrottleRules::from_ini(
    const std::map<std::string, std::string>& ini) {
    LoginThrottleRules rules;
    if (auto it = ini.find("login_throttle.enabled"); it != ini.end()) {
        const std::string& v = it->second;
        if (const auto enabled = text::parse_bool(v))
            rules.enabled = *enabled;
        else
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
                                remaining_ms(addresses_, address_key(address), now));
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
    fail_in(addresses_, address_key(address), rules_.address_free, now);
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
