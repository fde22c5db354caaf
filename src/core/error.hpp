// Error values and Result<T>: how expected failures travel between layers (exceptions mean bugs).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace kallithea {

// What kind of failure; surfaces map it to an HTTP status or a CLI exit code.
enum class Errc {
    invalid_argument,  // bad input from a user (400 / form error / exit 2 for usage)
    not_found,         // 404
    conflict,          // duplicate name, state clash (409 / form error)
    unauthorized,      // authentication needed or failed (401)
    forbidden,         // authenticated but not allowed (403)
    too_large,         // 413
    config,            // configuration file or value is wrong (exit 1)
    io,                // file system, sockets, subprocesses
    database,          // SQL errors
    unavailable,       // temporarily not possible (busy, shutting down)
    internal,          // a bug or an impossible state
};

std::string_view errc_name(Errc code);

// `message` is safe to show to a user; `detail` goes to the log only.
struct Error {
    Errc code = Errc::internal;
    std::string message;
    std::string detail;
};

template <class T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(Errc code, std::string message, std::string detail = {}) {
    return tl::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

inline tl::unexpected<Error> fail(Error error) {
    return tl::unexpected<Error>(std::move(error));
}

inline Status ok() {
    return {};
}

}  // namespace kallithea
