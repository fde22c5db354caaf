// Tests of config-create: the written file loads back, secrets are fresh, arguments are applied.
#include "config/config_template.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "config/app_config.hpp"
#include "config/ini.hpp"
#include "config/ini_text_edit.hpp"

namespace kallithea::config {
namespace {

namespace fs = std::filesystem;

class ConfigCreate : public testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::path(testing::TempDir()) /
               ("config_create_test_" +
                std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    AppConfig create_and_load(const std::vector<std::string>& args, std::string name = "k.ini") {
        const std::string path = (dir_ / name).string();
        auto status = create_config_file(path, args);
        EXPECT_TRUE(status) << (status ? "" : status.error().message);
        auto config = AppConfig::load(path);
        EXPECT_TRUE(config) << (config ? "" : config.error().message);
        return config ? std::move(*config) : AppConfig{};
    }

    Error render_error(const std::vector<std::string>& args) {
        auto text = render_config_text(args);
        EXPECT_FALSE(text);
        if (text)
            return {};
        EXPECT_EQ(text.error().code, Errc::invalid_argument);
        EXPECT_EQ(text.error().message.find('\n'), std::string::npos);
        return text.error();
    }

    fs::path dir_;
};

TEST_F(ConfigCreate, DefaultFileLoadsBack) {
    const AppConfig config = create_and_load({});
    EXPECT_EQ(config.host, "127.0.0.1");
    EXPECT_EQ(config.port, 5000);
    EXPECT_EQ(config.threads, 8);
    EXPECT_EQ(config.db.engine, DbUrl::Engine::sqlite);
    EXPECT_EQ(config.db.sqlite_path, config.here + "/kallithea.db");
    EXPECT_EQ(config.db.sqlite_timeout_s, 60);
    EXPECT_EQ(config.cache_dir, config.here + "/data");
    EXPECT_EQ(config.session_key, "kallithea");
    EXPECT_TRUE(config.session_httponly);
    EXPECT_EQ(config.session_timeout, 2592000);
    EXPECT_FALSE(config.ssh_enabled);
    EXPECT_FALSE(config.debug);
    EXPECT_EQ(config.app_instance_uuid.size(), 32u);
    EXPECT_EQ(config.session_secret.size(), 32u);
    EXPECT_NE(config.app_instance_uuid, config.session_secret);
    EXPECT_EQ(config.app.at("use"), "egg:kallithea");
    EXPECT_EQ(config.app.count("issue_pat"), 0u);  // only commented examples
    EXPECT_EQ(config.ini.get("alembic", "script_location").value(), "kallithea:alembic");
    EXPECT_TRUE(config.ini.has_section("logger_kallithea"));
    EXPECT_TRUE(config.ini.has_section("ssh_serve:logger_root"));
    EXPECT_EQ(config.ini.get("DEFAULT", "smtp_use_tls").value(), "false");
    EXPECT_EQ(config.ini.keys("app:main").size() > 30, true);
}

TEST_F(ConfigCreate, FileIsPrivateAndNotOverwritten) {
    const std::string path = (dir_ / "k.ini").string();
    ASSERT_TRUE(create_config_file(path, {}));
    const auto perms = fs::status(path).permissions();
    EXPECT_EQ(perms & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    std::stringstream before;
    before << std::ifstream(path).rdbuf();
    auto again = create_config_file(path, {"port=6000"});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::config);
    EXPECT_EQ(again.error().message, path + " already exists; refusing to overwrite");
    std::stringstream after;
    after << std::ifstream(path).rdbuf();
    EXPECT_EQ(before.str(), after.str());
    // No temporary files are left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(ConfigCreate, SecretsDifferBetweenRuns) {
    const AppConfig first = create_and_load({}, "a.ini");
    const AppConfig second = create_and_load({}, "b.ini");
    EXPECT_NE(first.session_secret, second.session_secret);
    EXPECT_NE(first.app_instance_uuid, second.app_instance_uuid);
}

TEST_F(ConfigCreate, TemplateVariables) {
    const AppConfig config = create_and_load(
        {"host=0.0.0.0", "port=8080", "http_server=gunicorn", "database_engine=postgres"});
    EXPECT_EQ(config.host, "0.0.0.0");
    EXPECT_EQ(config.port, 8080);
    EXPECT_EQ(config.db.engine, DbUrl::Engine::postgresql);
    EXPECT_EQ(config.db.original, "postgresql://kallithea:password@localhost/kallithea");
    EXPECT_EQ(config.app.count("http_server"), 0u);
    // A wildcard address names no host for links in mail: canonical_url stays unset.
    EXPECT_EQ(config.canonical_url, "");
}

TEST_F(ConfigCreate, CanonicalUrlFromHostAndPort) {
    EXPECT_EQ(create_and_load({}).canonical_url, "http://127.0.0.1:5000");
    EXPECT_EQ(create_and_load({"host=git.example.com", "port=8080"}, "b.ini").canonical_url,
              "http://git.example.com:8080");
    EXPECT_EQ(create_and_load({"host=::1", "port=80"}, "c.ini").canonical_url, "http://[::1]:80");
    // An explicit value replaces the filled one.
    const AppConfig config =
        create_and_load({"canonical_url=https://k.example.com/repos"}, "d.ini");
    EXPECT_EQ(config.canonical_url, "https://k.example.com/repos");
    const auto keys = config.ini.keys("app:main");
    EXPECT_EQ(std::count(keys.begin(), keys.end(), "canonical_url"), 1);
}

TEST_F(ConfigCreate, ExtraKeysGoToAppMain) {
    const AppConfig config = create_and_load(
        {"ssh_enabled=true", "cut_off_limit=1000", "issue_pat=#(\\d+)", "my_new_key=hello",
         "sqlalchemy.url=sqlite:///%(here)s/other.db", "session.secure=true"});
    EXPECT_TRUE(config.ssh_enabled);
    EXPECT_EQ(config.cut_off_limit, 1000);
    EXPECT_EQ(config.app.at("issue_pat"), "#(\\d+)");
    EXPECT_EQ(config.app.at("my_new_key"), "hello");
    EXPECT_EQ(config.db.sqlite_path, config.here + "/other.db");
    EXPECT_TRUE(config.session_secure);
    // Replaced in place: the template's line now holds the new value.
    const auto keys = config.ini.keys("app:main");
    EXPECT_EQ(std::count(keys.begin(), keys.end(), "ssh_enabled"), 1);
    EXPECT_EQ(keys.back(), "my_new_key");
}

TEST_F(ConfigCreate, SectionArgumentsSwitchTarget) {
    const AppConfig config =
        create_and_load({"[server:main]", "host=192.0.2.1", "port=9000", "[DEFAULT]",
                         "smtp_server=mail.example.com", "[logger_kallithea]", "level=DEBUG",
                         "[extra]", "answer=42"});
    EXPECT_EQ(config.host, "192.0.2.1");
    EXPECT_EQ(config.port, 9000);
    EXPECT_EQ(config.app.at("smtp_server"), "mail.example.com");
    EXPECT_EQ(config.log_level, log::Level::debug);
    EXPECT_EQ(config.ini.get("extra", "answer").value(), "42");
}

TEST_F(ConfigCreate, BadArguments) {
    EXPECT_NE(render_error({"portless"})
                  .message.find("expected key=value or [section], got "
                                "'portless'"),
              std::string::npos);
    EXPECT_NE(
        render_error({"port=http"}).message.find("port must be a number 1..65535, got 'http'"),
        std::string::npos);
    EXPECT_NE(render_error({"port=70000"}).message.find("port"), std::string::npos);
    EXPECT_NE(render_error({"database_engine=mysql"}).message.find("mysql is not supported"),
              std::string::npos);
    EXPECT_NE(render_error({"database_engine=oracle"}).message.find("unknown database_engine"),
              std::string::npos);
    EXPECT_NE(render_error({"=value"}).message.find("invalid key"), std::string::npos);
    EXPECT_NE(render_error({"a:b=c"}).message.find("invalid key"), std::string::npos);
    EXPECT_NE(render_error({"x=a\nb"}).message.find("line breaks"), std::string::npos);
    EXPECT_FALSE(render_config_text({"sqlalchemy.url=mysql://u:p@h/d"}));
    const std::string path = (dir_ / "never.ini").string();
    auto status = create_config_file(path, {"port=0"});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::invalid_argument);
    EXPECT_FALSE(fs::exists(path));
}

TEST_F(ConfigCreate, UnwritableDirectory) {
    auto status = create_config_file((dir_ / "missing" / "k.ini").string(), {});
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, Errc::io);
}

TEST(IniTextEdit, ReplaceUncommentAppend) {
    const std::string text =
        "[a]\nx = 1\n#y = example\n# prose: not = a key\nz = 3\n\n# about b\n[b]\nq = 1\n";
    const std::string out =
        set_ini_values(text, "a", {{"x", "10"}, {"y", "20"}, {"w", "30"}, {"empty", ""}});
    EXPECT_EQ(out,
              "[a]\nx = 10\n#y = example\ny = 20\n# prose: not = a key\nz = 3\nw = 30\nempty =\n\n"
              "# about b\n[b]\nq = 1\n");
    EXPECT_EQ(set_ini_values("[a]\nk = v\n", "new", {{"n", "1"}}), "[a]\nk = v\n\n[new]\nn = 1\n");
    EXPECT_EQ(set_ini_values("[a]\n", "a", {{"n", "1"}}), "[a]\nn = 1\n");
    EXPECT_EQ(set_ini_values("[a]\nK = v\n", "a", {{"k", "w"}}), "[a]\nk = w\n");
}

}  // namespace
}  // namespace kallithea::config
