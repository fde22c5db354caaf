// IP whitelists (`user_ip_map`): is a client address inside one of the allowed networks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kallithea::perm {

// True when `networks` is empty (no restriction) or `address` (IPv4 or IPv6, no port) lies in
// one of them ("10.0.0.0/8", "192.168.1.5", "2001:db8::/32"). Malformed entries match nothing;
// a malformed address matches nothing.
bool ip_allowed(std::string_view address, const std::vector<std::string>& networks);

// True when `network` is an address or CIDR network the whitelist can hold.
bool valid_network(std::string_view network);

}  // namespace kallithea::perm
