// bcrypt through libxcrypt's crypt_r; SHA-256 legacy hashes through OpenSSL.
#include "auth/password.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

namespace kallithea::auth {
namespace {

constexpr unsigned long kBcryptCost = 10;

bool is_bcrypt(std::string_view hash) {
    return hash.size() == 60 &&
           (hash.starts_with("$2b$") || hash.starts_with("$2a$") || hash.starts_with("$2y$"));
}

bool is_sha256_hex(std::string_view hash) {
    if (hash.size() != 64)
        return false;
    for (char c : hash)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(kDigits[digest[i] >> 4]);
        out.push_back(kDigits[digest[i] & 15]);
    }
    return out;
}

// crypt_r with its 32 KiB work area on the heap (never on a worker's stack).
std::string run_crypt(const std::string& phrase, const std::string& setting) {
    auto data = std::make_unique<crypt_data>();
    const char* out = crypt_r(phrase.c_str(), setting.c_str(), data.get());
    if (out == nullptr || out[0] == '*')
        return {};
    return out;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> hash_password(std::string_view password) {
    // crypt_r stops at a NUL: "a\0b" would hash as "a".
    if (password.find('\0') != std::string_view::npos)
        return fail(Errc::invalid_argument, "Passwords must not contain NUL characters");
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (crypt_gensalt_rn("$2b$", kBcryptCost, nullptr, 0, salt, sizeof salt) == nullptr)
        return fail(Errc::internal, "cannot hash password", "crypt_gensalt_rn failed");
    std::string hash = run_crypt(std::string(password), salt);
    if (hash.empty())
        return fail(Errc::internal, "cannot hash password", "crypt_r failed");
    return hash;
}

bool verify_password(std::string_view password, std::string_view hash) {
    // No password we store can contain NUL, and crypt_r would ignore everything after one.
    if (password.find('\0') != std::string_view::npos)
        return false;
    if (is_bcrypt(hash)) {
        // libxcrypt does not take $2y$; it is the same algorithm as $2b$.
        std::string setting(hash);
        if (setting[2] == 'y')
            setting[2] = 'b';
        const std::string computed = run_crypt(std::string(password), setting);
        return !computed.empty() && constant_time_equal(computed, setting);
    }
    if (is_sha256_hex(hash))
        return constant_time_equal(sha256_hex(password), hash);
    return false;
}

}  // namespace kallithea::auth
