// Reading a cookie the client sent (the `Cookie` request headers), shared by the surfaces.
#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace kallithea::http {

// The value of the first `name=value` pair called `name` in the request's Cookie headers (in
// header order, pairs split at ';', leading spaces skipped), as sent (not decoded); "" when the
// request has no such cookie.
std::string cookie_value(const Request& request, std::string_view name);

}  // namespace kallithea::http
