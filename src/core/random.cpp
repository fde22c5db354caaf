// getrandom(2)-backed implementation of core/random.hpp.
#include "core/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace kallithea::random {

std::string bytes(size_t count) {
    std::string out(count, '\0');
    size_t filled = 0;
    while (filled < count) {
        const ssize_t n = getrandom(out.data() + filled, count - filled, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::perror("getrandom");
            std::abort();  // no safe way on without entropy
        }
        filled += static_cast<size_t>(n);
    }
    return out;
}

std::string hex(size_t count) {
    static constexpr char kDigits[] = "0123456789abcdef";
    const std::string raw = bytes(count);
    std::string out;
    out.reserve(count * 2);
    for (unsigned char c : raw) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 15]);
    }
    return out;
}

std::string alnum(size_t length) {
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    out.reserve(length);
    while (out.size() < length) {
        for (unsigned char c : bytes(length)) {
            if (c >= 248)
                continue;  // 248 = 62 * 4: keeps the distribution uniform
            out.push_back(kChars[c % 62]);
            if (out.size() == length)
                break;
        }
    }
    return out;
}

}  // namespace kallithea::random
