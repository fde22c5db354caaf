// GoogleTest assertions for Result/Status, for the unit tests of every layer.
#pragma once

#include <utility>

#include <gtest/gtest.h>

#include "core/error.hpp"

#define KALLITHEA_TEST_CONCAT_INNER_(a, b) a##b
#define KALLITHEA_TEST_CONCAT_(a, b) KALLITHEA_TEST_CONCAT_INNER_(a, b)

// ASSERT_OK_AND_ASSIGN(lhs, expr): evaluates expr (a Result<T>) once; when it holds an error,
// fails the test there (as ASSERT_TRUE does: the enclosing function returns void) printing the
// error's message and detail; otherwise moves the value into lhs, which may declare a variable
// (`auto x`, `const std::string s`) or name an existing one. It expands to several statements:
// use it only as a whole statement of a braced block (never as the body of an unbraced if).
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
    ASSERT_OK_AND_ASSIGN_IMPL_(KALLITHEA_TEST_CONCAT_(assert_ok_result_, __LINE__), lhs, expr)

#define ASSERT_OK_AND_ASSIGN_IMPL_(result, lhs, expr)                      \
    auto result = (expr);                                                  \
    ASSERT_TRUE(result) << #expr << ": " << result.error().message << " (" \
                        << result.error().detail << ")";                   \
    lhs = std::move(*result)

// ASSERT_OK(expr): expr (a Result or Status) holds no error; the failure message
// shows the error otherwise.
#define ASSERT_OK(expr)                                                                      \
    do {                                                                                     \
        const auto& assert_ok_status_ = (expr);                                              \
        ASSERT_TRUE(assert_ok_status_) << #expr << ": " << assert_ok_status_.error().message \
                                       << " (" << assert_ok_status_.error().detail << ")";   \
    } while (0)
