// user-create, user-set-password and user-list.
#include "app/user_commands.hpp"

#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "app/commands.hpp"
#include "config/app_config.hpp"
#include "core/log.hpp"
#include "service/app.hpp"
#include "service/users/users.hpp"

namespace kallithea::app {

struct UserCommands {
    CLI::App* create = nullptr;
    CLI::App* set_password = nullptr;
    CLI::App* list = nullptr;
    std::string config_file;
    std::string username, password, email, firstname, lastname;
    bool admin = false;
};

namespace {

int run_create(const UserCommands& c) {
    auto app = open_app(c.config_file);
    if (!app)
        return kExitFailure;
    service::NewAccount account;
    account.username = c.username;
    account.password = c.password;
    account.email = c.email;
    account.firstname = c.firstname;
    account.lastname = c.lastname;
    account.admin = c.admin;
    account.active = true;
    auto id = service::create_user(*app, account);
    if (!id) {
        print_error(id.error().message);
        return kExitFailure;
    }
    std::cout << "Created user " << c.username << " (id " << *id << ")"
              << (c.admin ? ", an administrator" : "") << "\n";
    return kExitOk;
}

int run_set_password(const UserCommands& c) {
    auto app = open_app(c.config_file);
    if (!app)
        return kExitFailure;
    if (auto st = service::set_user_password_by_name(*app, c.username, c.password); !st) {
        print_error(st.error().message);
        return kExitFailure;
    }
    std::cout << "Password of " << c.username << " changed\n";
    return kExitOk;
}

int run_list(const UserCommands& c) {
    auto app = open_app(c.config_file);
    if (!app)
        return kExitFailure;
    auto users = service::all_accounts(*app);
    if (!users) {
        print_error(users.error().message);
        return kExitFailure;
    }
    size_t name_width = 8, email_width = 5;
    for (const auto& user : *users) {
        name_width =
            std::max(name_width, user.username.size() + (user.username == "default" ? 2 : 0));
        email_width = std::max(email_width, user.email.size());
    }
    std::cout << fmt::format("{:>5}  {:<{}}  {:<{}}  {:<6}  {:<5}  {}\n", "id", "username",
                             name_width, "email", email_width, "active", "admin", "last login");
    for (const auto& user : *users) {
        const std::string name = user.username == "default" ? user.username + " *" : user.username;
        std::string last = user.last_login.value_or("never");
        if (last.size() > 19)
            last.resize(19);
        std::cout << fmt::format("{:>5}  {:<{}}  {:<{}}  {:<6}  {:<5}  {}\n", user.user_id, name,
                                 name_width, user.email, email_width, user.active ? "yes" : "no",
                                 user.admin ? "yes" : "no", last);
    }
    std::cout << "* the anonymous `default` user (active: anonymous access is on)\n";
    return kExitOk;
}

}  // namespace

std::shared_ptr<UserCommands> add_user_commands(CLI::App& cli) {
    auto c = std::make_shared<UserCommands>();
    c->create = cli.add_subcommand("user-create", "Create a user account");
    c->create->add_option("-c,--config", c->config_file, "ini file")->required();
    c->create->add_option("--username", c->username, "login name")->required();
    c->create->add_option("--password", c->password, "password (6 characters or more)")->required();
    c->create->add_option("--email", c->email, "email address")->required();
    c->create->add_option("--firstname", c->firstname, "first name");
    c->create->add_option("--lastname", c->lastname, "last name");
    c->create->add_flag("--admin", c->admin, "make the user a super-administrator");

    c->set_password = cli.add_subcommand("user-set-password", "Set a user's password");
    c->set_password->add_option("-c,--config", c->config_file, "ini file")->required();
    c->set_password->add_option("--username", c->username, "login name")->required();
    c->set_password->add_option("--password", c->password, "new password (6 characters or more)")
        ->required();

    c->list = cli.add_subcommand("user-list", "List the user accounts");
    c->list->add_option("-c,--config", c->config_file, "ini file")->required();
    return c;
}

std::optional<int> run_user_commands(const UserCommands& c) {
    if (*c.create)
        return run_create(c);
    if (*c.set_password)
        return run_set_password(c);
    if (*c.list)
        return run_list(c);
    return std::nullopt;
}

}  // namespace kallithea::app
