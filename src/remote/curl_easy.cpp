// Implementation of remote/curl_easy.hpp.
#include "remote/curl_easy.hpp"

#include <cstdlib>
#include <mutex>

#include <fmt/format.h>

namespace kallithea::remote::detail {
namespace {

CURLcode global_init() {
    static CURLcode rc = CURLE_FAILED_INIT;
    static std::once_flag once;
    std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return rc;
}

int on_progress(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* transfer = static_cast<const Transfer*>(data);
    return transfer->cancel && transfer->cancel->load() ? 1 : 0;
}

long millis(std::chrono::seconds s) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(s).count());
}

}  // namespace

Result<std::unique_ptr<Transfer>> new_transfer(const char* protocols,
                                               const TransferLimits& limits) {
    if (const CURLcode rc = global_init(); rc != CURLE_OK)
        return fail(Errc::internal, "libcurl cannot start", curl_easy_strerror(rc));
    auto transfer = std::make_unique<Transfer>();
    transfer->handle.reset(curl_easy_init());
    if (!transfer->handle)
        return fail(Errc::internal, "libcurl cannot start", "curl_easy_init failed");
    transfer->cancel = limits.cancel;
    Transfer& t = *transfer;
    Status st = set_option(t, CURLOPT_ERRORBUFFER, t.error_text, "ERRORBUFFER");
    if (st)
        st = set_option(t, CURLOPT_NOSIGNAL, 1L, "NOSIGNAL");
    if (st)
        st = set_option(t, CURLOPT_PROTOCOLS_STR, protocols, "PROTOCOLS_STR");
    if (st)
        st = set_option(t, CURLOPT_SSL_VERIFYPEER, 1L, "SSL_VERIFYPEER");
    if (st)
        st = set_option(t, CURLOPT_SSL_VERIFYHOST, 2L, "SSL_VERIFYHOST");
    if (st)
        st = set_option(t, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2),
                        "SSLVERSION");
    // libcurl itself ignores these variables; OpenSSL's tools and the previous client honoured
    // them, and they are how an admin trusts a private CA for this program only.
    if (const char* file = std::getenv("SSL_CERT_FILE"); st && file && *file)
        st = set_option(t, CURLOPT_CAINFO, file, "CAINFO");
    if (const char* dir = std::getenv("SSL_CERT_DIR"); st && dir && *dir)
        st = set_option(t, CURLOPT_CAPATH, dir, "CAPATH");
    if (st)
        st = set_option(t, CURLOPT_CONNECTTIMEOUT_MS, millis(limits.connect_timeout),
                        "CONNECTTIMEOUT_MS");
    if (st)
        st = set_option(t, CURLOPT_TIMEOUT_MS, millis(limits.total_timeout), "TIMEOUT_MS");
    if (st)
        st = set_option(t, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                        static_cast<long>(limits.response_timeout.count()),
                        "SERVER_RESPONSE_TIMEOUT");
    if (st)
        st = set_option(t, CURLOPT_LOW_SPEED_LIMIT, 1L, "LOW_SPEED_LIMIT");
    if (st)
        st = set_option(t, CURLOPT_LOW_SPEED_TIME,
                        static_cast<long>(limits.response_timeout.count()), "LOW_SPEED_TIME");
    if (st)
        st = set_option(t, CURLOPT_XFERINFOFUNCTION, &on_progress, "XFERINFOFUNCTION");
    if (st)
        st = set_option(t, CURLOPT_XFERINFODATA, static_cast<void*>(&t), "XFERINFODATA");
    if (st)
        st = set_option(t, CURLOPT_NOPROGRESS, 0L, "NOPROGRESS");
    RETURN_IF_ERROR(st);
    return transfer;
}

std::string failure_text(const Transfer& transfer, CURLcode rc, const std::string& what,
                         const std::string& host) {
    const std::string detail =
        transfer.error_text[0] ? std::string(transfer.error_text) : curl_easy_strerror(rc);
    long reply = 0;
    curl_easy_getinfo(transfer.handle.get(), CURLINFO_RESPONSE_CODE, &reply);
    switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
            return fmt::format("cannot resolve the name of {} ({})", what, detail);
        case CURLE_COULDNT_CONNECT:
            return fmt::format("cannot connect to {} ({})", what, detail);
        case CURLE_PEER_FAILED_VERIFICATION:
            return fmt::format("TLS: the certificate of {} is not trusted or does not name it ({})",
                               host, detail);
        case CURLE_SSL_CONNECT_ERROR:
            return fmt::format("TLS handshake with {} failed ({})", what, detail);
        case CURLE_USE_SSL_FAILED:
            return fmt::format("{} does not offer STARTTLS ({})", what, detail);
        case CURLE_LOGIN_DENIED:
            return fmt::format("{} refused the login ({})", what, detail);
        case CURLE_OPERATION_TIMEDOUT:
            return fmt::format("{} timed out ({})", what, detail);
        case CURLE_ABORTED_BY_CALLBACK:
            return fmt::format("transfer to {} cancelled", what);
        default:
            if (reply >= 400)
                return fmt::format("{} replied {} ({})", what, reply, detail);
            return fmt::format("{}: {} ({})", what, curl_easy_strerror(rc), detail);
    }
}

}  // namespace kallithea::remote::detail
