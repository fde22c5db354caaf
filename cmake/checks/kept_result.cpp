// Must compile: the same call with its Status looked at (the control of dropped_result.cpp).
#include "core/error.hpp"

kallithea::Status write_something() {
    return kallithea::ok();
}

int main() {
    return write_something() ? 0 : 1;
}
