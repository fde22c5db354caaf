// The service layer's shared state for one server process: configuration, the database pool and
// short-lived caches (nothing that must stay consistent across processes).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/app_config.hpp"
#include "core/error.hpp"
#include "service/account/auth_user.hpp"

namespace kallithea::db {
class Pool;
}

namespace kallithea::service {

// Site-wide settings from the `settings` table, typed.
struct SiteSettings {
    std::string title;  // empty: "Kallithea"
    std::string realm = "Kallithea";
    std::map<std::string, std::string> all;
};

class App {
public:
    // Opens the database named by the config and checks that its schema is current.
    // Fails with Errc::config/database and a one-line message (e.g. "run db-upgrade").
    static Result<std::shared_ptr<App>> open(const config::AppConfig& config);
    ~App();

    const config::AppConfig& config() const { return config_; }
    db::Pool& pool() { return *pool_; }
    // Cached for a few seconds; several processes may share the database.
    Result<SiteSettings> settings();
    // The anonymous `default` user while it is active, else "nobody" (anonymous access off).
    // Cached for a few seconds like settings().
    Result<AuthUser> anonymous_user();
    // The `default` user's id and its IP whitelist (the global one), cached the same way.
    struct DefaultUser {
        int64_t user_id = 0;
        bool active = false;
        std::vector<std::string> ip_whitelist;  // active user_ip_map entries
    };
    Result<DefaultUser> default_user();
    // The repository root (the `ui` paths row), cached the same way; for reading pages (writers
    // read the row themselves).
    Result<std::string> repo_root();
    // Drops the cached settings, `default` user and root (after this process changed them).
    void invalidate_caches();

private:
    App(config::AppConfig config, std::shared_ptr<db::Pool> pool);
    struct Cache;
    config::AppConfig config_;
    std::shared_ptr<db::Pool> pool_;
    std::unique_ptr<Cache> cache_;
};

}  // namespace kallithea::service
