// Implementation of service/account/my_account.hpp.
#include "service/account/my_account.hpp"

#include "auth/password.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "service/permissions/permissions.hpp"
#include "service/repos/repo_access.hpp"
#include "service/users/users.hpp"
#include "store/users/users.hpp"

namespace kallithea::service {
namespace {

Result<std::vector<ObjectRef>> to_refs(Result<std::vector<store::UserObjectRef>> rows) {
    RETURN_IF_ERROR(rows);
    std::vector<ObjectRef> out;
    for (const auto& r : *rows)
        out.push_back({r.id, r.name});
    return out;
}

}  // namespace

Status update_my_profile(App& app, const AuthUser& me, const MyProfileChange& change) {
    if (!me.authenticated())
        return fail(Errc::unauthorized, "Log in first");
    auto account = get_user(app, *me.user_id);
    RETURN_IF_ERROR(account);
    ProfileChange profile;
    profile.username = account->username;
    profile.firstname = change.firstname;
    profile.lastname = change.lastname;
    profile.email = change.email;
    profile.active = account->active;
    profile.admin = account->admin;
    return update_user(app, me, *me.user_id, profile);
}

Status change_my_password(App& app, const Session& session, std::string_view current_password,
                          std::string_view new_password, std::string_view confirmation) {
    const AuthUser& me = session.user;
    if (!me.authenticated())
        return fail(Errc::unauthorized, "Log in first");
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    store::Users users(*conn);
    auto row = users.by_id(*me.user_id);
    RETURN_IF_ERROR(row);
    if (!*row)
        return fail(Errc::not_found, "no such user");
    UserAccount account;
    account.extern_type = (*row)->extern_type.value_or("internal");
    if (managed_fields(account).password)
        return fail_field(Errc::invalid_argument, "new_password",
                          "Your password is managed by your authentication plugin");
    if (!auth::verify_password(current_password, (*row)->password))
        return fail_field(Errc::invalid_argument, "current_password",
                          "The current password is wrong");
    if (auto st = validate_password(new_password); !st)
        return fail_field("new_password", std::move(st.error()));
    if (new_password != confirmation)
        return fail_field(Errc::invalid_argument, "password_confirmation",
                          "Passwords do not match");
    auto hash = auth::hash_password(new_password);
    RETURN_IF_ERROR(hash);
    auto tx = db::Transaction::begin(*conn);
    RETURN_IF_ERROR(tx);
    if (auto st = users.set_password(*me.user_id, *hash); !st)
        return st;
    RETURN_IF_ERROR(users.end_sessions(*me.user_id, session.id));
    return tx->commit();
}

Result<std::vector<ObjectRef>> my_repositories(App& app, const AuthUser& me) {
    if (!me.authenticated())
        return fail(Errc::unauthorized, "Log in first");
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return to_refs(store::Users(*conn).owned_repositories(*me.user_id));
}

Result<std::vector<ObjectRef>> watched_repositories(App& app, const AuthUser& me) {
    if (!me.authenticated())
        return fail(Errc::unauthorized, "Log in first");
    auto conn = app.pool().acquire();
    RETURN_IF_ERROR(conn);
    return to_refs(store::Users(*conn).followed_repositories(*me.user_id));
}

Result<MyPermissions> my_permissions(App& app, const AuthUser& me) {
    if (!me.authenticated())
        return fail(Errc::unauthorized, "Log in first");
    MyPermissions out;
    auto global = global_permissions(app, me);
    RETURN_IF_ERROR(global);
    out.global = std::move(*global);
    Result<std::vector<ObjectRef>> related = std::vector<ObjectRef>{};
    {
        auto conn = app.pool().acquire();
        RETURN_IF_ERROR(conn);
        related = to_refs(store::Users(*conn).related_repositories(*me.user_id));
    }
    RETURN_IF_ERROR(related);
    for (const auto& repo : *related) {
        auto info = authorize_repository(app, me, repo.name, perm::Level::none);
        if (!info) {
            if (info.error().code == Errc::not_found || info.error().code == Errc::forbidden) {
                out.repositories.push_back({repo.name, perm::Level::none});
                continue;
            }
            return fail(std::move(info.error()));
        }
        out.repositories.push_back({repo.name, info->level});
    }
    return out;
}

}  // namespace kallithea::service
