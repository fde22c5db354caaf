// Tests of AppConfig: the real Kallithea example ini, defaults, typed values and their errors.
#include "config/app_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace kallithea::config {
namespace {

namespace fs = std::filesystem;

fs::path example_ini() {
    if (const char* source = std::getenv("KALLITHEA_SOURCE_DIR"); source && *source)
        return fs::path(source) / ".." / "shared" / "reference" / "kallithea-example.ini";
    // src/config/app_config_test.cpp -> <checkout>/../shared/reference
    return fs::path(__FILE__).parent_path() / ".." / ".." / ".." / "shared" / "reference" /
           "kallithea-example.ini";
}

class AppConfigFile : public testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::path(testing::TempDir()) /
               ("app_config_test_" +
                std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(std::string_view text) {
        const fs::path file = dir_ / "kallithea.ini";
        std::ofstream(file) << text;
        return file.string();
    }

    Error load_error(std::string_view app_lines, std::string_view server_lines = "") {
        const std::string path =
            write(std::string("[server:main]\n") + std::string(server_lines) +
                  "\n[app:main]\nsqlalchemy.url = sqlite://\n" + std::string(app_lines) + "\n");
        auto config = AppConfig::load(path);
        EXPECT_FALSE(config);
        if (config)
            return {};
        EXPECT_EQ(config.error().code, Errc::config);
        return config.error();
    }

    fs::path dir_;
};

TEST(AppConfigExample, KallitheaGeneratedIniLoads) {
    const fs::path path = example_ini();
    ASSERT_TRUE(fs::exists(path)) << path;
    auto config = AppConfig::load(path.string());
    ASSERT_TRUE(config) << config.error().message;
    const fs::path dir = fs::absolute(path).lexically_normal().parent_path();
    EXPECT_EQ(config->here, dir.string());
    EXPECT_EQ(config->file, (dir / "kallithea-example.ini").string());
    EXPECT_EQ(config->host, "127.0.0.1");
    EXPECT_EQ(config->port, 5000);
    EXPECT_EQ(config->threads, 4);  // waitress' threads = 1, raised for our worker pool
    EXPECT_EQ(config->max_request_body_size, 107374182400u);
    EXPECT_EQ(config->db.engine, DbUrl::Engine::sqlite);
    EXPECT_EQ(config->db.sqlite_path, (dir / "kallithea.db").string());
    EXPECT_EQ(config->db.sqlite_timeout_s, 60);
    EXPECT_EQ(config->cache_dir, (dir / "data").string());
    EXPECT_EQ(config->index_dir, (dir / "data" / "index").string());
    EXPECT_EQ(config->archive_cache_dir, (dir / "data" / "tarballcache").string());
    EXPECT_EQ(config->session_key, "kallithea");
    EXPECT_EQ(config->session_timeout, 2592000);
    EXPECT_TRUE(config->session_httponly);
    EXPECT_FALSE(config->session_secure);
    EXPECT_EQ(config->cut_off_limit, 256000);
    EXPECT_EQ(config->show_sha_length, 12);
    EXPECT_EQ(config->git_path, "git");
    EXPECT_FALSE(config->ssh_enabled);
    EXPECT_FALSE(config->debug);
    EXPECT_EQ(config->log_level, log::Level::warn);  // [logger_kallithea] level = WARN
    EXPECT_EQ(config->app.at("use"), "egg:kallithea");
    EXPECT_EQ(config->app.at("celery.worker_concurrency"), "2");
    EXPECT_EQ(config->app.at("logview.sqlalchemy"), "#faa");
    EXPECT_EQ(config->app.at("smtp_use_ssl"), "false");         // from [DEFAULT]
    EXPECT_EQ(config->app.at("trace_errors.smtp_server"), "");  // `get` line -> DEFAULT value
    EXPECT_EQ(config->app.at("beaker.cache.data_dir"), (dir / "data/cache/data").string());
    EXPECT_TRUE(config->ini.has_section("ssh_serve:logger_root"));
    // Logging's own %(asctime)s syntax does not stop the file from loading.
    EXPECT_FALSE(config->ini.get("formatter_generic", "format"));
}

TEST_F(AppConfigFile, DefaultsForAMinimalFile) {
    auto config = AppConfig::load(write("[app:main]\nsqlalchemy.url = sqlite:///k.db\n"));
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->host, "127.0.0.1");
    EXPECT_EQ(config->port, 5000);
    EXPECT_EQ(config->threads, 8);
    EXPECT_EQ(config->db.sqlite_path, "k.db");
    EXPECT_EQ(config->cache_dir, config->here + "/data");
    EXPECT_EQ(config->archive_cache_dir, "");
    EXPECT_EQ(config->remote_addr_variable, "REMOTE_ADDR");
    EXPECT_EQ(config->git_rev_filter, "--all");
    EXPECT_EQ(config->log_level, log::Level::info);
    EXPECT_TRUE(config->static_files);
}

TEST_F(AppConfigFile, TypedValues) {
    auto config = AppConfig::load(
        write("[server:main]\nhost = 0.0.0.0\nport = 8080\nthreadpool_workers = 16\n"
              "[app:main]\nsqlalchemy.url = postgresql://k:pw@db/k\nsession.secure = YES\n"
              "session.httponly = off\ndebug = 1\nforce_https = On\nuse_htsts = true\n"
              "ssh_enabled = True\ncut_off_limit = 1000\nsession.timeout = 60\n"
              "remote_addr_variable = HTTP_X_FORWARDED_FOR\ncanonical_url = https://k.example.com\n"
              "auth_ret_code =\nsome_unknown_key = whatever\n"
              "[logger_root]\nlevel = NOTSET\n[logger_kallithea]\nlevel = NOTSET\n"));
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->host, "0.0.0.0");
    EXPECT_EQ(config->port, 8080);
    EXPECT_EQ(config->threads, 16);
    EXPECT_EQ(config->db.engine, DbUrl::Engine::postgresql);
    EXPECT_TRUE(config->session_secure);
    EXPECT_FALSE(config->session_httponly);
    EXPECT_TRUE(config->debug);
    EXPECT_TRUE(config->force_https);
    EXPECT_TRUE(config->use_htsts);
    EXPECT_TRUE(config->ssh_enabled);
    EXPECT_EQ(config->cut_off_limit, 1000);
    EXPECT_EQ(config->session_timeout, 60);
    EXPECT_EQ(config->remote_addr_variable, "HTTP_X_FORWARDED_FOR");
    EXPECT_EQ(config->canonical_url, "https://k.example.com");
    EXPECT_EQ(config->log_level, log::Level::debug);  // NOTSET everywhere: everything
    EXPECT_EQ(config->app.at("some_unknown_key"), "whatever");
}

TEST_F(AppConfigFile, BadInteger) {
    const Error error = load_error("cut_off_limit = abc");
    EXPECT_EQ(error.message, (dir_ / "kallithea.ini").string() +
                                 ": [app:main] cut_off_limit: expected an integer, got 'abc'");
}

TEST_F(AppConfigFile, BadBoolean) {
    EXPECT_NE(load_error("debug = maybe")
                  .message.find("[app:main] debug: expected true or false, "
                                "got 'maybe'"),
              std::string::npos);
}

TEST_F(AppConfigFile, BadPort) {
    for (const char* port : {"0", "65536", "http", "-1"}) {
        const Error error = load_error("", std::string("port = ") + port);
        EXPECT_NE(error.message.find("[server:main] port: expected a port number 1..65535, got '" +
                                     std::string(port) + "'"),
                  std::string::npos)
            << error.message;
    }
}

TEST_F(AppConfigFile, OutOfRangeAndInterpolationErrors) {
    EXPECT_NE(load_error("show_sha_length = 100").message.find("expected 4..40, got '100'"),
              std::string::npos);
    EXPECT_NE(load_error("cache_dir = %(nowhere)s/x")
                  .message.find("[app:main] cache_dir: unknown interpolation %(nowhere)s"),
              std::string::npos);
    EXPECT_NE(load_error("", "threads = many").message.find("[server:main] threads"),
              std::string::npos);
}

TEST_F(AppConfigFile, DatabaseUrlRequiredAndChecked) {
    auto missing = AppConfig::load(write("[app:main]\ndebug = false\n"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::config);
    EXPECT_NE(missing.error().message.find("[app:main] sqlalchemy.url: missing"),
              std::string::npos);
    auto mysql = AppConfig::load(write("[app:main]\nsqlalchemy.url = mysql://k:secret@h/k\n"));
    ASSERT_FALSE(mysql);
    EXPECT_NE(mysql.error().message.find("[app:main] sqlalchemy.url: unsupported database"),
              std::string::npos)
        << mysql.error().message;
    EXPECT_EQ(mysql.error().message.find("secret"), std::string::npos);
}

TEST_F(AppConfigFile, UnreadableOrBrokenFile) {
    auto missing = AppConfig::load((dir_ / "absent.ini").string());
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("cannot read config file"), std::string::npos);
    auto broken = AppConfig::load(write("[app:main]\nsqlalchemy.url = sqlite://\njunk\n"));
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("kallithea.ini:3: "), std::string::npos);
}

TEST_F(AppConfigFile, UnknownLogLevel) {
    const std::string path =
        write("[app:main]\nsqlalchemy.url = sqlite://\n[logger_kallithea]\nlevel = LOUD\n");
    auto config = AppConfig::load(path);
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("[logger_kallithea] level: unknown log level 'LOUD'"),
              std::string::npos);
}

}  // namespace
}  // namespace kallithea::config
