"""Repository group administration: the grid, creating (admins at the top level, group admins
inside), permissions with "apply to children", renaming / moving with everything inside, and
deleting."""
import re
from pathlib import Path

import requests

from conftest import ADMIN_PASSWORD, csrf_token, grant, login, make_repo, make_user

BACKUP = re.compile(r"^rm__\d{8}_\d{6}_\d{6}_GROUP_(.+)$")


def repo_root(srv):
    return Path(srv.db().execute(
        "SELECT ui_value FROM ui WHERE ui_section='paths' AND ui_key='/'").fetchone()[0])


def admin(srv):
    return login(srv.url, "admin", ADMIN_PASSWORD)


def group_id(srv, name):
    r = srv.db().execute("SELECT group_id FROM groups WHERE group_name=?", (name,)).fetchone()
    return r[0] if r else None


def create(session, srv, name, parent="-1", **extra):
    page = session.get(srv.url + "/_admin/repo_groups/new")
    token = csrf_token(page.text) if page.status_code == 200 else csrf_token(
        session.get(srv.url + "/").text)
    data = {"_session_csrf_secret_token": token, "group_name": name, "group_description": "d",
            "parent_group_id": str(parent)}
    data.update(extra)
    return session.post(srv.url + "/_admin/repo_groups", data=data, allow_redirects=False)


def group_grants(srv, name):
    db = srv.db()
    rows = db.execute(
        "SELECT u.username, p.permission_name FROM user_repo_group_to_perm r "
        "JOIN users u USING (user_id) JOIN permissions p USING (permission_id) "
        "JOIN groups g ON g.group_id = r.group_id WHERE g.group_name=?", (name,)).fetchall()
    db.close()
    return dict(rows)


def repo_user_grants(srv, repo):
    db = srv.db()
    rows = db.execute(
        "SELECT u.username, p.permission_name FROM repo_to_perm r JOIN users u USING (user_id) "
        "JOIN permissions p USING (permission_id) JOIN repositories x ON "
        "x.repo_id = r.repository_id WHERE x.repo_name=?", (repo,)).fetchall()
    db.close()
    return dict(rows)


def test_admin_creates_top_level_group(server):
    s = admin(server)
    page = s.get(server.url + "/_admin/repo_groups")
    assert page.status_code == 200 and 'data-action="create-repo-group"' in page.text
    assert s.get(server.url + "/_admin/repo_groups/new").status_code == 200
    r = create(s, server, "team")
    assert r.status_code == 303, r.text
    assert group_id(server, "team")
    assert (repo_root(server) / "team").is_dir()
    assert group_grants(server, "team") == {"default": "group.read"}
    assert s.get(server.url + "/team").status_code == 200
    assert 'data-group="team"' in s.get(server.url + "/_admin/repo_groups").text
    r = s.get(server.url + "/_admin/repo_groups/team", allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/team")
    # Same name again; bad names.
    r = create(s, server, "team")
    assert r.status_code == 200 and 'data-error="group_name"' in r.text
    for bad in ("a/b", "bad name", "_x", ""):
        r = create(s, server, bad)
        assert r.status_code == 200 and 'data-error="group_name"' in r.text, bad


def test_regular_user_creates_subgroup_only_where_group_admin(server):
    make_user(server, "kim")
    s = admin(server)
    assert create(s, server, "top").status_code == 303
    kim = login(server.url, "kim", "secret-pass-1")
    assert kim.get(server.url + "/_admin/repo_groups/new").status_code == 403
    assert 'data-action="create-repo-group"' not in kim.get(server.url + "/_admin/repo_groups").text
    r = create(kim, server, "mine")
    assert r.status_code == 403
    assert group_id(server, "mine") is None
    top = group_id(server, "top")
    r = create(kim, server, "sub", parent=top)
    assert r.status_code == 403 and group_id(server, "top/sub") is None

    grant(server, "repo_group", "top", "user", "kim", "group.admin")
    page = kim.get(server.url + f"/_admin/repo_groups/new?parent_group={top}")
    assert page.status_code == 200
    assert 'value="-1"' not in page.text  # no top level for non-admins
    r = create(kim, server, "sub", parent=top)
    assert r.status_code == 303, r.text
    assert group_grants(server, "top/sub") == {"default": "group.read", "kim": "group.admin"}
    assert (repo_root(server) / "top" / "sub").is_dir()
    r = create(kim, server, "mine")
    assert r.status_code == 200 and 'data-error="parent_group_id"' in r.text
    assert group_id(server, "mine") is None


def test_copy_parent_permissions(server):
    make_user(server, "lou")
    s = admin(server)
    assert create(s, server, "p").status_code == 303
    grant(server, "repo_group", "p", "user", "lou", "group.write")
    r = create(s, server, "c", parent=group_id(server, "p"), group_copy_permissions="True")
    assert r.status_code == 303
    assert group_grants(server, "p/c") == {"default": "group.read", "lou": "group.write"}


def post_group_perms(session, srv, group, **fields):
    path = f"/_admin/repo_groups/{group}/edit/permissions"
    page = session.get(srv.url + path)
    assert page.status_code == 200, page.text
    data = {"_session_csrf_secret_token": csrf_token(page.text)}
    data.update(fields)
    return session.post(srv.url + path, data=data, allow_redirects=False)


def tree(server):
    make_repo(server, "g/pub")
    make_repo(server, "g/priv", private=True)
    make_repo(server, "g/sub/deep")
    make_user(server, "mo")


def test_apply_to_children_repos(server):
    tree(server)
    s = admin(server)
    r = post_group_perms(s, server, "g", add_name="mo", add_kind="user", add_perm="group.write",
                         apply_to="repos")
    assert r.status_code == 303, r.text
    assert group_grants(server, "g")["mo"] == "group.write"
    assert repo_user_grants(server, "g/pub")["mo"] == "repository.write"
    assert repo_user_grants(server, "g/priv")["mo"] == "repository.write"
    assert repo_user_grants(server, "g/sub/deep")["mo"] == "repository.write"
    assert "mo" not in group_grants(server, "g/sub")


def test_apply_to_children_groups(server):
    tree(server)
    s = admin(server)
    r = post_group_perms(s, server, "g", add_name="mo", add_kind="user", add_perm="group.read",
                         apply_to="groups")
    assert r.status_code == 303
    assert group_grants(server, "g/sub")["mo"] == "group.read"
    assert "mo" not in repo_user_grants(server, "g/pub")


def test_apply_to_children_all_skips_default_on_private(server):
    tree(server)
    default = server.db().execute("SELECT user_id FROM users WHERE username='default'"
                                  ).fetchone()[0]
    s = admin(server)
    r = post_group_perms(s, server, "g", apply_to="all",
                         **{"add_name": "mo", "add_kind": "user", "add_perm": "group.admin",
                            f"perm_user_{default}": "group.write"})
    assert r.status_code == 303, r.text
    assert group_grants(server, "g") == {"default": "group.write", "mo": "group.admin"}
    assert group_grants(server, "g/sub")["mo"] == "group.admin"
    assert group_grants(server, "g/sub")["default"] == "group.write"
    assert repo_user_grants(server, "g/pub") == {"default": "repository.write",
                                                 "mo": "repository.admin"}
    assert repo_user_grants(server, "g/priv") == {"default": "repository.none",
                                                  "mo": "repository.admin"}
    assert repo_user_grants(server, "g/sub/deep")["mo"] == "repository.admin"


def test_group_perms_unknown_name(server):
    tree(server)
    s = admin(server)
    before = group_grants(server, "g")
    r = post_group_perms(s, server, "g", add_name="ghost", add_kind="user",
                         add_perm="group.read", apply_to="all")
    assert r.status_code == 200 and "ghost" in r.text and 'data-error="form"' in r.text
    assert group_grants(server, "g") == before


def test_rename_group_moves_everything_inside(server):
    make_repo(server, "a/r1")
    make_repo(server, "a/b/r2")
    s = admin(server)
    page = s.get(server.url + "/_admin/repo_groups/a/edit")
    assert page.status_code == 200 and 'data-tab="settings"' in page.text
    r = s.post(server.url + "/_admin/repo_groups/a",
               data={"_session_csrf_secret_token": csrf_token(page.text), "group_name": "z",
                     "group_description": "renamed", "parent_group_id": "-1"},
               allow_redirects=False)
    assert r.status_code == 303, r.text
    names = {n for (n,) in server.db().execute("SELECT group_name FROM groups")}
    assert names == {"z", "z/b"}
    repos = {n for (n,) in server.db().execute("SELECT repo_name FROM repositories")}
    assert repos == {"z/r1", "z/b/r2"}
    root = repo_root(server)
    assert (root / "z" / "b" / "r2" / "HEAD").exists() and not (root / "a").exists()
    assert s.get(server.url + "/z/r1").status_code == 200
    assert s.get(server.url + "/z/b/r2").status_code == 200
    assert s.get(server.url + "/a/r1").status_code == 404
    # Move z/b under a new top-level group.
    assert create(s, server, "y").status_code == 303
    page = s.get(server.url + "/_admin/repo_groups/z/b/edit")
    r = s.post(server.url + "/_admin/repo_groups/z/b",
               data={"_session_csrf_secret_token": csrf_token(page.text), "group_name": "b",
                     "group_description": "", "parent_group_id": str(group_id(server, "y"))},
               allow_redirects=False)
    assert r.status_code == 303, r.text
    assert s.get(server.url + "/y/b/r2").status_code == 200
    assert (root / "y" / "b" / "r2" / "HEAD").exists()
    # Not into itself.
    page = s.get(server.url + "/_admin/repo_groups/y/edit")
    r = s.post(server.url + "/_admin/repo_groups/y",
               data={"_session_csrf_secret_token": csrf_token(page.text), "group_name": "y",
                     "group_description": "", "parent_group_id": str(group_id(server, "y/b"))},
               allow_redirects=False)
    assert r.status_code == 200 and 'data-error="parent_group_id"' in r.text


def test_parent_group_messages_name_the_action(server):
    make_user(server, "kim")
    s = admin(server)
    for name, parent in (("top", "-1"), ("other", "-1")):
        assert create(s, server, name, parent=parent).status_code == 303
    assert create(s, server, "sub", parent=group_id(server, "top")).status_code == 303
    grant(server, "repo_group", "top/sub", "user", "kim", "group.admin")
    kim = login(server.url, "kim", "secret-pass-1")
    grant(server, "repo_group", "top", "user", "kim", "group.admin")
    r = create(kim, server, "mine")
    assert r.status_code == 200 and 'data-error="parent_group_id"' in r.text
    assert "Only administrators may create top-level repository groups" in r.text

    def move(parent):
        page = kim.get(server.url + "/_admin/repo_groups/top/sub/edit")
        assert page.status_code == 200
        return kim.post(server.url + "/_admin/repo_groups/top/sub",
                        data={"_session_csrf_secret_token": csrf_token(page.text),
                              "group_name": "sub", "group_description": "",
                              "parent_group_id": parent}, allow_redirects=False)

    r = move("-1")
    assert r.status_code == 200 and 'data-error="parent_group_id"' in r.text
    assert "Only administrators may move repository groups to the top level" in r.text
    r = move(str(group_id(server, "other")))
    assert r.status_code == 200 and 'data-error="parent_group_id"' in r.text
    assert "You may not move repository groups into that group" in r.text
    assert group_id(server, "top/sub") and group_id(server, "sub") is None


def test_delete_group(server):
    make_repo(server, "full/r")
    s = admin(server)
    assert create(s, server, "empty").status_code == 303
    page = s.get(server.url + "/_admin/repo_groups/full/edit/advanced")
    assert page.status_code == 200 and 'data-error=' not in page.text
    token = csrf_token(page.text)
    r = s.post(server.url + "/_admin/repo_groups/full/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False)
    assert r.status_code == 200
    assert "This group contains 1 repositories and 0 groups; it cannot be deleted" in r.text
    assert group_id(server, "full")
    r = s.post(server.url + "/_admin/repo_groups/empty/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False)
    assert r.status_code == 303
    assert group_id(server, "empty") is None
    root = repo_root(server)
    assert not (root / "empty").exists()
    assert any(BACKUP.match(p.name) and BACKUP.match(p.name).group(1) == "empty"
               for p in root.iterdir())
    assert s.get(server.url + "/empty").status_code == 404


def test_group_admin_pages_need_group_admin(server):
    make_repo(server, "g/r")
    make_user(server, "nat")
    nat = login(server.url, "nat", "secret-pass-1")
    assert nat.get(server.url + "/_admin/repo_groups/g/edit").status_code == 403
    grant(server, "repo_group", "g", "user", "nat", "group.admin")
    assert nat.get(server.url + "/_admin/repo_groups/g/edit").status_code == 200
    assert nat.get(server.url + "/_admin/repo_groups/g/edit/permissions").status_code == 200
