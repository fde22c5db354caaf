// Kallithea's permission rules end to end, table-driven: grant rows written to a real (SQLite)
// database, effective permissions read back through the service functions every surface uses.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "db/testing/test_database.hpp"
#include "service/app.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "store/seed.hpp"

using namespace kallithea;
using perm::Level;

namespace {

class PermissionRules : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<db::testing::FreshDatabase>(db::Dialect::sqlite);
        ASSERT_TRUE(db_->pool) << db_->open_error;
        {
            auto conn = db_->pool->acquire();
            ASSERT_TRUE(conn);
            ASSERT_TRUE(db::migrate(*conn));
            store::SeedOptions seed;
            seed.admin_username = "admin";
            seed.admin_password_hash = "x";
            seed.admin_email = "admin@example.com";
            seed.repos_root = db_->dir.path().string();
            seed.public_access = true;
            seed.default_password_hash = "x";
            ASSERT_TRUE(store::seed_new_database(*conn, seed));
        }
        config::AppConfig config;
        config.db = db_->url;
        auto app = service::App::open(config);
        ASSERT_TRUE(app) << app.error().message;
        app_ = *app;
        user_id_ = add_user("u");
        owner_id_ = add_user("owner");
        default_id_ = id_of("SELECT user_id FROM users WHERE username = 'default'");
    }

    void sql(const std::string& statement) {
        auto conn = app_->pool().acquire();
        ASSERT_TRUE(conn);
        auto st = conn->exec(statement);
        ASSERT_TRUE(st) << statement << ": " << st.error().detail;
    }
    int64_t id_of(const std::string& query) {
        auto conn = app_->pool().acquire();
        auto id = conn->scalar<int64_t>(query);
        return id && *id ? **id : 0;
    }
    int64_t add_user(const std::string& name) {
        sql("INSERT INTO users (username, password, active, admin, firstname, lastname, email, "
            "api_key, created_on) VALUES ('" +
            name + "', 'x', 1, 0, '', '', '" + name + "@example.com', '" + name +
            "key', '2024-01-01 00:00:00')");
        return id_of("SELECT user_id FROM users WHERE username = '" + name + "'");
    }
    int64_t add_group(const std::string& name, bool active, bool with_u) {
        sql("INSERT INTO users_groups (users_group_name, users_group_active, user_id, created_on) "
            "VALUES ('" +
            name + "', " + (active ? "1" : "0") + ", 1, '2024-01-01 00:00:00')");
        const int64_t id = id_of(
            "SELECT users_group_id FROM users_groups WHERE users_group_name = '" + name + "'");
        if (with_u)
            sql("INSERT INTO users_groups_members (users_group_id, user_id) VALUES (" +
                std::to_string(id) + ", " + std::to_string(user_id_) + ")");
        return id;
    }
    std::string perm(const std::string& name) {
        return "(SELECT permission_id FROM permissions WHERE permission_name = '" + name + "')";
    }
    service::AuthUser user(bool admin = false) {
        service::AuthUser u;
        u.user_id = user_id_;
        u.username = "u";
        u.admin = admin;
        return u;
    }
    service::AuthUser anonymous() {
        service::AuthUser u;
        u.user_id = default_id_;
        u.username = "default";
        u.is_default = true;
        return u;
    }

    std::unique_ptr<db::testing::FreshDatabase> db_;
    std::shared_ptr<service::App> app_;
    int64_t user_id_ = 0, owner_id_ = 0, default_id_ = 0;
};

// One repository scenario: how the repository "r" is set up, then the level `u` gets.
struct RepoCase {
    const char* name;
    bool is_private = false;
    bool u_owns = false;
    bool u_admin = false;
    const char* default_row = "repository.read";  // nullptr: no row
    const char* explicit_row = nullptr;
    std::vector<std::pair<const char*, bool>> group_rows;  // (permission, group active)
    Level expected = Level::none;
};

Level effective(const Result<service::RepoInfo>& info) {
    if (info)
        return info->level;
    return info.error().code == Errc::not_found ? Level::none : Level::read;
}

}  // namespace

TEST_F(PermissionRules, Repositories) {
    const RepoCase cases[] = {
        {"default baseline", false, false, false, "repository.read", nullptr, {}, Level::read},
        {"default none hides", false, false, false, "repository.none", nullptr, {}, Level::none},
        {"default write", false, false, false, "repository.write", nullptr, {}, Level::write},
        {"group bump",
         false,
         false,
         false,
         "repository.read",
         nullptr,
         {{"repository.write", true}},
         Level::write},
        {"highest of two groups",
         false,
         false,
         false,
         "repository.none",
         nullptr,
         {{"repository.read", true}, {"repository.admin", true}},
         Level::admin},
        {"inactive group ignored",
         false,
         false,
         false,
         "repository.none",
         nullptr,
         {{"repository.admin", false}},
         Level::none},
        {"explicit bump",
         false,
         false,
         false,
         "repository.read",
         "repository.admin",
         {},
         Level::admin},
        {"explicit none does not lower",
         false,
         false,
         false,
         "repository.write",
         "repository.none",
         {},
         Level::write},
        {"group none does not lower",
         false,
         false,
         false,
         "repository.read",
         nullptr,
         {{"repository.none", true}},
         Level::read},
        {"private drops the default row",
         true,
         false,
         false,
         "repository.read",
         nullptr,
         {},
         Level::none},
        {"private + owner", true, true, false, "repository.none", nullptr, {}, Level::admin},
        {"owner of a public repository",
         false,
         true,
         false,
         "repository.read",
         nullptr,
         {},
         Level::admin},
        {"private + explicit grant",
         true,
         false,
         false,
         "repository.none",
         "repository.read",
         {},
         Level::read},
        {"private + group grant",
         true,
         false,
         false,
         "repository.none",
         nullptr,
         {{"repository.write", true}},
         Level::write},
        {"private + inactive group grant",
         true,
         false,
         false,
         "repository.none",
         nullptr,
         {{"repository.write", false}},
         Level::none},
        {"admin", true, false, true, "repository.none", "repository.none", {}, Level::admin},
    };
    int n = 0;
    for (const auto& c : cases) {
        const std::string name = "r" + std::to_string(++n);
        sql("INSERT INTO repositories (repo_name, repo_state, repo_type, user_id, private, "
            "statistics, downloads, description, created_on, updated_on, landing_revision) "
            "VALUES ('" +
            name + "', 'repo_state_created', 'git', " +
            std::to_string(c.u_owns ? user_id_ : owner_id_) + ", " + (c.is_private ? "1" : "0") +
            ", 0, 1, '', '2024-01-01 00:00:00', '2024-01-01 00:00:00', 'rev:tip')");
        const std::string repo_id = std::to_string(
            id_of("SELECT repo_id FROM repositories WHERE repo_name = '" + name + "'"));
        if (c.default_row)
            sql("INSERT INTO repo_to_perm (user_id, permission_id, repository_id) VALUES (" +
                std::to_string(default_id_) + ", " + perm(c.default_row) + ", " + repo_id + ")");
        if (c.explicit_row)
            sql("INSERT INTO repo_to_perm (user_id, permission_id, repository_id) VALUES (" +
                std::to_string(user_id_) + ", " + perm(c.explicit_row) + ", " + repo_id + ")");
        int g = 0;
        for (const auto& [permission, active] : c.group_rows) {
            const int64_t group = add_group(name + "-g" + std::to_string(++g), active, true);
            sql("INSERT INTO users_group_repo_to_perm (users_group_id, permission_id, "
                "repository_id) VALUES (" +
                std::to_string(group) + ", " + perm(permission) + ", " + repo_id + ")");
        }
        auto info = service::authorize_repository(*app_, user(c.u_admin), name, Level::read);
        EXPECT_EQ(effective(info), c.expected) << c.name;
        // Anonymous visitors get exactly the default row, or nothing when private.
        auto anon = service::authorize_repository(*app_, anonymous(), name, Level::read);
        const Level anon_expected = c.is_private || !c.default_row
                                        ? Level::none
                                        : *perm::parse_level(perm::Kind::repository, c.default_row);
        EXPECT_EQ(effective(anon), anon_expected) << c.name << " (anonymous)";
    }
}

TEST_F(PermissionRules, NeededLevelIsForbiddenNotMissing) {
    sql("INSERT INTO repositories (repo_name, repo_state, repo_type, user_id, private, statistics, "
        "downloads, description, created_on, updated_on, landing_revision) VALUES ('pub', "
        "'repo_state_created', 'git', " +
        std::to_string(owner_id_) +
        ", 0, 0, 1, '', '2024-01-01 00:00:00', '2024-01-01 00:00:00', 'rev:tip')");
    sql("INSERT INTO repo_to_perm (user_id, permission_id, repository_id) VALUES (" +
        std::to_string(default_id_) + ", " + perm("repository.read") +
        ", (SELECT repo_id FROM repositories WHERE repo_name = 'pub'))");
    auto push = service::authorize_repository(*app_, user(), "pub", Level::write);
    ASSERT_FALSE(push);
    EXPECT_EQ(push.error().code, Errc::forbidden);
    auto missing = service::authorize_repository(*app_, user(), "nope", Level::read);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_F(PermissionRules, RepositoryGroupsHaveNoOwnerShortcut) {
    struct GroupCase {
        const char* name;
        bool u_owns, u_admin;
        const char* default_row;
        const char* explicit_row;
        std::vector<std::pair<const char*, bool>> group_rows;
        Level expected;
    };
    const GroupCase cases[] = {
        {"default baseline", false, false, "group.read", nullptr, {}, Level::read},
        {"owner gets nothing extra", true, false, "group.none", nullptr, {}, Level::none},
        {"group bump", false, false, "group.read", nullptr, {{"group.write", true}}, Level::write},
        {"inactive group ignored",
         false,
         false,
         "group.none",
         nullptr,
         {{"group.admin", false}},
         Level::none},
        {"explicit bump", false, false, "group.read", "group.admin", {}, Level::admin},
        {"explicit none does not lower",
         false,
         false,
         "group.write",
         "group.none",
         {},
         Level::write},
        {"admin", false, true, "group.none", nullptr, {}, Level::admin},
    };
    int n = 0;
    for (const auto& c : cases) {
        const std::string name = "g" + std::to_string(++n);
        sql("INSERT INTO groups (group_name, group_description, user_id, created_on) VALUES ('" +
            name + "', '', " + std::to_string(c.u_owns ? user_id_ : owner_id_) +
            ", '2024-01-01 00:00:00')");
        const int64_t group_id =
            id_of("SELECT group_id FROM groups WHERE group_name = '" + name + "'");
        const std::string gid = std::to_string(group_id);
        if (c.default_row)
            sql("INSERT INTO user_repo_group_to_perm (user_id, group_id, permission_id) VALUES (" +
                std::to_string(default_id_) + ", " + gid + ", " + perm(c.default_row) + ")");
        if (c.explicit_row)
            sql("INSERT INTO user_repo_group_to_perm (user_id, group_id, permission_id) VALUES (" +
                std::to_string(user_id_) + ", " + gid + ", " + perm(c.explicit_row) + ")");
        int g = 0;
        for (const auto& [permission, active] : c.group_rows) {
            const int64_t ug = add_group(name + "-ug" + std::to_string(++g), active, true);
            sql("INSERT INTO users_group_repo_group_to_perm (users_group_id, group_id, "
                "permission_id) VALUES (" +
                std::to_string(ug) + ", " + gid + ", " + perm(permission) + ")");
        }
        auto level = service::repo_group_level(*app_, user(c.u_admin), group_id);
        ASSERT_TRUE(level) << c.name;
        EXPECT_EQ(*level, c.expected) << c.name;
    }
}

TEST_F(PermissionRules, GlobalPermissionsAreTheUnionWithHighestWeightPerKind) {
    // Seeded defaults: repository.read, group.read, usergroup.read, hg.create.repository,
    // hg.fork.repository, hg.register.manual_activate, hg.extern_activate.auto.
    sql("DELETE FROM user_to_perm WHERE user_id = " + std::to_string(default_id_) +
        " AND permission_id IN (" + perm("hg.create.repository") + ", " +
        perm("hg.fork.repository") + ")");
    sql("INSERT INTO user_to_perm (user_id, permission_id) VALUES (" + std::to_string(default_id_) +
        ", " + perm("hg.create.none") + ")");
    sql("INSERT INTO user_to_perm (user_id, permission_id) VALUES (" + std::to_string(default_id_) +
        ", " + perm("hg.fork.none") + ")");
    auto base = service::global_permissions(*app_, user());
    ASSERT_TRUE(base);
    EXPECT_TRUE(base->count("hg.create.none"));
    EXPECT_TRUE(base->count("hg.fork.none"));
    EXPECT_TRUE(base->count("hg.register.manual_activate"));

    // An inactive group's grant adds nothing; an active one raises; the user's own raises.
    const int64_t inactive = add_group("inactive", false, true);
    sql("INSERT INTO users_group_to_perm (users_group_id, permission_id) VALUES (" +
        std::to_string(inactive) + ", " + perm("hg.create.repository") + ")");
    auto still = service::global_permissions(*app_, user());
    ASSERT_TRUE(still);
    EXPECT_TRUE(still->count("hg.create.none"));
    EXPECT_FALSE(still->count("hg.create.repository"));

    const int64_t active = add_group("active", true, true);
    sql("INSERT INTO users_group_to_perm (users_group_id, permission_id) VALUES (" +
        std::to_string(active) + ", " + perm("hg.create.repository") + ")");
    sql("INSERT INTO user_to_perm (user_id, permission_id) VALUES (" + std::to_string(user_id_) +
        ", " + perm("hg.fork.repository") + ")");
    // A lower own grant never lowers the default's register permission.
    sql("INSERT INTO user_to_perm (user_id, permission_id) VALUES (" + std::to_string(user_id_) +
        ", " + perm("hg.register.none") + ")");
    auto raised = service::global_permissions(*app_, user());
    ASSERT_TRUE(raised);
    EXPECT_TRUE(raised->count("hg.create.repository"));
    EXPECT_FALSE(raised->count("hg.create.none"));
    EXPECT_TRUE(raised->count("hg.fork.repository"));
    EXPECT_TRUE(raised->count("hg.register.manual_activate"));
    EXPECT_FALSE(raised->count("hg.register.none"));

    auto admin = service::global_permissions(*app_, user(true));
    ASSERT_TRUE(admin);
    EXPECT_EQ(*admin, std::set<std::string>{"hg.admin"});
}

TEST_F(PermissionRules, IpWhitelistIsDefaultsUnionOwn) {
    auto open = service::ip_allowed(*app_, user_id_, "10.1.2.3");
    ASSERT_TRUE(open);
    EXPECT_TRUE(*open) << "no entries: everything allowed";
    sql("INSERT INTO user_ip_map (user_id, ip_addr, active) VALUES (" + std::to_string(user_id_) +
        ", '10.0.0.0/8', 1)");
    EXPECT_TRUE(*service::ip_allowed(*app_, user_id_, "10.1.2.3"));
    EXPECT_FALSE(*service::ip_allowed(*app_, user_id_, "192.168.0.1"));
    EXPECT_TRUE(*service::ip_allowed(*app_, owner_id_, "192.168.0.1")) << "other users unaffected";
    sql("INSERT INTO user_ip_map (user_id, ip_addr, active) VALUES (" +
        std::to_string(default_id_) + ", '192.168.0.0/16', 1)");
    app_->invalidate_caches();
    EXPECT_TRUE(*service::ip_allowed(*app_, user_id_, "192.168.0.1")) << "global entries count";
    EXPECT_FALSE(*service::ip_allowed(*app_, owner_id_, "10.1.2.3")) << "global list applies";
    EXPECT_FALSE(*service::ip_allowed(*app_, std::nullopt, "10.1.2.3"));
    sql("INSERT INTO user_ip_map (user_id, ip_addr, active) VALUES (" + std::to_string(user_id_) +
        ", '172.16.0.1', 0)");
    EXPECT_FALSE(*service::ip_allowed(*app_, user_id_, "172.16.0.1")) << "inactive entry";
}
