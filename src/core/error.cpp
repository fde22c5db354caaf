// Names of error codes, for logs.
#include "core/error.hpp"

namespace kallithea {

std::string_view errc_name(Errc code) {
    switch (code) {
        case Errc::invalid_argument:
            return "invalid_argument";
        case Errc::not_found:
            return "not_found";
        case Errc::conflict:
            return "conflict";
        case Errc::unauthorized:
            return "unauthorized";
        case Errc::forbidden:
            return "forbidden";
        case Errc::too_large:
            return "too_large";
        case Errc::config:
            return "config";
        case Errc::io:
            return "io";
        case Errc::database:
            return "database";
        case Errc::unavailable:
            return "unavailable";
        case Errc::internal:
            return "internal";
    }
    return "unknown";
}

}  // namespace kallithea
