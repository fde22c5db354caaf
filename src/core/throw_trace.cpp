// Captures a stack trace at every C++ throw (a __cxa_throw hook) so that the request dispatcher
// and main() can log where a bug was thrown, not just where it was caught; fatal-signal traces.
#include "core/throw_trace.hpp"

#include <cxxabi.h>
#include <dlfcn.h>

#include <exception>
#include <sstream>
#include <typeinfo>

#include <backward.hpp>

namespace {

thread_local backward::StackTrace t_throw_trace;
thread_local bool t_has_trace = false;

using CxaThrow = void (*)(void*, std::type_info*, void (*)(void*));

}  // namespace

// Our definition wins over libstdc++'s; we record the stack, then forward to the real one.
// (Noreturn comes from <cxxabi.h>'s declaration; clang refuses the attribute on a redeclaration.)
extern "C" void __cxa_throw(void* object, std::type_info* type, void (*destructor)(void*)) {
    t_throw_trace = backward::StackTrace();
    t_throw_trace.load_here(48);
    t_throw_trace.skip_n_firsts(1);
    t_has_trace = true;
    static const auto real = reinterpret_cast<CxaThrow>(dlsym(RTLD_NEXT, "__cxa_throw"));
    real(object, type, destructor);
    __builtin_unreachable();
}

namespace kallithea::trace {

std::string describe_current_exception() {
    // Copy first: the rethrow below passes through the hook again.
    const backward::StackTrace captured = t_throw_trace;
    const bool has_trace = t_has_trace;
    std::ostringstream out;
    const std::exception_ptr current = std::current_exception();
    if (current) {
        try {
            std::rethrow_exception(current);
        } catch (const std::exception& e) {
            out << typeid(e).name() << ": " << e.what() << "\n";
        } catch (...) {  // NOLINT: we only describe it; the caller decides what to do
            out << "non-standard exception\n";
        }
    }
    if (!has_trace) {
        out << "(no stack trace was captured at the throw site)\n";
        return out.str();
    }
    out << "thrown at:\n";
    backward::Printer printer;
    printer.snippet = false;
    printer.color_mode = backward::ColorMode::never;
    printer.address = true;
    printer.print(captured, out);
    return out.str();
}

void install_crash_handler() {
    static backward::SignalHandling handler;
    (void)handler;
}

}  // namespace kallithea::trace
