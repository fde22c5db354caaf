// A repository's settings pages (service/repos/repo_settings.hpp).
#include "service/repos/repo_settings.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/text.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "service/repos/repo_creation.hpp"
#include "service/repos/repo_names.hpp"
#include "service/transaction.hpp"
#include "store/permissions/grants.hpp"
#include "store/repo_groups/repo_groups.hpp"
#include "store/repos/journal.hpp"
#include "store/repos/repo_updates.hpp"
#include "store/repos/repositories.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

namespace fs = std::filesystem;

tl::unexpected<Error> field_error(std::string* failed_field, const char* field, Errc code,
                                  std::string message) {
    if (failed_field)
        *failed_field = field;
    return fail(code, std::move(message));
}

Status check_landing_rev(std::string_view rev) {
    const auto colon = rev.find(':');
    const std::string_view kind = rev.substr(0, colon);
    bool ok_rev = (kind == "rev" || kind == "branch" || kind == "tag" || kind == "book") &&
                  colon != std::string_view::npos && colon + 1 < rev.size() && rev.size() <= 255;
    for (unsigned char c : rev)
        ok_rev = ok_rev && c >= 0x20 && c != 0x7f;
    if (!ok_rev)
        return fail(Errc::invalid_argument,
                    fmt::format("Invalid landing revision \"{}\" (expected e.g. rev:tip or "
                                "branch:master)",
                                rev));
    return ok();
}

// Groups the actor may put repositories in (admin: all; others group.write), and whether the
// top level is allowed.
Status movable_targets(App& app, const AuthUser& actor, std::vector<GroupChoice>& groups,
                       bool& top_level) {
    auto rows =
        with_connection(app, [](db::Connection& conn) { return store::RepoGroups(conn).all(); });
    RETURN_IF_ERROR(rows);
    auto& all = *rows;
    for (auto& group : all) {
        bool allowed = actor.admin;
        if (!allowed) {
            auto level = repo_group_level(app, actor, group.group_id);
            RETURN_IF_ERROR(level);
            allowed = perm::at_least(*level, perm::Level::write);
        }
        if (allowed)
            groups.push_back({group.group_id, std::move(group.group_name)});
    }
    auto create = has_global_permission(app, actor, "hg.create.repository");
    RETURN_IF_ERROR(create);
    top_level = *create;
    return ok();
}

}  // namespace

Result<RepoSettingsData> repo_settings(App& app, const AuthUser& actor, std::string_view name) {
    auto info = authorize_repository(app, actor, name, perm::Level::admin);
    RETURN_IF_ERROR(info);
    RepoSettingsData out;
    if (auto st = movable_targets(app, actor, out.groups, out.top_level_allowed); !st)
        return fail(std::move(st.error()));
    std::vector<std::string> names;
    {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        store::Repositories repos(*conn);
        auto row = repos.by_id(info->repo_id);
        RETURN_IF_ERROR(row);
        if (!*row)
            return fail(Errc::not_found, "Repository not found");
        const store::RepoRow& r = **row;
        out.repo_id = r.repo_id;
        out.name = r.repo_name;
        out.just_name = std::string(last_segment(r.repo_name));
        out.group_id = r.group_id;
        out.description = r.description;
        out.is_private = r.is_private;
        out.landing_rev = r.landing_revision;
        out.downloads = r.downloads;
        auto owner = store::Users(*conn).by_id(r.owner_id);
        RETURN_IF_ERROR(owner);
        if (*owner)
            out.owner = (*owner)->username;
        if (r.fork_id) {
            auto parent = repos.by_id(*r.fork_id);
            RETURN_IF_ERROR(parent);
            if (*parent)
                out.fork_of = (*parent)->repo_name;
        }
        if (r.group_id) {
            bool listed = false;
            for (const auto& g : out.groups)
                listed = listed || g.group_id == *r.group_id;
            if (!listed)
                if (auto group = store::RepoGroups(*conn).by_id(*r.group_id); group && *group)
                    out.groups.push_back({(*group)->group_id, (*group)->group_name});
        }
        auto all = repos.all_names();
        RETURN_IF_ERROR(all);
        names = std::move(*all);
    }
    for (const auto& other : names) {
        if (other == out.name)
            continue;
        auto readable = authorize_repository(app, actor, other, perm::Level::read);
        if (readable && readable->type == info->type)
            out.fork_choices.push_back(other);
    }
    out.landing_choices.push_back("rev:tip");
    if (auto repo = open_repository(*info)) {
        if (auto refs = (*repo)->refs()) {
            for (const auto& ref : *refs) {
                if (ref.kind == vcs::RefKind::branch)
                    out.landing_choices.push_back("branch:" + ref.name);
                else if (ref.kind == vcs::RefKind::tag)
                    out.landing_choices.push_back("tag:" + ref.name);
            }
        }
    }
    bool has_current = false;
    for (const auto& choice : out.landing_choices)
        has_current = has_current || choice == out.landing_rev;
    if (!has_current)
        out.landing_choices.push_back(out.landing_rev);
    return out;
}

Result<std::string> update_repo_settings(App& app, const AuthUser& actor, std::string_view name,
                                         const RepoSettingsChange& change,
                                         std::string_view client_ip, std::string* failed_field) {
    auto info = authorize_repository(app, actor, name, perm::Level::admin);
    RETURN_IF_ERROR(info);
    std::vector<GroupChoice> targets;
    bool top_level = false;
    if (auto st = movable_targets(app, actor, targets, top_level); !st)
        return fail(std::move(st.error()));
    auto root = repository_root(app);
    RETURN_IF_ERROR(root);

    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    store::Repositories repos(*conn);
    auto row = repos.by_id(info->repo_id);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "Repository not found");
    const store::RepoRow current = **row;

    // Where it goes.
    std::string full = change.name;
    if (change.group_id) {
        auto group = store::RepoGroups(*conn).by_id(*change.group_id);
        RETURN_IF_ERROR(group);
        if (!*group)
            return field_error(failed_field, "repo_group", Errc::invalid_argument,
                               "The repository group does not exist");
        full = (*group)->group_name + "/" + change.name;
    }
    if (change.group_id != current.group_id) {
        bool allowed = !change.group_id ? top_level : false;
        for (const auto& t : targets)
            allowed = allowed || (change.group_id && t.group_id == *change.group_id);
        if (!allowed)
            return field_error(failed_field, "repo_group", Errc::invalid_argument,
                               change.group_id
                                   ? "You may not create repositories in that repository group"
                                   : "You may not create top-level repositories");
    }
    if (change.name.find('/') != std::string::npos)
        return field_error(failed_field, "repo_name", Errc::invalid_argument,
                           "The name may not contain '/'; choose a repository group instead");
    if (auto st = check_repo_path(full); !st) {
        if (failed_field)
            *failed_field = "repo_name";
        return fail(std::move(st.error()));
    }
    const bool moved = full != current.repo_name;
    if (moved) {
        auto other = repos.by_name_ci(full);
        RETURN_IF_ERROR(other);
        if (*other && (*other)->repo_id != current.repo_id)
            return field_error(
                failed_field, "repo_name", Errc::conflict,
                fmt::format("Repository named {} already exists", (*other)->repo_name));
        auto group = store::RepoGroups(*conn).by_name_ci(full);
        RETURN_IF_ERROR(group);
        if (*group)
            return field_error(failed_field, "repo_name", Errc::conflict,
                               fmt::format("Repository group with name \"{}\" already exists",
                                           (*group)->group_name));
        std::error_code ec;
        if (text::ascii_lower(full) != text::ascii_lower(current.repo_name) &&
            fs::exists(fs::symlink_status(fs::path(*root) / full, ec)))
            return field_error(failed_field, "repo_name", Errc::conflict,
                               fmt::format("A directory named {} already exists in the "
                                           "repository root",
                                           full));
    }
    if (auto st = check_landing_rev(change.landing_rev); !st) {
        if (failed_field)
            *failed_field = "repo_landing_rev";
        return fail(std::move(st.error()));
    }
    auto owner = store::Users(*conn).by_username(change.owner);
    RETURN_IF_ERROR(owner);
    if (!*owner || (*owner)->username == "default")
        return field_error(failed_field, "owner", Errc::invalid_argument,
                           fmt::format("User {} does not exist", change.owner));

    store::RepoSettingsRow update{full,
                                  change.group_id,
                                  change.description,
                                  change.is_private,
                                  change.landing_rev,
                                  (*owner)->user_id,
                                  change.downloads};
    if (auto st = store::RepoUpdates(*conn).update_settings(current.repo_id, update); !st)
        return fail(std::move(st.error()));
    if (change.is_private != current.is_private) {
        auto defaults = detail::load_default_grants(*conn);
        RETURN_IF_ERROR(defaults);
        const std::string perm = change.is_private ? "repository.none" : defaults->repo_perm;
        if (auto st = store::Grants(*conn).set(store::GrantObject::repository, current.repo_id,
                                               store::Grantee::user, defaults->user_id, perm);
            !st)
            return fail(std::move(st.error()));
    }
    store::JournalEntry entry{actor.user_id, actor.username,         current.repo_id,
                              full,          std::string(client_ip), "user_updated_repo"};
    if (auto st = store::Journal(*conn).add(entry); !st)
        return fail(std::move(st.error()));

    const fs::path from = fs::path(*root) / current.repo_name;
    const fs::path to = fs::path(*root) / full;
    if (auto st =
            commit_with_move(*tx, moved, from, to, "The repository directory could not be moved");
        !st)
        return fail(std::move(st.error()));
    if (moved)
        log::info("repository {} renamed to {} by {}", current.repo_name, full, actor.username);
    return full;
}

Status set_repo_fork_of(App& app, const AuthUser& actor, std::string_view name,
                        const std::optional<std::string>& fork_of) {
    auto info = authorize_repository(app, actor, name, perm::Level::admin);
    RETURN_IF_ERROR(info);
    std::optional<int64_t> fork_id;
    if (fork_of && !fork_of->empty()) {
        auto target = authorize_repository(app, actor, *fork_of, perm::Level::read);
        if (!target) {
            if (target.error().code == Errc::not_found || target.error().code == Errc::forbidden)
                return fail(Errc::invalid_argument,
                            fmt::format("Repository {} does not exist", *fork_of));
            return fail(std::move(target.error()));
        }
        if (target->repo_id == info->repo_id)
            return fail(Errc::invalid_argument, "A repository cannot be a fork of itself");
        if (target->type != info->type)
            return fail(Errc::invalid_argument,
                        "A repository can only be a fork of a repository of the same type");
        fork_id = target->repo_id;
    }
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return store::RepoUpdates(*conn).set_fork(info->repo_id, fork_id);
}

}  // namespace kallithea::service
