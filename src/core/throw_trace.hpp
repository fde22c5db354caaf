// Stack traces for bugs: the trace captured where the current exception was thrown, and
// traces printed on fatal signals (SIGSEGV, SIGABRT, ...).
#pragma once

#include <string>

namespace kallithea::trace {

// Inside a catch block: the exception's type and what(), and the stack of the throw site
// (function names, files and lines where debug information allows). Never fails; says so
// when no trace was captured.
std::string describe_current_exception();

// Installs handlers that print a stack trace to stderr on SIGSEGV, SIGABRT, SIGBUS, SIGFPE and
// SIGILL before the process dies. Call once, early in main().
void install_crash_handler();

}  // namespace kallithea::trace
