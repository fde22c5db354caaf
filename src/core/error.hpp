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

// `message` is safe to show to a user; `detail` goes to the log only. `field` names the form
// field at fault when the error is a user's to correct on a form (empty otherwise).
struct Error {
    Errc code = Errc::internal;
    std::string message;
    std::string detail;
    std::string field;
};

// A value or the Error that prevented it. [[nodiscard]] (which tl::expected 1.0 lacks): dropping
// a returned Result or Status is a compile error (cmake/nodiscard_check.cmake proves it); so is
// a fail(...) or ok() whose value goes nowhere.
template <class T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
    using Base = tl::expected<T, Error>;

public:
    using Base::Base;
    Result() = default;
    Result(const Base& other) : Base(other) {}
    Result(Base&& other) : Base(std::move(other)) {}
};

using Status = Result<void>;

[[nodiscard]] inline tl::unexpected<Error> fail(Errc code, std::string message,
                                                std::string detail = {}) {
    return tl::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

[[nodiscard]] inline tl::unexpected<Error> fail(Error error) {
    return tl::unexpected<Error>(std::move(error));
}

// An error a user corrects on a form: `message` is shown beside the form field `field`.
[[nodiscard]] inline tl::unexpected<Error> fail_field(Errc code, std::string field,
                                                      std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message), {}, std::move(field)});
}

// `error` blamed on the form field `field`.
[[nodiscard]] inline tl::unexpected<Error> fail_field(std::string field, Error error) {
    error.field = std::move(field);
    return tl::unexpected<Error>(std::move(error));
}

[[nodiscard]] inline Status ok() {
    return {};
}

}  // namespace kallithea

// Returns the error of `result` (a Result or Status, evaluated once) from the enclosing function,
// which returns a Result or Status too; does nothing when it holds a value.
#define RETURN_IF_ERROR(result)                                            \
    do {                                                                   \
        auto&& return_if_error_ = (result);                                \
        if (!return_if_error_)                                             \
            return ::kallithea::fail(std::move(return_if_error_).error()); \
    } while (0)
