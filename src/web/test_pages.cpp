// Routes compiled only into test builds (KALLITHEA_TEST_ROUTES): a deliberate bug, a deliberate
// crash, and a large streamed response for the graceful-shutdown test.
#ifdef KALLITHEA_TEST_ROUTES

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "web/routes.hpp"

namespace kallithea::web {
namespace {

[[gnu::noinline]] void deliberately_failing_test_handler() {
    throw std::runtime_error("deliberate failure from the test route");
}

[[gnu::noinline]] void deliberately_crashing_test_handler() {
    std::abort();
}

}  // namespace

// Kills the process with SIGABRT: the crash handler must print a stack trace first.
http::Response test_abort(Ctx&) {
    deliberately_crashing_test_handler();
    return http::Response::text(200, "unreachable");
}

http::Response test_throw(Ctx&) {
    deliberately_failing_test_handler();
    return http::Response::text(200, "unreachable");
}

// ?mb=N (default 64) megabytes, written slowly enough (?delay_ms per MB) for a test to act.
http::Response test_stream(Ctx& ctx) {
    const int megabytes = std::stoi(ctx.req.query_param("mb").value_or("64"));
    const int delay_ms = std::stoi(ctx.req.query_param("delay_ms").value_or("20"));
    http::Response response;
    response.headers.set("Content-Type", "application/octet-stream");
    response.headers.set("Content-Length", std::to_string(int64_t{megabytes} << 20));
    response.stream = [megabytes, delay_ms](http::BodyWriter& out) {
        const std::string chunk(1 << 20, 'k');
        for (int i = 0; i < megabytes; ++i) {
            if (!out.write(chunk))
                return;
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        }
    };
    return response;
}

}  // namespace kallithea::web

#endif
