// Tests that the throw-site stack trace names the function that threw.
#include "core/throw_trace.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace {

[[gnu::noinline]] void deliberately_throwing_function() {
    throw std::runtime_error("boom from the test");
}

}  // namespace

TEST(ThrowTrace, NamesTheThrowSite) {
    std::string text;
    try {
        deliberately_throwing_function();
    } catch (const std::exception&) {
        text = kallithea::trace::describe_current_exception();
    }
    EXPECT_NE(text.find("boom from the test"), std::string::npos) << text;
    EXPECT_NE(text.find("deliberately_throwing_function"), std::string::npos) << text;
}
