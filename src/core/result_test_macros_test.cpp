// The Result assertions of core/testing/result_test_macros.hpp.
#include "core/testing/result_test_macros.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>

namespace kallithea {
namespace {

Result<std::string> found() {
    return std::string("value");
}

Result<std::string> missing() {
    return fail(Errc::not_found, "no such thing", "looked everywhere");
}

void assign_missing() {
    ASSERT_OK_AND_ASSIGN(auto value, missing());
    ADD_FAILURE() << "not reached: " << value;
}

void assert_ok_missing() {
    ASSERT_OK(missing());
}

TEST(ResultTestMacros, AssignsTheValue) {
    ASSERT_OK_AND_ASSIGN(auto value, found());
    EXPECT_EQ(value, "value");
    std::string existing;
    ASSERT_OK_AND_ASSIGN(existing, found());
    EXPECT_EQ(existing, "value");
    ASSERT_OK(found());
    ASSERT_OK(ok());
}

TEST(ResultTestMacros, FailsWithTheErrorAndStops) {
    EXPECT_FATAL_FAILURE(assign_missing(), "no such thing (looked everywhere)");
    EXPECT_FATAL_FAILURE(assert_ok_missing(), "missing(): no such thing");
}

}  // namespace
}  // namespace kallithea
