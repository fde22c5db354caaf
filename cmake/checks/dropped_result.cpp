// Must NOT compile: a dropped Status is an error (see cmake/nodiscard_check.cmake).
#include "core/error.hpp"

kallithea::Status write_something() {
    return kallithea::ok();
}

int main() {
    write_something();
    return 0;
}
