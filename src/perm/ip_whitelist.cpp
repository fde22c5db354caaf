// CIDR matching for IP whitelists (inet_pton; IPv4-mapped IPv6 addresses compare as IPv4).
#include "perm/ip_whitelist.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>
#include <optional>

namespace kallithea::perm {
namespace {

struct Address {
    std::array<unsigned char, 16> bytes{};
    int bits = 0;  // 32 or 128
};

std::optional<Address> parse_address(std::string_view text) {
    const std::string s(text);
    Address a;
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
        a.bits = 32;
        return a;
    }
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
        static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {
            std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
            a.bits = 32;
        } else {
            a.bits = 128;
        }
        return a;
    }
    return std::nullopt;
}

struct Network {
    Address base;
    int prefix = 0;
};

std::optional<Network> parse_network(std::string_view text) {
    const auto slash = text.find('/');
    auto base = parse_address(text.substr(0, slash));
    if (!base)
        return std::nullopt;
    int prefix = base->bits;
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3)
            return std::nullopt;
        prefix = 0;
        for (char c : digits) {
            if (c < '0' || c > '9')
                return std::nullopt;
            prefix = prefix * 10 + (c - '0');
        }
        if (prefix > base->bits)
            return std::nullopt;
    }
    return Network{*base, prefix};
}

bool contains(const Network& net, const Address& a) {
    if (net.base.bits != a.bits)
        return false;
    const int full = net.prefix / 8;
    if (std::memcmp(net.base.bytes.data(), a.bytes.data(), static_cast<size_t>(full)) != 0)
        return false;
    const int rest = net.prefix % 8;
    if (rest == 0)
        return true;
    const unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (net.base.bytes[full] & mask) == (a.bytes[full] & mask);
}

}  // namespace

bool valid_network(std::string_view network) {
    return parse_network(network).has_value();
}

bool ip_allowed(std::string_view address, const std::vector<std::string>& networks) {
    if (networks.empty())
        return true;
    const auto a = parse_address(address);
    if (!a)
        return false;
    for (const auto& text : networks)
        if (auto net = parse_network(text); net && contains(*net, *a))
            return true;
    return false;
}

}  // namespace kallithea::perm
