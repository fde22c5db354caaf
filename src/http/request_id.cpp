// Request id generation: a per-thread PRNG seeded from the kernel (ids need not be secret, only
// unique, and a getrandom() call per request would be wasted).
#include "http/request_id.hpp"

#include <random>

#include "core/random.hpp"

namespace kallithea::http {

std::string new_request_id() {
    thread_local std::mt19937_64 engine = [] {
        const std::string seed_bytes = random::bytes(32);
        std::seed_seq seed(seed_bytes.begin(), seed_bytes.end());
        return std::mt19937_64(seed);
    }();
    static constexpr char kDigits[] = "0123456789abcdef";
    uint64_t value = engine();
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<size_t>(i)] = kDigits[value & 15];
        value >>= 4;
    }
    return out;
}

}  // namespace kallithea::http
