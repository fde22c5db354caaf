// What every libcurl transfer of the remote layer shares: deadlines, TLS trust, cancellation.
#pragma once

#include <atomic>
#include <chrono>

namespace kallithea::remote {

// Limits and trust for one transfer. Certificates are checked against the system CA store;
// SSL_CERT_FILE / SSL_CERT_DIR in the environment replace it (as they do for OpenSSL's tools).
struct TransferLimits {
    std::chrono::seconds connect_timeout{20};
    std::chrono::seconds total_timeout{120};    // the whole transfer, connection included
    std::chrono::seconds response_timeout{30};  // one server reply (SMTP) / stalled transfer
    // When set and true, the transfer stops soon (Errc::unavailable "cancelled").
    const std::atomic<bool>* cancel = nullptr;
};

}  // namespace kallithea::remote
