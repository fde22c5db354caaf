// Tests of store::Settings, store::Ui and store::Permissions on SQLite and PostgreSQL.
#include "store/settings.hpp"

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/permissions/permissions.hpp"
#include "store/testing/store_test.hpp"
#include "store/ui.hpp"

namespace kallithea::store {
namespace {

class SettingsTest : public testing::StoreTest {};

TEST_P(SettingsTest, SetUpsertsAndValidatesTypes) {
    Settings settings(conn());
    ASSERT_OK_AND_ASSIGN(auto get, settings.get("title"));
    EXPECT_FALSE(get);
    ASSERT_TRUE(settings.set("title", "My forge"));
    ASSERT_TRUE(settings.set("dashboard_items", "50", "int"));
    ASSERT_TRUE(settings.set("title", "Renamed", "unicode"));
    auto title = settings.get("title");
    ASSERT_TRUE(title && *title);
    EXPECT_EQ((*title)->value, "Renamed");
    EXPECT_EQ((*title)->type, "unicode");
    auto all = settings.all();
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 2u);
    EXPECT_EQ(all->at("dashboard_items").type, "int");
    auto bad = settings.set("x", "y", "float");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::invalid_argument);

    ASSERT_TRUE(
        conn().exec("INSERT INTO settings (app_settings_name, app_settings_value) VALUES (?, ?)",
                    "legacy", "v"));
    ASSERT_OK_AND_ASSIGN(get, settings.get("legacy"));
    EXPECT_EQ(get->type, "unicode");
}

TEST_P(SettingsTest, UiRepoRootAndUpserts) {
    Ui ui(conn());
    auto missing = ui.repo_root();
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::config);
    ASSERT_TRUE(ui.set("paths", "/", std::string("/data/repos"), true));
    ASSERT_OK_AND_ASSIGN(auto repo_root, ui.repo_root());
    EXPECT_EQ(repo_root, "/data/repos");
    ASSERT_TRUE(ui.set("paths", "/", std::string("/other"), true));
    ASSERT_OK_AND_ASSIGN(repo_root, ui.repo_root());
    EXPECT_EQ(repo_root, "/other");
    ASSERT_TRUE(ui.set("extensions", "hggit", std::nullopt, false));
    auto rows = ui.all();
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[0].section, "extensions");
    EXPECT_EQ((*rows)[0].value, std::nullopt);
    EXPECT_FALSE((*rows)[0].active);
}

TEST_P(SettingsTest, PermissionsByNameAndGrants) {
    seed();
    Permissions perms(conn());
    ASSERT_OK_AND_ASSIGN(auto by_name, perms.by_name("hg.admin"));
    EXPECT_EQ(by_name, 1);
    ASSERT_OK_AND_ASSIGN(by_name, perms.by_name("hg.extern_activate.auto"));
    EXPECT_EQ(by_name, 24);
    auto unknown = perms.by_name("hg.nothing");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, Errc::not_found);
    ASSERT_TRUE(perms.grant_global(2, "hg.create.none"));
    auto again = perms.grant_global(2, "hg.create.none");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::conflict);
    ASSERT_OK_AND_ASSIGN(auto user_global, perms.user_global(2));
    EXPECT_EQ(user_global, std::vector<std::string>{"hg.create.none"});
}

KALLITHEA_STORE_DIALECTS(SettingsTest);

}  // namespace
}  // namespace kallithea::store
