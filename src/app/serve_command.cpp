// `serve`: load the config, open the database, and run the HTTP server until SIGTERM/SIGINT.
#include <algorithm>
#include <chrono>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "app/commands.hpp"
#include "config/app_config.hpp"
#include "core/log.hpp"
#include "http/server.hpp"
#include "service/app.hpp"
#include "service/mail/mail.hpp"
#include "service/mail/mail_sender.hpp"
#include "web/site.hpp"
#include "wire/git_http.hpp"

namespace kallithea::app {

namespace {

// Pages are built in buffers of up to a few megabytes. glibc's default serves those with a fresh
// mmap() each (and trims freed heap tops), so every big page paid its size again in page faults
// (measured: half the CPU of a 1 MB changeset page). Keep such buffers in the heap for reuse.
void tune_allocator() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
}

// The server's address and limits: the command line's host and port over the ini's.
http::ServerOptions server_options_of(const config::AppConfig& config,
                                      const ServeOptions& options) {
    http::ServerOptions server_options;
    server_options.host = options.host.empty() ? config.host : options.host;
    server_options.port = static_cast<uint16_t>(options.port ? options.port : config.port);
    server_options.workers = std::max<size_t>(4, config.threads);
    server_options.max_body_bytes = config.max_request_body_size;
    server_options.header_timeout = std::chrono::seconds(config.header_timeout);
    server_options.body_timeout = std::chrono::seconds(config.body_timeout);
    server_options.response_timeout = std::chrono::seconds(config.response_timeout);
    server_options.min_rate_bytes = config.min_rate_bytes;
    server_options.min_rate_window = std::chrono::seconds(config.min_rate_window);
    server_options.spool_dir = config.spool_dir;
    return server_options;
}

// Binds the server of both surfaces: the web UI and Git smart HTTP.
Result<std::unique_ptr<http::Server>> bind_server(const http::ServerOptions& server_options,
                                                  const std::shared_ptr<service::App>& app) {
    auto site = std::make_shared<web::Site>(app);
    auto git = std::make_shared<wire::GitHttp>(app);
    return http::Server::bind(
        server_options,
        [site, git](http::Request& request) {
            // Git smart HTTP (clone, fetch, push) first, as Kallithea's SimpleGit middleware.
            if (wire::GitHttp::claims(request))
                return git->handle(request);
            return site->handle(request);
        },
        [site](int status, const std::string& request_id) {
            return site->error_page(status, request_id);
        },
        // Before a large body is received: the same credential and permission checks, or the
        // form size limit, so that no refused request costs more than its head.
        [site, git](http::Request& request) {
            if (wire::GitHttp::claims(request))
                return git->admit(request);
            return site->admit(request);
        });
}

}  // namespace

int run_serve(const ServeOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    tune_allocator();
    auto config = config::AppConfig::load(options.config_file);
    if (!config) {
        print_error(config.error().message);
        return kExitFailure;
    }
    log::init(config->log_level);
    auto app = service::App::open(*config);
    if (!app) {
        print_error(app.error().message);
        if (!app.error().detail.empty())
            log::debug("{}", app.error().detail);
        return kExitFailure;
    }
    apply_vcs_settings(*config);
    const http::ServerOptions server_options = server_options_of(*config, options);
    auto server = bind_server(server_options, *app);
    if (!server) {
        print_error(server.error().message);
        return kExitFailure;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    log::info("serving on http://{}:{}/ ({} workers, started in {} ms)", server_options.host,
              (*server)->port(), server_options.workers, ms);
    if (!service::mail_link_base(*config))
        service::log_missing_canonical_url("mail with links (password resets, registrations)");
    // Mail leaves the request path: one sender thread works through the queued mails.
    auto mail_sender = service::MailSender::start(*app);
    (*server)->run();
    mail_sender->stop();
    log::info("stopped");
    return kExitOk;
}

}  // namespace kallithea::app
