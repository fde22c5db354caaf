// db-create and db-upgrade: validate the options, create or migrate the schema, seed it.
#include "service/setup.hpp"

#include "service/users/users.hpp"

#include <filesystem>
#include <system_error>

#include "auth/password.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "store/repos/repositories.hpp"
#include "store/seed.hpp"
#include "store/ui.hpp"
#include "vcs/backend.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

namespace fs = std::filesystem;

Status validate(const DbCreateOptions& options) {
    if (auto st = validate_username(options.admin_username); !st)
        return fail(Errc::invalid_argument, "--user: " + st.error().message);
    if (auto st = validate_password(options.admin_password); !st)
        return fail(Errc::invalid_argument, "--password: " + st.error().message);
    if (auto st = validate_email(options.admin_email); !st)
        return fail(Errc::invalid_argument, "--email: " + st.error().message);
    if (!fs::path(options.repos_root).is_absolute())
        return fail(Errc::invalid_argument,
                    "--repos: '" + options.repos_root + "' must be an absolute path");
    return ok();
}

Status prepare_repos_root(const std::string& root) {
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec || !fs::is_directory(root))
        return fail(Errc::io, "--repos: cannot create directory " + root + ": " + ec.message());
    return ok();
}

// Removes an SQLite database file (and its WAL companions) for --force-yes.
Status remove_sqlite_files(const config::DbUrl& url) {
    if (url.engine != config::DbUrl::Engine::sqlite)
        return fail(Errc::invalid_argument,
                    "--force-yes: recreating a PostgreSQL database is not supported; drop and "
                    "create the database with PostgreSQL's tools first");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        fs::remove(url.sqlite_path + suffix, ec);
        if (ec)
            return fail(Errc::io,
                        "cannot remove " + url.sqlite_path + suffix + ": " + ec.message());
    }
    return ok();
}

Result<db::DbState> inspect_database(db::Pool& pool) {
    auto conn = pool.acquire();
    RETURN_IF_ERROR(conn);
    return db::inspect(*conn);
}

// A pool on an empty database: the existing one, or (force) a recreated SQLite file.
Result<std::shared_ptr<db::Pool>> open_empty_database(const config::AppConfig& config, bool force) {
    auto pool = db::Pool::open(config.db, 1);
    RETURN_IF_ERROR(pool);
    auto state = inspect_database(**pool);
    RETURN_IF_ERROR(state);
    if (state->kind == db::DbState::Kind::empty)
        return std::move(*pool);
    if (!force)
        return fail(Errc::conflict, "database " + config.db.redacted() + " already exists (" +
                                        state->describe() +
                                        "); use --force-yes to recreate it (its data is lost)");
    pool->reset();  // closes the file before it is removed
    RETURN_IF_ERROR(remove_sqlite_files(config.db));
    return db::Pool::open(config.db, 1);
}

// Adopting a Kallithea installation: the Git hooks Kallithea installed in its repositories go
// (this server does their work itself). A note for db-upgrade's summary ("" when none).
Result<std::string> retire_kallithea_hooks(db::Connection& conn) {
    auto root = store::Ui(conn).repo_root();
    RETURN_IF_ERROR(root);
    auto names = store::Repositories(conn).all_names();
    RETURN_IF_ERROR(names);
    size_t count = 0;
    for (const auto& name : *names) {
        const std::string path = (fs::path(*root) / name).string();
        const auto type = vcs::detect_repository_type(path);
        auto backend = vcs::backend_for(type.value_or(""));
        if (!type || !backend)
            continue;
        auto retired = (*backend)->adopt(path);
        if (!retired) {
            log::warn("db-upgrade: {}: {} ({})", name, retired.error().message,
                      retired.error().detail);
            continue;
        }
        for (const auto& hook : *retired)
            log::info("db-upgrade: {}: retired Kallithea's {} hook", name, hook);
        count += retired->empty() ? 0 : 1;
    }
    if (count == 0)
        return std::string();
    return "; retired Kallithea's Git hooks in " + std::to_string(count) + " repositories";
}

}  // namespace

Status create_database(const config::AppConfig& config, const DbCreateOptions& options) {
    if (auto valid = validate(options); !valid)
        return valid;
    if (auto root = prepare_repos_root(options.repos_root); !root)
        return root;
    auto pool = open_empty_database(config, options.force);
    RETURN_IF_ERROR(pool);
    auto conn = (*pool)->acquire();
    RETURN_IF_ERROR(conn);
    RETURN_IF_ERROR(db::migrate(*conn));

    auto admin_hash = auth::hash_password(options.admin_password);
    RETURN_IF_ERROR(admin_hash);
    auto default_hash = auth::hash_password(random::hex(16));
    RETURN_IF_ERROR(default_hash);
    store::SeedOptions seed;
    seed.admin_username = options.admin_username;
    seed.admin_password_hash = *admin_hash;
    seed.admin_email = options.admin_email;
    seed.repos_root = fs::path(options.repos_root).lexically_normal().string();
    if (seed.repos_root.size() > 1 && seed.repos_root.back() == '/')
        seed.repos_root.pop_back();
    seed.public_access = options.public_access;
    seed.default_password_hash = *default_hash;
    return store::seed_new_database(*conn, seed);
}

Result<std::string> upgrade_database(const config::AppConfig& config) {
    auto pool = db::Pool::open(config.db, 1);
    RETURN_IF_ERROR(pool);
    auto conn = (*pool)->acquire();
    RETURN_IF_ERROR(conn);
    auto before = db::inspect(*conn);
    RETURN_IF_ERROR(before);
    if (before->kind == db::DbState::Kind::empty)
        return fail(Errc::config, "database " + config.db.redacted() +
                                      " is empty: create it with `kallithea db-create`");
    auto applied = db::migrate(*conn);
    RETURN_IF_ERROR(applied);
    auto after = db::inspect(*conn);
    RETURN_IF_ERROR(after);
    // The schema is upgraded whatever happens here; a database without a repository root (or
    // repositories) has no hooks to retire.
    auto hooks = retire_kallithea_hooks(*conn);
    if (!hooks) {
        log::warn("db-upgrade: Kallithea's Git hooks not checked: {} ({})", hooks.error().message,
                  hooks.error().detail);
        hooks = std::string();
    }
    if (*applied == 0)
        return "database " + config.db.redacted() + " is up to date (" + after->describe() + ")" +
               *hooks;
    return "database " + config.db.redacted() + ": applied " + std::to_string(*applied) +
           " migration(s), now " + after->describe() + *hooks;
}

}  // namespace kallithea::service
