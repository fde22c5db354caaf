// Internal to src/remote: owned libcurl easy handles with the options every transfer shares, and
// libcurl's result codes turned into Error values. The only header that names libcurl types.
#pragma once

#include <memory>
#include <string>

#include <curl/curl.h>

#include "core/error.hpp"
#include "remote/transfer.hpp"

namespace kallithea::remote::detail {

struct EasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistHandle = std::unique_ptr<curl_slist, SlistDeleter>;

// One transfer's handle and the buffers libcurl points into (kept alive as long as the handle).
struct Transfer {
    EasyHandle handle;
    char error_text[CURL_ERROR_SIZE] = {};
    const std::atomic<bool>* cancel = nullptr;
};

// A new handle (libcurl initialised once per process) with the shared options set: no signals,
// only the given protocols (comma-separated, e.g. "smtp,smtps"), peer and host verification
// against the system CA store (or SSL_CERT_FILE / SSL_CERT_DIR), the limits' timeouts, a
// stalled-transfer cut-off and the cancellation flag. Errc::internal when libcurl fails to start.
Result<std::unique_ptr<Transfer>> new_transfer(const char* protocols, const TransferLimits& limits);

// Sets an option, mapping failure to Errc::internal naming the option.
template <class T>
Status set_option(Transfer& transfer, CURLoption option, T value, const char* name) {
    const CURLcode rc = curl_easy_setopt(transfer.handle.get(), option, value);
    if (rc != CURLE_OK)
        return fail(Errc::internal, std::string("libcurl refused option ") + name,
                    curl_easy_strerror(rc));
    return ok();
}

// The one-line reason a transfer to `what` (e.g. "SMTP server mail.example.com:587") failed.
std::string failure_text(const Transfer& transfer, CURLcode rc, const std::string& what,
                         const std::string& host);

}  // namespace kallithea::remote::detail
