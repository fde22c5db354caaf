"""User group administration (/_admin/user_groups): creating, settings, members, the group's
global grants, deletion, who may do what, and inactive groups granting nothing."""
import html
import re

import pytest

from conftest import (ADMIN_PASSWORD, csrf_token, grant, login, make_repo, make_user,
                      make_user_group)
from sql_fixtures import set_default_permission

BASE = "/_admin/user_groups"


def session_for(srv, username, password="secret-pass-1"):
    s = login(srv.url, username, password)
    r = s.get(srv.url + BASE)
    assert r.status_code == 200, r.text
    s.token = csrf_token(r.text)
    assert s.token
    return s


def admin(srv):
    return session_for(srv, "admin", ADMIN_PASSWORD)


def post(s, srv, path, **fields):
    data = {"_session_csrf_secret_token": s.token}
    data.update(fields)
    return s.post(srv.url + path, data=data, allow_redirects=False)


def group_row(srv, name):
    return srv.db().execute(
        "SELECT users_group_id, users_group_name, user_group_description, users_group_active, "
        "user_id FROM users_groups WHERE lower(users_group_name)=lower(?)", (name,)).fetchone()


def group_count(srv):
    return srv.db().execute("SELECT count(*) FROM users_groups").fetchone()[0]


def user_id(srv, username):
    return srv.db().execute("SELECT user_id FROM users WHERE username=?",
                            (username,)).fetchone()[0]


def global_grants(srv, gid):
    return sorted(r[0] for r in srv.db().execute(
        "SELECT p.permission_name FROM users_group_to_perm g JOIN permissions p "
        "ON p.permission_id=g.permission_id WHERE g.users_group_id=?", (gid,)))


def test_admin_creates_a_group_with_default_grants(server):
    s = admin(server)
    r = s.get(server.url + BASE + "/new")
    assert r.status_code == 200
    assert 'name="users_group_name"' in r.text
    r = post(s, server, BASE, users_group_name="Devs", user_group_description="the devs",
             users_group_active="True")
    assert r.status_code == 303, r.text
    gid, name, desc, active, owner = group_row(server, "Devs")
    assert (name, desc, bool(active), owner) == ("Devs", "the devs", True,
                                                 user_id(server, "admin"))
    assert r.headers["Location"].endswith(f"{BASE}/{gid}/edit")
    rows = dict(server.db().execute(
        "SELECT u.username, p.permission_name FROM user_user_group_to_perm g JOIN users u ON "
        "u.user_id=g.user_id JOIN permissions p ON p.permission_id=g.permission_id "
        "WHERE g.user_group_id=?", (gid,)).fetchall())
    assert rows == {"default": "usergroup.read", "admin": "usergroup.admin"}
    assert server.db().execute("SELECT username FROM user_logs WHERE action=?",
                               ("admin_created_users_group:Devs",)).fetchall() == [("admin",)]

    r = s.get(server.url + r.headers["Location"])
    assert r.status_code == 200
    assert "Created user group Devs" in r.text
    for tab in ("edit/advanced", "edit/members", "edit/default_perms", "edit/perms"):
        assert f'{BASE}/{gid}/{tab}"' in r.text

    grid = s.get(server.url + BASE).text
    assert 'data-user-group="Devs"' in grid
    assert f'href="{BASE}/{gid}/edit"' in grid
    assert 'data-action="create-user-group"' in grid


@pytest.mark.parametrize("name,message", [
    ("", "Please enter a user group name"),
    ("   ", "Please enter a user group name"),
    ("devs", "already exists"),
    ("DEVS", "already exists"),
    ("a/b", "may not contain '/'"),
    ("bad<name>", "Invalid user group name"),
    ("x" * 256, "at most 255"),
])
def test_bad_names_are_refused_on_the_form(server, name, message):
    make_user_group(server, "Devs")
    s = admin(server)
    before = group_count(server)
    r = post(s, server, BASE, users_group_name=name, user_group_description="kept text",
             users_group_active="True")
    assert r.status_code == 200
    assert 'data-error="users_group_name"' in r.text
    assert message in html.unescape(r.text)
    assert "kept text" in r.text
    assert group_count(server) == before


def test_edit_settings(server):
    make_user(server, "carol")
    gid = make_user_group(server, "devs")
    make_user_group(server, "ops")
    s = admin(server)
    r = s.get(f"{server.url}{BASE}/{gid}/edit")
    assert r.status_code == 200
    assert 'value="devs"' in r.text
    r = post(s, server, f"{BASE}/{gid}", users_group_name="developers",
             user_group_description="new text", owner="carol")
    assert r.status_code == 303, r.text
    assert group_row(server, "developers")[1:] == ("developers", "new text", 0,
                                                   user_id(server, "carol"))
    assert server.db().execute("SELECT count(*) FROM user_logs WHERE action=?",
                               ("admin_updated_users_group:developers",)).fetchone()[0] == 1
    # Errors: unknown owner, name taken (case-insensitively); nothing changes.
    r = post(s, server, f"{BASE}/{gid}", users_group_name="developers",
             user_group_description="x", owner="nobody-here", users_group_active="True")
    assert r.status_code == 200
    assert 'data-error="owner"' in r.text and "No user named nobody-here" in r.text
    r = post(s, server, f"{BASE}/{gid}", users_group_name="OPS", user_group_description="x",
             owner="carol", users_group_active="True")
    assert r.status_code == 200
    assert 'data-error="users_group_name"' in r.text and "already exists" in r.text
    assert group_row(server, "developers")[1:] == ("developers", "new text", 0,
                                                   user_id(server, "carol"))


def test_members(server):
    make_user(server, "bob")
    gid = make_user_group(server, "devs")
    s = admin(server)
    path = f"{BASE}/{gid}/edit/members"
    r = post(s, server, path, action="add", username="bob")
    assert r.status_code == 303
    members = server.db().execute("SELECT user_id FROM users_groups_members WHERE "
                                  "users_group_id=?", (gid,)).fetchall()
    assert members == [(user_id(server, "bob"),)]
    page = s.get(server.url + path).text
    assert 'data-member="bob"' in page

    r = post(s, server, path, action="add", username="bob")
    assert r.status_code == 200
    assert "already a member" in r.text
    r = post(s, server, path, action="add", username="ghost")
    assert r.status_code == 200
    assert 'data-error="username"' in r.text and "No user named ghost" in r.text
    assert server.db().execute("SELECT count(*) FROM users_groups_members WHERE "
                               "users_group_id=?", (gid,)).fetchone()[0] == 1
    assert 'data-members="1"' in s.get(server.url + BASE).text

    r = post(s, server, path, action="remove", user_id=str(user_id(server, "bob")))
    assert r.status_code == 303
    assert server.db().execute("SELECT count(*) FROM users_groups_members WHERE "
                               "users_group_id=?", (gid,)).fetchone()[0] == 0


def test_default_perms_give_members_global_rights(server):
    make_user(server, "bob")
    gid = make_user_group(server, "devs", members=["bob"])
    set_default_permission(server, "hg.usergroup.create.false")
    bob = session_for(server, "bob")
    assert bob.get(server.url + BASE + "/new").status_code == 403

    s = admin(server)
    path = f"{BASE}/{gid}/edit/default_perms"
    r = post(s, server, path, create_repo_perm="True", create_user_group_perm="True")
    assert r.status_code == 303
    assert global_grants(server, gid) == ["hg.create.repository", "hg.fork.none",
                                          "hg.usergroup.create.true"]
    page = s.get(server.url + path).text
    assert re.search(r'name="create_user_group_perm" value="True" checked', page)
    assert not re.search(r'name="fork_repo_perm" value="True" checked', page)
    assert bob.get(server.url + BASE + "/new").status_code == 200
    r = post(bob, server, BASE, users_group_name="bobs", users_group_active="True")
    assert r.status_code == 303
    assert group_row(server, "bobs")[4] == user_id(server, "bob")

    # Deactivated: the group's grants no longer count.
    db = server.db()
    db.execute("UPDATE users_groups SET users_group_active=0 WHERE users_group_id=?", (gid,))
    db.commit()
    assert bob.get(server.url + BASE + "/new").status_code == 403

    r = post(s, server, path)
    assert r.status_code == 303
    assert global_grants(server, gid) == ["hg.create.none", "hg.fork.none",
                                          "hg.usergroup.create.false"]


def test_delete_with_and_without_force(server):
    make_user(server, "bob")
    make_repo(server, "r1")
    gid = make_user_group(server, "devs", members=["bob"])
    other = make_user_group(server, "other")
    grant(server, "repo", "r1", "group", "devs", "repository.write")
    grant(server, "user_group", "other", "group", "devs", "usergroup.read")
    s = admin(server)
    r = post(s, server, f"{BASE}/{gid}/delete")
    assert r.status_code == 200
    assert 'data-error="form"' in r.text and "r1" in r.text
    assert group_row(server, "devs")

    r = post(s, server, f"{BASE}/{gid}/delete", force="True")
    assert r.status_code == 303
    assert r.headers["Location"].endswith(BASE)
    assert group_row(server, "devs") is None
    db = server.db()
    for sql in ("SELECT count(*) FROM users_groups_members WHERE users_group_id=?",
                "SELECT count(*) FROM users_group_repo_to_perm WHERE users_group_id=?",
                "SELECT count(*) FROM user_user_group_to_perm WHERE user_group_id=?",
                "SELECT count(*) FROM user_group_user_group_to_perm WHERE user_group_id=?"):
        assert db.execute(sql, (gid,)).fetchone()[0] == 0, sql
    assert group_row(server, "other")[0] == other
    assert "Deleted user group devs" in s.get(server.url + BASE).text

    # Unused groups go without force.
    r = post(s, server, f"{BASE}/{other}/delete")
    assert r.status_code == 303
    assert group_count(server) == 0


def test_regular_users_need_rights(server):
    make_user(server, "bob")
    managed = make_user_group(server, "managed")
    readable = make_user_group(server, "readable")
    hidden = make_user_group(server, "hidden")
    grant(server, "user_group", "managed", "user", "bob", "usergroup.admin")
    grant(server, "user_group", "readable", "user", "default", "usergroup.read")
    grant(server, "user_group", "hidden", "user", "default", "usergroup.none")
    grant(server, "user_group", "managed", "user", "default", "usergroup.none")
    set_default_permission(server, "hg.usergroup.create.false")
    bob = session_for(server, "bob")

    assert bob.get(server.url + BASE + "/new").status_code == 403
    r = post(bob, server, BASE, users_group_name="mine", users_group_active="True")
    assert r.status_code == 403
    assert group_row(server, "mine") is None

    grid = bob.get(server.url + BASE).text
    assert 'data-user-group="managed"' in grid and 'data-user-group="readable"' in grid
    assert 'data-user-group="hidden"' not in grid
    assert f'{BASE}/{managed}/edit"' in grid and f'{BASE}/{readable}/edit"' not in grid
    assert 'data-action="create-user-group"' not in grid

    assert bob.get(f"{server.url}{BASE}/{managed}/edit").status_code == 200
    r = post(bob, server, f"{BASE}/{managed}/edit/members", action="add", username="bob")
    assert r.status_code == 303
    assert bob.get(f"{server.url}{BASE}/{readable}/edit").status_code == 403
    assert post(bob, server, f"{BASE}/{readable}/delete", force="True").status_code == 403
    assert bob.get(f"{server.url}{BASE}/{hidden}/edit").status_code == 404
    assert bob.get(f"{server.url}{BASE}/{hidden}/edit/members").status_code == 404
    assert group_count(server) == 3


def test_unknown_and_malformed_ids(server):
    s = admin(server)
    assert s.get(f"{server.url}{BASE}/9999/edit").status_code == 404
    assert s.get(f"{server.url}{BASE}/abc/edit").status_code == 404
    assert post(s, server, f"{BASE}/9999/delete").status_code == 404


def test_anonymous_is_sent_to_login(server):
    import requests
    r = requests.get(server.url + BASE, allow_redirects=False)
    assert r.status_code == 302
    assert "/_admin/login" in r.headers["Location"]


def test_inactive_group_grants_nothing(server):
    make_user(server, "bob")
    make_repo(server, "secret", private=True)
    gid = make_user_group(server, "readers", members=["bob"], active=False)
    grant(server, "repo", "secret", "group", "readers", "repository.read")
    bob = session_for(server, "bob")
    assert bob.get(server.url + "/secret/summary").status_code == 404

    s = admin(server)
    r = post(s, server, f"{BASE}/{gid}", users_group_name="readers", user_group_description="",
             owner="admin", users_group_active="True")
    assert r.status_code == 303
    assert bob.get(server.url + "/secret/summary").status_code == 200
