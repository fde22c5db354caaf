// What a Git smart-HTTP handler gets once the gate has let the request through.
#pragma once

#include <memory>

#include "http/message.hpp"
#include "service/app.hpp"
#include "service/git/git_transport.hpp"

namespace kallithea::wire {

struct WireCtx {
    http::Request& req;
    std::shared_ptr<service::App> app;  // shared: response streams run after the handler returns
    service::GitSession session;        // user and repository filled by the gate
};

}  // namespace kallithea::wire
