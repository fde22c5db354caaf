"""User administration pages (/_admin/users...) through the real server."""
import re

import requests

from conftest import ADMIN_PASSWORD, csrf_token, login, make_repo, make_user, try_login
from sql_fixtures import add_user_email, make_bulk_users, set_user_extern


def admin_session(srv):
    s = login(srv.url, "admin", ADMIN_PASSWORD)
    r = s.get(srv.url + "/_admin/users")
    assert r.status_code == 200
    return s, csrf_token(r.text)


def user_id(srv, username):
    row = srv.db().execute("SELECT user_id FROM users WHERE username=?", (username,)).fetchone()
    return row[0] if row else None


def user_count(srv):
    return srv.db().execute("SELECT COUNT(*) FROM users").fetchone()[0]


def new_user_form(token, **overrides):
    data = {"_session_csrf_secret_token": token, "username": "carol", "password": "carol-pass-1",
            "password_confirmation": "carol-pass-1", "firstname": "Carol", "lastname": "Singer",
            "email": "carol@example.com", "active": "True"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def profile_form(token, srv, who, **overrides):
    row = srv.db().execute("SELECT username, firstname, lastname, email, active, admin FROM users "
                           "WHERE username=?", (who,)).fetchone()
    data = {"_session_csrf_secret_token": token, "username": row[0], "firstname": row[1],
            "lastname": row[2], "email": row[3]}
    if row[4]:
        data["active"] = "True"
    if row[5]:
        data["admin"] = "True"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_grid_lists_and_searches_users(server):
    make_user(server, "dave", firstname="David", email="dave@corp.example")
    make_user(server, "erin")
    s, _ = admin_session(server)
    r = s.get(server.url + "/_admin/users")
    assert 'data-user="dave"' in r.text and 'data-user="erin"' in r.text
    assert 'data-user="default"' not in r.text
    assert "/_admin/users/new" in r.text
    r = s.get(server.url + "/_admin/users", params={"q": "CORP.example"})
    assert 'data-user="dave"' in r.text and 'data-user="erin"' not in r.text


def test_grid_pages_by_fifty(server):
    make_bulk_users(server, [f"bulk{i:02d}" for i in range(60)])
    s, _ = admin_session(server)
    first = s.get(server.url + "/_admin/users")
    assert len(re.findall(r'<tr data-user="', first.text)) == 50
    assert 'data-pages="2"' in first.text
    second = s.get(server.url + "/_admin/users", params={"page": 2})
    assert len(re.findall(r'<tr data-user="', second.text)) == 11  # 60 + admin


def test_create_user_through_the_form(server):
    s, token = admin_session(server)
    r = s.get(server.url + "/_admin/users/new")
    assert r.status_code == 200 and 'name="password_confirmation"' in r.text
    r = s.post(server.url + "/_admin/users", data=new_user_form(token), allow_redirects=False)
    assert r.status_code == 303
    uid = user_id(server, "carol")
    assert uid and r.headers["Location"].endswith(f"/_admin/users/{uid}/edit")
    page = s.get(server.url + r.headers["Location"])
    assert "Created user carol" in page.text
    row = server.db().execute("SELECT firstname, lastname, email, active, admin FROM users "
                              "WHERE user_id=?", (uid,)).fetchone()
    assert row == ("Carol", "Singer", "carol@example.com", 1, 0)
    assert login(server.url, "carol", "carol-pass-1").get(
        server.url + "/_admin/my_account").status_code == 200


def test_create_user_refuses_bad_input(server):
    make_user(server, "taken", email="Taken@Example.com")
    s, token = admin_session(server)
    before = user_count(server)
    cases = [
        ({"username": "TAKEN"}, "username", "already exists"),
        ({"email": "taken@EXAMPLE.com"}, "email", "already exists"),
        ({"email": "not-an-email"}, "email", "not a valid email"),
        ({"password": "abc", "password_confirmation": "abc"}, "password", "at least 6"),
        ({"password_confirmation": "different-1"}, "password_confirmation", "do not match"),
        ({"username": "default"}, "username", "reserved"),
        ({"username": "new_user"}, "username", "reserved"),
        ({"username": "bad name"}, "username", "may only contain"),
    ]
    for overrides, field, message in cases:
        r = s.post(server.url + "/_admin/users", data=new_user_form(token, **overrides),
                   allow_redirects=False)
        assert r.status_code == 200, overrides
        m = re.search(r'data-error="%s">([^<]*)<' % field, r.text)
        assert m and message in m.group(1), (overrides, r.text[:3000])
        assert 'value="Carol"' in r.text  # posted values come back
    assert user_count(server) == before


def test_edit_profile_and_password(server):
    uid = make_user(server, "frank", firstname="Frank")
    s, token = admin_session(server)
    r = s.get(server.url + f"/_admin/users/{uid}/edit")
    assert r.status_code == 200 and 'value="Frank"' in r.text
    for tab in ("advanced", "api_keys", "permissions", "emails", "ips"):
        assert f"/_admin/users/{uid}/edit/{tab}" in r.text
    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "frank", username="franklin",
                                 firstname="Franklin", email="FRANKLIN@example.com",
                                 new_password="brand-new-pw", password_confirmation="brand-new-pw"),
               allow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    row = server.db().execute("SELECT username, firstname, email FROM users WHERE user_id=?",
                              (uid,)).fetchone()
    assert row == ("franklin", "Franklin", "franklin@example.com")
    assert login(server.url, "franklin", "brand-new-pw").get(
        server.url + "/_admin/my_account").status_code == 200

    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "franklin", new_password="another-pw",
                                 password_confirmation="mismatch"))
    assert r.status_code == 200 and 'data-error="password_confirmation"' in r.text
    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "franklin", email="admin@example.com"))
    assert r.status_code == 200 and 'data-error="email"' in r.text
    assert user_id(server, "franklin") == uid


def test_inactive_user_cannot_log_in(server):
    uid = make_user(server, "gina")
    user = login(server.url, "gina", "secret-pass-1")
    assert user.get(server.url + "/_admin/my_account").status_code == 200
    s, token = admin_session(server)
    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "gina", active=None), allow_redirects=False)
    assert r.status_code == 303
    assert server.db().execute("SELECT active FROM users WHERE user_id=?", (uid,)).fetchone()[0] == 0
    # The running session ends, and a new login is refused.
    assert user.get(server.url + "/_admin/my_account", allow_redirects=False).status_code == 302
    again, r = try_login(server.url, "gina", "secret-pass-1")
    assert r.status_code == 200  # the form again
    assert again.get(server.url + "/_admin/my_account", allow_redirects=False).status_code == 302


def test_admin_cannot_demote_or_deactivate_themselves(server):
    s, token = admin_session(server)
    uid = user_id(server, "admin")
    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "admin", admin=None))
    assert r.status_code == 200 and 'data-error="admin"' in r.text
    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "admin", active=None))
    assert r.status_code == 200 and 'data-error="active"' in r.text
    row = server.db().execute("SELECT active, admin FROM users WHERE user_id=?", (uid,)).fetchone()
    assert row == (1, 1)


def test_default_user_and_unknown_ids_are_not_found(server):
    s, token = admin_session(server)
    default_id = user_id(server, "default")
    for path in (f"/_admin/users/{default_id}/edit", f"/_admin/users/{default_id}/edit/advanced",
                 "/_admin/users/9999/edit", "/_admin/users/abc/edit",
                 "/_admin/users/9999/edit/emails"):
        assert s.get(server.url + path).status_code == 404, path
    r = s.post(server.url + f"/_admin/users/{default_id}/delete",
               data={"_session_csrf_secret_token": token})
    assert r.status_code == 404
    assert user_id(server, "default") == default_id


def test_delete_refused_while_owning_a_repository(server):
    uid = make_user(server, "henry")
    make_repo(server, "henrys-repo", owner="henry")
    s, token = admin_session(server)
    r = s.get(server.url + f"/_admin/users/{uid}/edit/advanced")
    assert 'data-repo="henrys-repo"' in r.text
    r = s.post(server.url + f"/_admin/users/{uid}/delete",
               data={"_session_csrf_secret_token": token})
    assert r.status_code == 200
    m = re.search(r'data-error="delete">([^<]*)<', r.text)
    assert m and "henrys-repo" in m.group(1)
    assert user_id(server, "henry") == uid

    db = server.db()
    db.execute("UPDATE repositories SET user_id=(SELECT user_id FROM users WHERE username='admin')")
    db.commit()
    add_user_email(server, uid, "h2@example.com")
    user = login(server.url, "henry", "secret-pass-1")
    assert user.get(server.url + "/_admin/my_account").status_code == 200
    r = s.post(server.url + f"/_admin/users/{uid}/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False)
    assert r.status_code == 303
    assert user_id(server, "henry") is None
    db = server.db()
    assert db.execute("SELECT COUNT(*) FROM user_email_map WHERE user_id=?", (uid,)).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM web_sessions WHERE user_id=?", (uid,)).fetchone()[0] == 0


def test_delete_refused_while_authoring_a_gist(server):
    uid = make_user(server, "hugo")
    db = server.db()
    db.execute("INSERT INTO gists (gist_access_id, gist_description, user_id, gist_expires, "
               "gist_type, created_on, modified_at) VALUES ('1', '', ?, -1, 'public', "
               "'2024-01-01 00:00:00', '2024-01-01 00:00:00')", (uid,))
    db.commit()
    s, token = admin_session(server)
    r = s.post(server.url + f"/_admin/users/{uid}/delete",
               data={"_session_csrf_secret_token": token})
    assert r.status_code == 200
    m = re.search(r'data-error="delete">([^<]*)<', r.text)
    assert m and "gists" in m.group(1)
    assert user_id(server, "hugo") == uid


def test_admin_changing_own_password_keeps_the_session(server):
    s, token = admin_session(server)
    uid = user_id(server, "admin")
    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "admin", new_password="admin-new-pw",
                                 password_confirmation="admin-new-pw"), allow_redirects=False)
    assert r.status_code == 303
    assert s.get(server.url + "/_admin/users").status_code == 200
    assert login(server.url, "admin", "admin-new-pw").get(
        server.url + "/_admin/users").status_code == 200


def test_cannot_delete_yourself(server):
    s, token = admin_session(server)
    uid = user_id(server, "admin")
    r = s.post(server.url + f"/_admin/users/{uid}/delete",
               data={"_session_csrf_secret_token": token})
    assert r.status_code == 200 and 'data-error="delete"' in r.text
    assert user_id(server, "admin") == uid


def test_api_keys_add_and_delete(server):
    uid = make_user(server, "ivy")
    s, token = admin_session(server)
    base = server.url + f"/_admin/users/{uid}/edit/api_keys"
    r = s.get(base)
    main_key = server.db().execute("SELECT api_key FROM users WHERE user_id=?", (uid,)).fetchone()[0]
    assert main_key in r.text
    r = s.post(base, data={"_session_csrf_secret_token": token, "description": "ci bot",
                           "lifetime": "60"}, allow_redirects=False)
    assert r.status_code == 303
    rows = server.db().execute("SELECT api_key, description, expires FROM user_api_keys "
                               "WHERE user_id=?", (uid,)).fetchall()
    assert len(rows) == 1 and rows[0][1] == "ci bot" and rows[0][2] > 0
    key = rows[0][0]
    assert f'data-api-key="{key}"' in s.get(base).text
    r = s.post(base, data={"_session_csrf_secret_token": token, "description": "x",
                           "lifetime": "7"})
    assert r.status_code == 200 and 'data-error="form"' in r.text
    r = s.post(base + "/delete", data={"_session_csrf_secret_token": token, "del_api_key": key},
               allow_redirects=False)
    assert r.status_code == 303
    assert server.db().execute("SELECT COUNT(*) FROM user_api_keys WHERE user_id=?",
                               (uid,)).fetchone()[0] == 0
    r = s.post(base + "/delete", data={"_session_csrf_secret_token": token,
                                       "del_api_key_builtin": "1"}, allow_redirects=False)
    assert r.status_code == 303
    new_key = server.db().execute("SELECT api_key FROM users WHERE user_id=?", (uid,)).fetchone()[0]
    assert new_key != main_key and len(new_key) == 40


def test_emails_add_duplicate_and_delete(server):
    uid = make_user(server, "jack")
    make_user(server, "kate", email="kate@example.com")
    s, token = admin_session(server)
    base = server.url + f"/_admin/users/{uid}/edit/emails"
    r = s.post(base, data={"_session_csrf_secret_token": token, "new_email": "Jack2@Example.com"},
               allow_redirects=False)
    assert r.status_code == 303
    rows = server.db().execute("SELECT email_id, email FROM user_email_map WHERE user_id=?",
                               (uid,)).fetchall()
    assert [e for _, e in rows] == ["jack2@example.com"]
    for bad, message in (("KATE@example.com", "already exists"),
                         ("jack2@example.com", "already exists"),
                         ("nope", "not a valid email")):
        r = s.post(base, data={"_session_csrf_secret_token": token, "new_email": bad})
        assert r.status_code == 200
        m = re.search(r'data-error="new_email">([^<]*)<', r.text)
        assert m and message in m.group(1), bad
    r = s.post(base + "/delete", data={"_session_csrf_secret_token": token,
                                       "del_email_id": str(rows[0][0])}, allow_redirects=False)
    assert r.status_code == 303
    assert server.db().execute("SELECT COUNT(*) FROM user_email_map").fetchone()[0] == 0


def test_ip_whitelist_add_invalid_and_delete(server):
    uid = make_user(server, "liam")
    s, token = admin_session(server)
    base = server.url + f"/_admin/users/{uid}/edit/ips"
    r = s.post(base, data={"_session_csrf_secret_token": token, "new_ip": "10.1.0.0/16"},
               allow_redirects=False)
    assert r.status_code == 303
    rows = server.db().execute("SELECT ip_id, ip_addr, active FROM user_ip_map WHERE user_id=?",
                               (uid,)).fetchall()
    assert [(ip, a) for _, ip, a in rows] == [("10.1.0.0/16", 1)]
    for bad in ("300.1.1.1", "not an ip", "10.1.0.0/16"):
        r = s.post(base, data={"_session_csrf_secret_token": token, "new_ip": bad})
        assert r.status_code == 200 and 'data-error="new_ip"' in r.text, bad
    assert server.db().execute("SELECT COUNT(*) FROM user_ip_map WHERE user_id=?",
                               (uid,)).fetchone()[0] == 1
    r = s.post(base + "/delete", data={"_session_csrf_secret_token": token,
                                       "del_ip_id": str(rows[0][0])}, allow_redirects=False)
    assert r.status_code == 303
    assert server.db().execute("SELECT COUNT(*) FROM user_ip_map WHERE user_id=?",
                               (uid,)).fetchone()[0] == 0


def own_global(srv, uid):
    return sorted(r[0] for r in srv.db().execute(
        "SELECT p.permission_name FROM user_to_perm u JOIN permissions p "
        "ON p.permission_id=u.permission_id WHERE u.user_id=?", (uid,)))


def test_global_permissions_tab_writes_user_to_perm(server):
    uid = make_user(server, "mia")
    s, token = admin_session(server)
    base = server.url + f"/_admin/users/{uid}/edit/permissions"
    r = s.get(base)
    assert r.status_code == 200 and 'data-permission="hg.create.repository"' in r.text
    r = s.post(base, data={"_session_csrf_secret_token": token, "create_repo_perm": "True",
                           "create_user_group_perm": "True"}, allow_redirects=False)
    assert r.status_code == 303
    assert own_global(server, uid) == ["hg.create.repository", "hg.fork.none",
                                       "hg.usergroup.create.true"]
    assert 'data-permission="hg.usergroup.create.true"' in s.get(base).text
    s.post(base, data={"_session_csrf_secret_token": token, "fork_repo_perm": "True"})
    assert own_global(server, uid) == ["hg.create.none", "hg.fork.repository",
                                       "hg.usergroup.create.false"]


def test_non_admin_gets_403_and_anonymous_goes_to_login(server):
    make_user(server, "nora")
    user = login(server.url, "nora", "secret-pass-1")
    assert user.get(server.url + "/_admin/users").status_code == 403
    assert user.get(server.url + "/_admin/users/1/edit").status_code == 403
    r = requests.get(server.url + "/_admin/users", allow_redirects=False)
    assert r.status_code == 302 and "/_admin/login" in r.headers["Location"]


def test_fields_managed_by_the_auth_plugin_are_read_only(server):
    uid = make_user(server, "lara", firstname="Lara", email="lara@example.com")
    set_user_extern(server, "lara", "ldap", "uid=lara")
    s, token = admin_session(server)
    r = s.get(server.url + f"/_admin/users/{uid}/edit")
    assert 'data-managed="username"' in r.text and 'data-managed="email"' in r.text
    assert 'name="new_password"' not in r.text
    r = s.post(server.url + f"/_admin/users/{uid}",
               data=profile_form(token, server, "lara", username="renamed", firstname="X",
                                 email="x@example.com", admin="True"), allow_redirects=False)
    assert r.status_code == 303
    row = server.db().execute("SELECT username, firstname, email, admin FROM users WHERE user_id=?",
                              (uid,)).fetchone()
    assert row == ("lara", "Lara", "lara@example.com", 1)
