// repo-create, repo-scan, repo-update-metadata and repo-purge-deleted.
#include "app/repo_commands.hpp"

#include <chrono>
#include <iostream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "app/commands.hpp"
#include "config/app_config.hpp"
#include "core/log.hpp"
#include "service/app.hpp"
#include "service/repos/repo_metadata.hpp"
#include "service/repos/repos.hpp"
#include "vcs/repository.hpp"

namespace kallithea::app {

struct RepoCommands {
    CLI::App* create = nullptr;
    CLI::App* scan = nullptr;
    CLI::App* update = nullptr;
    CLI::App* purge = nullptr;
    std::string config_file;
    // repo-create
    std::string name, type, owner, description, landing_rev;
    int private_flag = 0;    // >0 --private, <0 --no-private, 0: repository defaults
    int downloads_flag = 0;  // likewise for --enable-downloads
    // repo-scan
    bool remove_missing = false;
    // repo-update-metadata
    std::vector<std::string> repos;
    // repo-purge-deleted
    std::string older_than;
    bool ask = true;
};

namespace {

int run_create(const RepoCommands& c) {
    auto app = open_app(c.config_file);
    if (!app)
        return kExitFailure;
    auto actor = service::command_line_actor(*app);
    if (!actor) {
        print_error(actor.error().message);
        return kExitFailure;
    }
    service::NewRepo repo;
    repo.name = c.name;
    if (!c.type.empty())
        repo.type = c.type;
    repo.description = c.description;
    if (c.private_flag != 0)
        repo.is_private = c.private_flag > 0;
    if (c.downloads_flag != 0)
        repo.enable_downloads = c.downloads_flag > 0;
    if (!c.landing_rev.empty())
        repo.landing_rev = c.landing_rev;
    if (!c.owner.empty())
        repo.owner = c.owner;
    auto created = service::create_repository(*app, *actor, repo, "");
    if (!created) {
        print_error(created.error().message);
        if (!created.error().detail.empty())
            log::debug("{}", created.error().detail);
        return kExitFailure;
    }
    std::cout << "Created repository " << created->name << " (" << created->path << ")\n";
    return kExitOk;
}

int run_scan(const RepoCommands& c) {
    auto app = open_app(c.config_file);
    if (!app)
        return kExitFailure;
    std::cout << "Now scanning root location for new repos ...\n";
    auto summary = service::scan_repositories(*app, c.remove_missing);
    if (!summary) {
        print_error(summary.error().message);
        return kExitFailure;
    }
    auto join = [](const std::vector<std::string>& names) {
        std::string out;
        for (const auto& name : names)
            out += (out.empty() ? "" : ", ") + name;
        return out;
    };
    std::cout << "Scan completed.\n";
    if (!summary->added.empty())
        std::cout << "Added: " << join(summary->added) << "\n";
    if (!summary->removed.empty())
        std::cout << "Removed: " << join(summary->removed) << "\n";
    if (!summary->missing.empty())
        std::cout << "Missing: " << join(summary->missing) << "\n";
    for (const auto& skipped : summary->skipped)
        std::cout << "Skipped: " << skipped << "\n";
    for (const auto& hook : summary->hooks_retired)
        std::cout << "Retired Kallithea's Git hook: " << hook << "\n";
    return kExitOk;
}

int run_update_metadata(const RepoCommands& c) {
    auto app = open_app(c.config_file);
    if (!app)
        return kExitFailure;
    std::vector<std::string> names = c.repos;
    if (names.empty()) {
        auto all = service::all_repository_names(*app);
        if (!all) {
            print_error(all.error().message);
            return kExitFailure;
        }
        names = std::move(*all);
    }
    int failures = 0;
    for (const auto& name : names) {
        if (auto st = service::update_repository_metadata(*app, name); !st) {
            print_error(name + ": " + st.error().message);
            ++failures;
        }
    }
    return failures == 0 ? kExitOk : kExitFailure;
}

// "30d", "12h", "1d12h", "90m", "45s" -> seconds; nullopt when malformed.
std::optional<std::chrono::seconds> parse_age(const std::string& text) {
    if (text.empty())
        return std::nullopt;
    int64_t total = 0, number = 0;
    bool digits = false;
    for (char ch : text) {
        if (ch >= '0' && ch <= '9') {
            number = number * 10 + (ch - '0');
            digits = true;
            if (number > 1'000'000'000)
                return std::nullopt;
            continue;
        }
        const int64_t unit = ch == 'd'   ? 86400
                             : ch == 'h' ? 3600
                             : ch == 'm' ? 60
                             : ch == 's' ? 1
                                         : 0;
        if (!digits || unit == 0)
            return std::nullopt;
        total += number * unit;
        number = 0;
        digits = false;
    }
    if (digits)
        return std::nullopt;
    return std::chrono::seconds(total);
}

std::string local_text(std::chrono::system_clock::time_point when) {
    if (when == std::chrono::system_clock::time_point{})
        return "an unknown date";
    return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", std::chrono::floor<std::chrono::seconds>(when));
}

int run_purge_deleted(const RepoCommands& c, service::App& app) {
    std::chrono::seconds age{0};
    if (!c.older_than.empty()) {
        auto parsed = parse_age(c.older_than);
        if (!parsed) {
            print_error("--older-than: expected a number with a unit d, h, m or s (e.g. 30d)");
            return kExitUsage;
        }
        age = *parsed;
    }
    auto backups = service::find_removed_backups(app, age);
    if (!backups) {
        print_error(backups.error().message);
        return kExitFailure;
    }
    if (backups->empty()) {
        std::cout << (c.older_than.empty()
                          ? std::string("There are no deleted repositories.\n")
                          : "There are no deleted repositories older than " + c.older_than + ".\n");
        return kExitOk;
    }
    if (c.ask) {
        std::cout << "The following repositories will be removed completely:\n";
        for (const auto& backup : *backups)
            std::cout << "  " << backup.path << " deleted on " << local_text(backup.deleted)
                      << "\n";
        std::cout << "Do you want to proceed? [y/N]: " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "y" && answer != "Y" && answer != "yes") {
            std::cout << "Nothing done, exiting...\n";
            return kExitOk;
        }
    }
    int failures = 0;
    for (const auto& backup : *backups) {
        std::cout << "Purging repository " << backup.path << "\n";
        if (auto st = service::purge_removed_backup(app, backup.path); !st) {
            print_error(st.error().message);
            ++failures;
        }
    }
    return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace

std::shared_ptr<RepoCommands> add_repo_commands(CLI::App& cli) {
    auto c = std::make_shared<RepoCommands>();
    c->create = cli.add_subcommand("repo-create", "Create a repository (and its parent groups)");
    c->create->add_option("-c,--config", c->config_file, "ini file")->required();
    c->create->add_option("--name", c->name, "full name, e.g. group/repo")->required();
    c->create->add_option("--type", c->type, "git or hg (default: the repository defaults)")
        ->check(CLI::IsMember({"git", "hg"}));
    c->create->add_flag("--private,!--no-private", c->private_flag, "private repository");
    c->create->add_flag("--enable-downloads,!--no-enable-downloads", c->downloads_flag,
                        "allow archive downloads");
    c->create->add_option("--owner", c->owner, "owner's username (default: the first admin)");
    c->create->add_option("--description", c->description, "description");
    c->create->add_option("--landing-rev", c->landing_rev, "landing revision (rev:tip)");

    c->scan = cli.add_subcommand("repo-scan", "Add repositories found in the repository root");
    c->scan->add_option("-c,--config", c->config_file, "ini file")->required();
    c->scan->add_flag("--remove-missing", c->remove_missing,
                      "remove repositories whose directory is gone from the database");

    c->update = cli.add_subcommand("repo-update-metadata",
                                   "Refresh the database's view of repositories changed outside");
    c->update->add_option("-c,--config", c->config_file, "ini file")->required();
    c->update->add_option("REPO", c->repos, "repository names (default: all)");

    c->purge = cli.add_subcommand("repo-purge-deleted", "Remove backups of deleted repositories");
    c->purge->add_option("-c,--config", c->config_file, "ini file")->required();
    c->purge->add_option("--older-than", c->older_than,
                         "only backups at least this old, e.g. 30d (units d, h, m, s)");
    c->purge->add_flag("--ask,!--no-ask", c->ask, "ask before removing (default)");
    return c;
}

std::optional<int> run_repo_commands(const RepoCommands& c) {
    if (*c.create)
        return run_create(c);
    if (*c.scan)
        return run_scan(c);
    if (*c.update)
        return run_update_metadata(c);
    if (*c.purge) {
        auto app = open_app(c.config_file);
        if (!app)
            return kExitFailure;
        return run_purge_deleted(c, *app);
    }
    return std::nullopt;
}

void apply_vcs_settings(const config::AppConfig& config) {
    vcs::VcsSettings settings;
    settings.git_executable = config.git_path;
    vcs::set_vcs_settings(std::move(settings));
}

std::shared_ptr<service::App> open_app(const std::string& config_file) {
    auto config = config::AppConfig::load(config_file);
    if (!config) {
        print_error(config.error().message);
        return nullptr;
    }
    log::init(log::Level::warn);
    apply_vcs_settings(*config);
    auto app = service::App::open(*config);
    if (!app) {
        print_error(app.error().message);
        return nullptr;
    }
    return *app;
}

}  // namespace kallithea::app
