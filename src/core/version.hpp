// The product version shown on pages and by `kallithea --version`.
#pragma once

namespace kallithea {
inline constexpr const char* kVersion = "0.7.99+cpp.1";
}
