// Tests of seed_new_database: exactly the rows Kallithea's db-create writes.
#include "store/seed.hpp"

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/permissions/permissions.hpp"
#include "store/settings.hpp"
#include "store/testing/store_test.hpp"
#include "store/ui.hpp"
#include "store/users/users.hpp"

namespace kallithea::store {
namespace {

class SeedTest : public testing::StoreTest {};

TEST_P(SeedTest, WritesPermissionsUsersAndDefaults) {
    seed();
    auto perms = Permissions(conn()).all();
    ASSERT_TRUE(perms);
    ASSERT_EQ(perms->size(), 24u);
    for (size_t i = 0; i < perms->size(); ++i) {
        EXPECT_EQ((*perms)[i].permission_id, static_cast<int64_t>(i + 1));
        EXPECT_EQ((*perms)[i].name, kPermissionNames[i]);
    }

    auto users = Users(conn()).list();
    ASSERT_TRUE(users);
    ASSERT_EQ(users->size(), 2u);
    const UserRow& anon = (*users)[0];
    EXPECT_EQ(anon.user_id, 1);
    EXPECT_EQ(anon.username, "default");
    EXPECT_EQ(anon.firstname, "Anonymous");
    EXPECT_EQ(anon.lastname, "User");
    EXPECT_EQ(anon.email, std::optional<std::string>("anonymous@kallithea-scm.org"));
    EXPECT_TRUE(anon.active);
    EXPECT_FALSE(anon.admin);
    EXPECT_EQ(anon.password, seed_options().default_password_hash);
    EXPECT_EQ(anon.extern_type, std::nullopt);
    EXPECT_EQ(anon.extern_name, std::nullopt);
    const UserRow& admin = (*users)[1];
    EXPECT_EQ(admin.user_id, 2);
    EXPECT_EQ(admin.username, "admin");
    EXPECT_EQ(admin.firstname, "Kallithea");
    EXPECT_EQ(admin.lastname, "Admin");
    EXPECT_EQ(admin.email, std::optional<std::string>("admin@example.com"));
    EXPECT_TRUE(admin.active);
    EXPECT_TRUE(admin.admin);
    EXPECT_EQ(admin.extern_type, std::optional<std::string>("internal"));
    EXPECT_EQ(admin.extern_name, std::nullopt);
    EXPECT_EQ(admin.last_login, std::nullopt);
    EXPECT_EQ(admin.created_on.size(), 26u);
    for (const UserRow* u : {&anon, &admin}) {
        EXPECT_EQ(u->api_key.size(), 40u);
        EXPECT_EQ(u->api_key.find_first_not_of("0123456789abcdef"), std::string::npos);
    }
    EXPECT_NE(anon.api_key, admin.api_key);

    auto defaults = Permissions(conn()).user_global(1);
    ASSERT_TRUE(defaults);
    EXPECT_EQ(*defaults, (std::vector<std::string>(kDefaultUserPermissions.begin(),
                                                   kDefaultUserPermissions.end())));
    auto admin_perms = Permissions(conn()).user_global(2);
    ASSERT_TRUE(admin_perms);
    EXPECT_TRUE(admin_perms->empty());
}

TEST_P(SeedTest, WritesSettingsAndUiRows) {
    seed();
    auto settings = Settings(conn()).all();
    ASSERT_TRUE(settings);
    EXPECT_EQ(settings->size(), 19u);
    EXPECT_EQ(settings->at("realm").value, "Kallithea");
    EXPECT_EQ(settings->at("realm").type, "unicode");
    EXPECT_EQ(settings->at("title").value, "");
    EXPECT_EQ(settings->at("dashboard_items").value, "100");
    EXPECT_EQ(settings->at("dashboard_items").type, "int");
    EXPECT_EQ(settings->at("show_public_icon").value, "True");
    EXPECT_EQ(settings->at("show_public_icon").type, "bool");
    EXPECT_EQ(settings->at("auth_plugins").value, "kallithea.lib.auth_modules.auth_internal");
    EXPECT_EQ(settings->at("auth_plugins").type, "list");
    EXPECT_EQ(settings->at("default_repo_type").value, "hg");
    EXPECT_EQ(settings->at("gravatar_url").value,
              "https://secure.gravatar.com/avatar/{md5email}?d=identicon&s={size}");

    Ui ui(conn());
    ASSERT_OK_AND_ASSIGN(auto repo_root, ui.repo_root());
    EXPECT_EQ(repo_root, "/srv/repos");
    auto rows = ui.all();
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->size(), 6u);
    auto usercache = ui.get("largefiles", "usercache");
    ASSERT_TRUE(usercache && *usercache);
    EXPECT_EQ((*usercache)->value, std::optional<std::string>("/srv/repos/.cache/largefiles"));
    auto update_hook = ui.get("hooks", "changegroup.kallithea_update");
    ASSERT_TRUE(update_hook && *update_hook);
    EXPECT_EQ((*update_hook)->value, std::optional<std::string>("python:"));
    EXPECT_FALSE((*update_hook)->active);
    auto hggit = ui.get("extensions", "hggit");
    ASSERT_TRUE(hggit && *hggit);
    EXPECT_FALSE((*hggit)->active);
    auto size_hook = ui.get("hooks", "changegroup.kallithea_repo_size");
    ASSERT_TRUE(size_hook && *size_hook);
    EXPECT_TRUE((*size_hook)->active);
}

TEST_P(SeedTest, NoPublicAccessMakesTheDefaultUserInactive) {
    SeedOptions o = seed_options();
    o.public_access = false;
    ASSERT_TRUE(seed_new_database(conn(), o));
    auto anon = Users(conn()).by_username("default");
    ASSERT_TRUE(anon && *anon);
    EXPECT_FALSE((*anon)->active);
}

TEST_P(SeedTest, RefusesASeededDatabaseAndWritesNothingOnFailure) {
    SeedOptions clash = seed_options();
    clash.admin_username = "DEFAULT";  // collides with the default user, after rows were written
    auto failed = seed_new_database(conn(), clash);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, Errc::conflict);
    ASSERT_OK_AND_ASSIGN(auto count, Users(conn()).count());
    EXPECT_EQ(count, 0);
    EXPECT_TRUE(Settings(conn()).all()->empty());
    EXPECT_TRUE(Ui(conn()).all()->empty());
    EXPECT_FALSE(conn().in_transaction());

    seed();
    auto again = seed_new_database(conn(), seed_options());
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::conflict);
    ASSERT_OK_AND_ASSIGN(count, Users(conn()).count());
    EXPECT_EQ(count, 2);
}

TEST_P(SeedTest, LaterPermissionInsertsDoNotCollideWithSeededIds) {
    seed();
    auto id = conn().insert("INSERT INTO permissions (permission_name) VALUES (?)", "permission_id",
                            "test.extra");
    ASSERT_TRUE(id) << id.error().detail;
    EXPECT_EQ(*id, 25);
    auto users = conn().insert(
        "INSERT INTO users (username, password, active, admin, firstname, lastname, api_key, "
        "created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "user_id", "third", "", true, false, "", "", "k", "2024-01-01 00:00:00.000000");
    ASSERT_TRUE(users) << users.error().detail;
    EXPECT_EQ(*users, 3);
}

KALLITHEA_STORE_DIALECTS(SeedTest);

}  // namespace
}  // namespace kallithea::store
