// Opening the service layer: database pool, schema check, and short-lived caches.
#include "service/app.hpp"

#include <chrono>
#include <mutex>

#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "service/account/login_throttle.hpp"
#include "store/settings.hpp"
#include "store/ui.hpp"
#include "store/users/user_extras.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

using SteadyClock = std::chrono::steady_clock;
// Long enough to spare the database on every request, short enough that a change made by
// another process (or the admin pages) shows quickly.
constexpr auto kCacheTtl = std::chrono::seconds(3);

template <class T>
struct Cached {
    std::optional<T> value;
    SteadyClock::time_point loaded;
};

// entry's value while fresh, else load(connection)'s, kept for kCacheTtl. mutex guards entry.
template <class T, class Load>
Result<T> through_cache(std::mutex& mutex, Cached<T>& entry, db::Pool& pool, Load load) {
    std::lock_guard lock(mutex);
    if (entry.value && SteadyClock::now() - entry.loaded < kCacheTtl)
        return *entry.value;
    auto conn = pool.acquire();
    RETURN_IF_ERROR(conn);
    Result<T> value = load(*conn);
    RETURN_IF_ERROR(value);
    entry.value = *value;
    entry.loaded = SteadyClock::now();
    return value;
}

}  // namespace

struct App::Cache {
    std::mutex mutex;
    Cached<SiteSettings> settings;
    Cached<DefaultUser> default_user;
    Cached<std::string> repo_root;
};

App::App(config::AppConfig config, std::shared_ptr<db::Pool> pool)
    : config_(std::move(config)), pool_(std::move(pool)), cache_(std::make_unique<Cache>()) {}

App::~App() = default;

Result<std::shared_ptr<App>> App::open(const config::AppConfig& config) {
    RETURN_IF_ERROR(LoginThrottleRules::from_ini(config.app));
    auto pool = db::Pool::open(config.db, static_cast<size_t>(config.threads) + 4);
    RETURN_IF_ERROR(pool);
    auto conn = (*pool)->acquire();
    RETURN_IF_ERROR(conn);
    auto state = db::inspect(*conn);
    RETURN_IF_ERROR(state);
    const std::string where = config.db.redacted();
    if (state->kind == db::DbState::Kind::empty)
        return fail(Errc::config, "database " + where + " is empty: run `kallithea db-create -c " +
                                      config.file + "` first");
    if (state->kind != db::DbState::Kind::ours || state->version != db::latest_schema_version())
        return fail(Errc::config, "database " + where + " needs an upgrade (" + state->describe() +
                                      "): run `kallithea db-upgrade -c " + config.file + "`");
    return std::shared_ptr<App>(new App(config, std::move(*pool)));
}

Result<SiteSettings> App::settings() {
    return through_cache(cache_->mutex, cache_->settings, *pool_,
                         [](db::Connection& conn) -> Result<SiteSettings> {
                             auto rows = store::Settings(conn).all();
                             RETURN_IF_ERROR(rows);
                             SiteSettings settings;
                             for (auto& [name, value] : *rows)
                                 settings.all[name] = value.value;
                             if (auto it = settings.all.find("title"); it != settings.all.end())
                                 settings.title = it->second;
                             if (auto it = settings.all.find("realm"); it != settings.all.end())
                                 settings.realm = it->second;
                             return settings;
                         });
}

Result<App::DefaultUser> App::default_user() {
    return through_cache(cache_->mutex, cache_->default_user, *pool_,
                         [](db::Connection& conn) -> Result<DefaultUser> {
                             auto row = store::Users(conn).by_username("default");
                             RETURN_IF_ERROR(row);
                             DefaultUser user;
                             if (!*row)
                                 return user;
                             user.user_id = (*row)->user_id;
                             user.active = (*row)->active;
                             auto ips = store::UserIps(conn).active_networks(user.user_id);
                             RETURN_IF_ERROR(ips);
                             user.ip_whitelist = std::move(*ips);
                             return user;
                         });
}

Result<std::string> App::repo_root() {
    return through_cache(cache_->mutex, cache_->repo_root, *pool_,
                         [](db::Connection& conn) { return store::Ui(conn).repo_root(); });
}

Result<AuthUser> App::anonymous_user() {
    auto def = default_user();
    RETURN_IF_ERROR(def);
    AuthUser user;  // nobody, unless `default` exists and is active
    if (def->user_id && def->active) {
        user.user_id = def->user_id;
        user.username = "default";
        user.is_default = true;
    }
    return user;
}

void App::invalidate_caches() {
    std::lock_guard lock(cache_->mutex);
    cache_->settings.value.reset();
    cache_->default_user.value.reset();
    cache_->repo_root.value.reset();
}

}  // namespace kallithea::service
