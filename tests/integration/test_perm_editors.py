"""The permission editors: a repository's permissions tab (users, user groups, git push access,
unknown names, explicit none) and the user group permissions tab."""
from pathlib import Path

import pytest

from conftest import (ADMIN_PASSWORD, csrf_token, git, git_env, grant, login, make_repo,
                      make_user, make_user_group)


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return git_env(home)


def work_copy(env, tmp_path):
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    Path(work, "a.txt").write_text("a\n")
    git(env, "add", "a.txt", cwd=work)
    git(env, "commit", "-q", "-m", "a", cwd=work)
    return work


def push(env, srv, work, repo, user, password="secret-pass-1"):
    url = f"http://{user}:{password}@127.0.0.1:{srv.port}/{repo}"
    return git(env, "push", url, "HEAD:refs/heads/master", cwd=work, check=False)


def admin(srv):
    return login(srv.url, "admin", ADMIN_PASSWORD)


def repo_grants(srv, repo):
    db = srv.db()
    rows = db.execute(
        "SELECT u.username, p.permission_name FROM repo_to_perm r JOIN users u USING (user_id) "
        "JOIN permissions p USING (permission_id) JOIN repositories x ON "
        "x.repo_id = r.repository_id WHERE x.repo_name=?", (repo,)).fetchall()
    groups = db.execute(
        "SELECT g.users_group_name, p.permission_name FROM users_group_repo_to_perm r "
        "JOIN users_groups g USING (users_group_id) JOIN permissions p USING (permission_id) "
        "JOIN repositories x ON x.repo_id = r.repository_id WHERE x.repo_name=?",
        (repo,)).fetchall()
    db.close()
    return dict(rows), dict(groups)


def user_id(srv, name):
    return srv.db().execute("SELECT user_id FROM users WHERE username=?", (name,)).fetchone()[0]


def post_perms(session, srv, path, form_page=None, **fields):
    page = session.get(srv.url + (form_page or path))
    assert page.status_code == 200, page.text
    data = {"_session_csrf_secret_token": csrf_token(page.text)}
    data.update(fields)
    return session.post(srv.url + path, data=data, allow_redirects=False)


def test_repo_perms_page_lists_default_first(server):
    make_repo(server, "proj")
    make_user(server, "bob")
    grant(server, "repo", "proj", "user", "bob", "repository.write")
    s = admin(server)
    r = s.get(server.url + "/proj/settings/permissions")
    assert r.status_code == 200
    assert 'class="perms"' in r.text
    assert 'data-error=' not in r.text
    assert "default (anonymous and everyone)" in r.text
    assert r.text.index('class="default-row"') < r.text.index('data-grantee="bob"')
    assert 'data-grantee="bob" data-grantee-id' in r.text


def test_grant_write_allows_push_and_revoke_removes_it(server, env, tmp_path):
    make_repo(server, "proj")
    bob = make_user(server, "bob")
    work = work_copy(env, tmp_path)
    denied = push(env, server, work, "proj", "bob")
    assert denied.returncode != 0
    assert "403" in denied.stderr

    s = admin(server)
    r = post_perms(s, server, "/proj/settings/permissions", add_name="bob", add_kind="user",
                   add_perm="repository.write")
    assert r.status_code == 303, r.text
    assert repo_grants(server, "proj")[0]["bob"] == "repository.write"
    assert push(env, server, work, "proj", "bob").returncode == 0

    # Revoke through the row's button.
    page = s.get(server.url + "/proj/settings/permissions")
    r = s.post(server.url + "/proj/settings/permissions/delete",
               data={"_session_csrf_secret_token": csrf_token(page.text), "obj_type": "user",
                     "id": str(bob)}, allow_redirects=False)
    assert r.status_code == 303
    assert "bob" not in repo_grants(server, "proj")[0]
    Path(work, "b.txt").write_text("b\n")
    git(env, "add", "b.txt", cwd=work)
    git(env, "commit", "-q", "-m", "b", cwd=work)
    again = push(env, server, work, "proj", "bob")
    assert again.returncode != 0 and "403" in again.stderr


def test_change_existing_row_and_grant_user_group(server, env, tmp_path):
    make_repo(server, "proj")
    make_user(server, "carol")
    make_user(server, "dave")
    group_id = make_user_group(server, "devs", members=["carol"])
    grant(server, "repo", "proj", "user", "dave", "repository.read")
    dave = user_id(server, "dave")
    s = admin(server)
    r = post_perms(s, server, "/proj/settings/permissions",
                   **{f"perm_user_{dave}": "repository.admin", "add_name": "devs",
                      "add_kind": "group", "add_perm": "repository.write"})
    assert r.status_code == 303, r.text
    users, groups = repo_grants(server, "proj")
    assert users["dave"] == "repository.admin"
    assert groups == {"devs": "repository.write"}
    work = work_copy(env, tmp_path)
    assert push(env, server, work, "proj", "carol").returncode == 0
    # Revoke the group with the editor's button value.
    page = s.get(server.url + "/proj/settings/permissions")
    assert f'data-revoke="user_group:{group_id}"' in page.text
    r = s.post(server.url + "/proj/settings/permissions/delete",
               data={"_session_csrf_secret_token": csrf_token(page.text),
                     "revoke": f"user_group:{group_id}"}, allow_redirects=False)
    assert r.status_code == 303
    assert repo_grants(server, "proj")[1] == {}


def test_unknown_name_writes_nothing(server):
    make_repo(server, "proj")
    make_user(server, "dave")
    dave = user_id(server, "dave")
    grant(server, "repo", "proj", "user", "dave", "repository.read")
    before = repo_grants(server, "proj")
    s = admin(server)
    r = post_perms(s, server, "/proj/settings/permissions",
                   **{f"perm_user_{dave}": "repository.admin", "add_name": "nosuchuser",
                      "add_kind": "user", "add_perm": "repository.write"})
    assert r.status_code == 200
    assert 'data-error="form"' in r.text and "nosuchuser" in r.text
    assert repo_grants(server, "proj") == before
    r = post_perms(s, server, "/proj/settings/permissions", add_name="nosuchgroup",
                   add_kind="group", add_perm="repository.write")
    assert r.status_code == 200 and "nosuchgroup" in r.text
    assert repo_grants(server, "proj") == before
    # A permission of the wrong kind.
    r = post_perms(s, server, "/proj/settings/permissions",
                   **{f"perm_user_{dave}": "group.admin"})
    assert r.status_code == 200 and 'data-error="form"' in r.text
    assert repo_grants(server, "proj") == before


def test_default_row_cannot_be_revoked(server):
    make_repo(server, "proj")
    s = admin(server)
    page = s.get(server.url + "/proj/settings/permissions")
    r = s.post(server.url + "/proj/settings/permissions/delete",
               data={"_session_csrf_secret_token": csrf_token(page.text), "obj_type": "user",
                     "id": str(user_id(server, "default"))}, allow_redirects=False)
    assert r.status_code == 200 and 'data-error="form"' in r.text
    assert repo_grants(server, "proj")[0]["default"] == "repository.read"


def test_explicit_none_does_not_lower_public_read(server):
    make_repo(server, "proj")
    make_user(server, "erin")
    s = admin(server)
    r = post_perms(s, server, "/proj/settings/permissions", add_name="erin", add_kind="user",
                   add_perm="repository.none")
    assert r.status_code == 303
    assert repo_grants(server, "proj")[0]["erin"] == "repository.none"
    erin = login(server.url, "erin", "secret-pass-1")
    assert erin.get(server.url + "/proj").status_code == 200


def test_non_admin_cannot_open_repo_permissions(server):
    make_repo(server, "proj")
    make_user(server, "frank")
    frank = login(server.url, "frank", "secret-pass-1")
    assert frank.get(server.url + "/proj/settings/permissions").status_code == 403
    grant(server, "repo", "proj", "user", "frank", "repository.admin")
    assert frank.get(server.url + "/proj/settings/permissions").status_code == 200


def test_user_group_needs_read_to_be_used(server):
    make_repo(server, "proj")
    make_user(server, "gina")
    make_user_group(server, "hidden")
    grant(server, "repo", "proj", "user", "gina", "repository.admin")
    db = server.db()
    gid = db.execute("SELECT users_group_id FROM users_groups WHERE users_group_name='hidden'"
                     ).fetchone()[0]
    # The default user's row on the group: none, so gina may not use it.
    db.execute("DELETE FROM user_user_group_to_perm WHERE user_group_id=?", (gid,))
    db.execute("INSERT INTO user_user_group_to_perm (user_id, permission_id, user_group_id) "
               "SELECT (SELECT user_id FROM users WHERE username='default'), permission_id, ? "
               "FROM permissions WHERE permission_name='usergroup.none'", (gid,))
    db.commit()
    gina = login(server.url, "gina", "secret-pass-1")
    r = post_perms(gina, server, "/proj/settings/permissions", add_name="hidden",
                   add_kind="group", add_perm="repository.read")
    assert r.status_code == 200 and 'data-error="form"' in r.text
    assert repo_grants(server, "proj")[1] == {}


def user_group_grants(srv, name):
    db = srv.db()
    rows = db.execute(
        "SELECT u.username, p.permission_name FROM user_user_group_to_perm r "
        "JOIN users u USING (user_id) JOIN permissions p USING (permission_id) "
        "JOIN users_groups g ON g.users_group_id = r.user_group_id WHERE g.users_group_name=?",
        (name,)).fetchall()
    db.close()
    return dict(rows)


def test_user_group_perms_tab_grant_and_revoke(server):
    gid = make_user_group(server, "team")
    hank = make_user(server, "hank")
    s = admin(server)
    path = f"/_admin/user_groups/{gid}/edit/perms"
    page = s.get(server.url + path)
    assert page.status_code == 200
    assert 'class="edit-tabs"' in page.text and 'data-tab="perms"' in page.text
    r = post_perms(s, server, path, add_name="hank", add_kind="user",
                   add_perm="usergroup.admin")
    assert r.status_code == 303, r.text
    assert user_group_grants(server, "team")["hank"] == "usergroup.admin"
    hank_s = login(server.url, "hank", "secret-pass-1")
    assert hank_s.get(server.url + path).status_code == 200
    r = post_perms(s, server, path + "/delete", form_page=path, obj_type="user", id=str(hank))
    assert r.status_code == 303
    assert "hank" not in user_group_grants(server, "team")
    # Wrong kind of permission for a user group.
    r = post_perms(s, server, path, add_name="hank", add_kind="user",
                   add_perm="repository.admin")
    assert r.status_code == 200 and 'data-error="form"' in r.text
    assert "hank" not in user_group_grants(server, "team")
    assert s.get(server.url + "/_admin/user_groups/99999/edit/perms").status_code == 404
