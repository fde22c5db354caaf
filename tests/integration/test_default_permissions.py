"""/_admin/permissions (default user's grants, anonymous access, apply to existing, global IP
whitelist, overview) and /_admin/defaults."""
import subprocess

import pytest
import requests

from conftest import (ADMIN_PASSWORD, csrf_token, git_env, login, make_repo, make_user,
                      make_user_group, wait_until)


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return git_env(home)


def clone(env, srv, repo, dest):
    return subprocess.run(["git", "clone", "-q", f"http://127.0.0.1:{srv.port}/{repo}", str(dest)],
                          env=env, capture_output=True, text=True, timeout=120)


FORM_DEFAULTS = {
    "anonymous": "True",
    "default_repo_perm": "repository.read",
    "default_group_perm": "group.read",
    "default_user_group_perm": "usergroup.read",
    "default_register": "hg.register.manual_activate",
    "default_extern_activate": "hg.extern_activate.auto",
    "default_repo_create": "hg.create.repository",
    "default_user_group_create": "hg.usergroup.create.false",
    "default_fork": "hg.fork.repository",
}


def admin_session(srv):
    return login(srv.url, "admin", ADMIN_PASSWORD)


def post_permissions(srv, s, **changes):
    page = s.get(srv.url + "/_admin/permissions")
    assert page.status_code == 200
    data = dict(FORM_DEFAULTS)
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    data["_session_csrf_secret_token"] = csrf_token(page.text)
    return s.post(srv.url + "/_admin/permissions", data=data, allow_redirects=False)


def default_globals(srv):
    return sorted(r[0] for r in srv.db().execute(
        "SELECT p.permission_name FROM user_to_perm up JOIN permissions p USING (permission_id) "
        "JOIN users u USING (user_id) WHERE u.username='default'"))


def default_row(srv, table, obj_col, obj_id):
    return srv.db().execute(
        f"SELECT p.permission_name FROM {table} t JOIN permissions p USING (permission_id) "
        f"WHERE t.{obj_col}=? AND t.user_id=(SELECT user_id FROM users WHERE username='default')",
        (obj_id,)).fetchone()[0]


def test_page_shows_current_values(server):
    s = admin_session(server)
    r = s.get(server.url + "/_admin/permissions")
    assert r.status_code == 200
    assert 'name="anonymous" value="True" checked' in r.text
    assert '<option value="repository.read" selected>' in r.text
    assert '<option value="hg.register.manual_activate" selected>' in r.text
    perms = s.get(server.url + "/_admin/permissions/perms")
    assert perms.status_code == 200
    assert "hg.create.repository" in perms.text and "repository.read" in perms.text


def test_non_admin_gets_403(server):
    make_user(server, "joe")
    s = login(server.url, "joe", "secret-pass-1")
    for path in ("/_admin/permissions", "/_admin/permissions/ips", "/_admin/permissions/perms",
                 "/_admin/defaults"):
        assert s.get(server.url + path, allow_redirects=False).status_code == 403, path
    token = csrf_token(s.get(server.url + "/").text)
    r = s.post(server.url + "/_admin/permissions",
               data=dict(FORM_DEFAULTS, _session_csrf_secret_token=token), allow_redirects=False)
    assert r.status_code == 403
    anonymous = requests.get(server.url + "/_admin/permissions", allow_redirects=False)
    assert anonymous.status_code == 302
    assert "/_admin/login" in anonymous.headers["Location"]


def test_anonymous_access_off_and_on(server, env, tmp_path):
    make_repo(server, "public-repo")
    s = admin_session(server)
    assert requests.get(server.url + "/", allow_redirects=False).status_code == 200
    r = post_permissions(server, s, anonymous=None)
    assert r.status_code == 303
    assert server.db().execute("SELECT active FROM users WHERE username='default'").fetchone()[0] == 0
    r = requests.get(server.url + "/", allow_redirects=False)
    assert r.status_code == 302 and "/_admin/login" in r.headers["Location"]
    refs = requests.get(server.url + "/public-repo/info/refs?service=git-upload-pack")
    assert refs.status_code == 401
    proc = clone(env, server, "public-repo", tmp_path / "c1")
    assert proc.returncode != 0
    # the admin still works
    assert 'data-username="admin"' in s.get(server.url + "/").text
    r = post_permissions(server, s, anonymous="True")
    assert r.status_code == 303
    assert requests.get(server.url + "/", allow_redirects=False).status_code == 200
    proc = clone(env, server, "public-repo", tmp_path / "c2")
    assert proc.returncode == 0, proc.stderr


def test_global_grants_saved(server):
    s = admin_session(server)
    r = post_permissions(server, s, default_register="hg.register.auto_activate",
                         default_repo_create="hg.create.none", default_fork="hg.fork.none",
                         default_user_group_create="hg.usergroup.create.true",
                         default_extern_activate="hg.extern_activate.manual",
                         default_repo_perm="repository.write")
    assert r.status_code == 303
    assert default_globals(server) == sorted([
        "group.read", "usergroup.read", "repository.write", "hg.create.none", "hg.fork.none",
        "hg.register.auto_activate", "hg.usergroup.create.true", "hg.extern_activate.manual"])
    page = s.get(server.url + "/_admin/permissions")
    assert "successfully" in page.text
    assert '<option value="hg.register.auto_activate" selected>' in page.text


def test_invalid_value_is_a_form_error(server):
    s = admin_session(server)
    before = default_globals(server)
    r = post_permissions(server, s, default_repo_perm="repository.owner",
                         default_fork="hg.fork.none")
    assert r.status_code == 200
    assert 'data-error="default_repo_perm"' in r.text
    assert default_globals(server) == before


def test_apply_to_existing_skips_private_repos(server):
    make_repo(server, "pub1")
    make_repo(server, "pub2")
    make_repo(server, "priv", private=True)
    db = server.db()
    ids = {name: db.execute("SELECT repo_id FROM repositories WHERE repo_name=?",
                            (name,)).fetchone()[0] for name in ("pub1", "pub2", "priv")}
    db.execute("INSERT INTO groups (group_name, group_description, user_id, created_on) VALUES "
               "('grp', '', 1, '2024-01-01 00:00:00')")
    db.commit()
    gid = db.execute("SELECT group_id FROM groups WHERE group_name='grp'").fetchone()[0]
    ugid = make_user_group(server, "ug")
    s = admin_session(server)
    # without the checkbox nothing changes on existing objects
    post_permissions(server, s, default_repo_perm="repository.write")
    assert default_row(server, "repo_to_perm", "repository_id", ids["pub1"]) == "repository.read"
    r = post_permissions(server, s, default_repo_perm="repository.write",
                         overwrite_default_repo="true", default_group_perm="group.write",
                         overwrite_default_group="true", default_user_group_perm="usergroup.none",
                         overwrite_default_user_group="true")
    assert r.status_code == 303
    assert default_row(server, "repo_to_perm", "repository_id", ids["pub1"]) == "repository.write"
    assert default_row(server, "repo_to_perm", "repository_id", ids["pub2"]) == "repository.write"
    assert default_row(server, "repo_to_perm", "repository_id", ids["priv"]) == "repository.none"
    assert default_row(server, "user_repo_group_to_perm", "group_id", gid) == "group.write"
    assert default_row(server, "user_user_group_to_perm", "user_group_id", ugid) == "usergroup.none"


def test_repository_defaults(server):
    s = admin_session(server)
    page = s.get(server.url + "/_admin/defaults")
    assert page.status_code == 200
    token = csrf_token(page.text)
    r = s.post(server.url + "/_admindefaults/defaults/update",
               data={"_session_csrf_secret_token": token, "default_repo_type": "git",
                     "default_repo_private": "True", "default_repo_enable_downloads": "True"},
               allow_redirects=False)
    assert r.status_code == 303
    values = dict(server.db().execute(
        "SELECT app_settings_name, app_settings_value FROM settings WHERE app_settings_name "
        "LIKE 'default_repo_%'").fetchall())
    assert values == {"default_repo_type": "git", "default_repo_private": "True",
                      "default_repo_enable_downloads": "True",
                      "default_repo_enable_statistics": "False"}
    bad = s.post(server.url + "/_admin/defaults",
                 data={"_session_csrf_secret_token": token, "default_repo_type": "svn"})
    assert bad.status_code == 200 and 'data-error="default_repo_type"' in bad.text


def test_ip_whitelist(server, env, tmp_path):
    make_repo(server, "iprepo")
    s = admin_session(server)
    page = s.get(server.url + "/_admin/permissions/ips")
    assert page.status_code == 200
    token = csrf_token(page.text)

    def add(ip):
        return s.post(server.url + "/_admin/permissions/ips",
                      data={"_session_csrf_secret_token": token, "new_ip": ip},
                      allow_redirects=False)

    r = add("not-an-ip")
    assert r.status_code == 200 and 'data-error="new_ip"' in r.text
    r = add("10.0.0.0/8")
    assert r.status_code == 200 and 'data-error="new_ip"' in r.text and "lock you out" in r.text
    db = server.db()
    assert db.execute("SELECT count(*) FROM user_ip_map").fetchone()[0] == 0
    r = add("127.0.0.1/32")
    assert r.status_code == 303
    assert s.get(server.url + "/_admin/permissions/ips").status_code == 200
    r = add("10.0.0.0/8")  # fine now: 127.0.0.1 stays allowed
    assert r.status_code == 303
    rows = db.execute("SELECT ip_id, ip_addr FROM user_ip_map ORDER BY ip_id").fetchall()
    assert [ip for _, ip in rows] == ["127.0.0.1/32", "10.0.0.0/8"]
    # removing the entry that allows us is refused
    r = s.post(server.url + "/_admin/permissions/ips/delete",
               data={"_session_csrf_secret_token": token, "del_ip_id": str(rows[0][0])})
    assert r.status_code == 200 and "lock you out" in r.text
    assert db.execute("SELECT count(*) FROM user_ip_map").fetchone()[0] == 2
    assert requests.get(server.url + "/").status_code == 200
    assert clone(env, server, "iprepo", tmp_path / "ok").returncode == 0
    # straight in the database: only a network we are not in
    db.execute("DELETE FROM user_ip_map WHERE ip_addr='127.0.0.1/32'")
    db.commit()
    # The app caches the `default` user (its IP list included) for 3 s.
    wait_until(lambda: requests.get(server.url + "/", timeout=30).status_code == 403,
               timeout=15, what="the IP list change to take effect")
    assert s.get(server.url + "/_admin/permissions").status_code == 403
    r = requests.post(server.url + "/_admin/login",
                      data={"username": "admin", "password": ADMIN_PASSWORD},
                      allow_redirects=False)
    assert r.status_code == 403
    refs = requests.get(server.url + "/iprepo/info/refs?service=git-upload-pack",
                        auth=("admin", ADMIN_PASSWORD))
    assert refs.status_code == 403
    assert clone(env, server, "iprepo", tmp_path / "refused").returncode != 0
