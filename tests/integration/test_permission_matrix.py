"""The permission matrix: users {anonymous, regular, group member, owner, admin} x repositories
{public, private, private with grants} x actions {browse, clone, push, settings, delete}, each
cell with exactly the expected outcome, using the real git client for clone and push."""
from pathlib import Path

import pytest
import requests

import conftest
from conftest import (ADMIN_PASSWORD, Server, csrf_token, git, grant, login, make_instance,
                      make_repo, make_user, make_user_group)

PASSWORD = "secret-pass-1"
USERS = ["anonymous", "regular", "member", "owner", "admin"]
REPOS = ["public", "private", "granted"]

# Expected outcome per (user, repo): browse status, clone ok, push ok, settings status,
# delete outcome. "login" = redirected to the login page; "deleted" = the repository is gone.
# On "granted" (private) the regular user holds an explicit repository.write and the group
# "devs" (whose member is `member`) holds repository.read.
EXPECTED = {
    ("anonymous", "public"): (200, True, False, "login", "login"),
    # Anonymous visitors are sent to log in for a private repository, as for a missing one.
    ("anonymous", "private"): ("login", False, False, "login", "login"),
    ("anonymous", "granted"): ("login", False, False, "login", "login"),
    ("regular", "public"): (200, True, False, 403, 403),
    ("regular", "private"): (404, False, False, 404, 404),
    ("regular", "granted"): (200, True, True, 403, 403),
    ("member", "public"): (200, True, False, 403, 403),
    ("member", "private"): (404, False, False, 404, 404),
    ("member", "granted"): (200, True, False, 403, 403),
    ("owner", "public"): (200, True, True, 200, "deleted"),
    ("owner", "private"): (200, True, True, 200, "deleted"),
    ("owner", "granted"): (200, True, True, 200, "deleted"),
    ("admin", "public"): (200, True, True, 200, "deleted"),
    ("admin", "private"): (200, True, True, 200, "deleted"),
    ("admin", "granted"): (200, True, True, 200, "deleted"),
}
CELLS = [(u, r) for u in USERS for r in REPOS]


def setup_repo(srv, name, kind):
    make_repo(srv, name, private=kind != "public", owner="owner")
    if kind == "granted":
        grant(srv, "repo", name, "user", "regular", "repository.write")
        grant(srv, "repo", name, "group", "devs", "repository.read")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("matrix")
    ini, port = make_instance(tmp)
    server = Server(tmp, ini, port).start()
    make_user(server, "regular", PASSWORD)
    make_user(server, "member", PASSWORD)
    make_user(server, "owner", PASSWORD)
    make_user_group(server, "devs", ["member"])
    # A second, inactive group holding admin grants: must give its member nothing.
    make_user_group(server, "dormant", ["member"], active=False)
    for kind in REPOS:
        setup_repo(server, kind, kind)
        grant(server, "repo", kind, "group", "dormant", "repository.admin")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sessions(srv):
    out = {"anonymous": requests.Session()}
    for user in USERS[1:]:
        out[user] = login(srv.url, user, ADMIN_PASSWORD if user == "admin" else PASSWORD)
    return out


@pytest.fixture(scope="module")
def git_env(tmp_path_factory):
    return conftest.git_env(tmp_path_factory.mktemp("home"))


def remote(srv, user, repo):
    if user == "anonymous":
        return f"http://127.0.0.1:{srv.port}/{repo}"
    password = ADMIN_PASSWORD if user == "admin" else PASSWORD
    return f"http://{user}:{password}@127.0.0.1:{srv.port}/{repo}"


def outcome(response):
    if response.status_code in (301, 302, 303) and "/_admin/login" in response.headers.get(
            "Location", ""):
        return "login"
    return response.status_code


@pytest.mark.parametrize("user,repo", CELLS)
def test_browse(srv, sessions, user, repo):
    r = sessions[user].get(f"{srv.url}/{repo}/summary", allow_redirects=False, timeout=30)
    assert outcome(r) == EXPECTED[(user, repo)][0]
    # Unreadable looks exactly like missing.
    if outcome(r) in (404, "login"):
        missing = sessions[user].get(f"{srv.url}/no-such-repo/summary", allow_redirects=False)
        assert outcome(missing) == outcome(r)


@pytest.mark.parametrize("user,repo", CELLS)
def test_clone(srv, user, repo, git_env, tmp_path):
    proc = git(git_env, "clone", "-q", remote(srv, user, repo), tmp_path / "c", check=False)
    assert (proc.returncode == 0) == EXPECTED[(user, repo)][1], proc.stderr


@pytest.mark.parametrize("user,repo", CELLS)
def test_push(srv, user, repo, git_env, tmp_path):
    work = tmp_path / "w"
    git(git_env, "init", "-q", work)
    (work / f"{user}.txt").write_text(f"pushed by {user}\n")
    git(git_env, "add", ".", cwd=work)
    git(git_env, "commit", "-q", "-m", f"from {user}", cwd=work)
    before = git(git_env, "--git-dir", Path(srv.workdir, "repos", repo), "for-each-ref").stdout
    proc = git(git_env, "push", "-q", remote(srv, user, repo), f"HEAD:refs/heads/{user}",
               cwd=work, check=False)
    allowed = EXPECTED[(user, repo)][2]
    assert (proc.returncode == 0) == allowed, proc.stderr
    after = git(git_env, "--git-dir", Path(srv.workdir, "repos", repo), "for-each-ref").stdout
    if allowed:
        assert f"refs/heads/{user}" in after
    else:
        assert after == before, "a refused push changed nothing"


@pytest.mark.parametrize("user,repo", CELLS)
def test_settings(srv, sessions, user, repo):
    r = sessions[user].get(f"{srv.url}/{repo}/settings", allow_redirects=False, timeout=30)
    assert outcome(r) == EXPECTED[(user, repo)][3]


@pytest.mark.parametrize("user,repo", CELLS)
def test_delete(srv, sessions, user, repo):
    # Each cell deletes its own copy of the repository kind.
    name = f"del-{user}-{repo}"
    setup_repo(srv, name, repo)
    grant(srv, "repo", name, "group", "dormant", "repository.admin")
    s = sessions[user]
    token = csrf_token(s.get(f"{srv.url}/", timeout=30).text) or ""
    r = s.post(f"{srv.url}/_admin/repos/{name}/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False, timeout=30)
    expected = EXPECTED[(user, repo)][4]
    exists = srv.db().execute("SELECT count(*) FROM repositories WHERE repo_name=?",
                              (name,)).fetchone()[0]
    if expected == "deleted":
        assert r.status_code == 302, r.text[:300]
        assert exists == 0
        assert not Path(srv.workdir, "repos", name).exists()
    else:
        assert outcome(r) == expected
        assert exists == 1
        assert Path(srv.workdir, "repos", name).exists()


def test_who_may_create_repositories_where(server):
    make_repo(server, "team/seed")
    make_repo(server, "other/seed")
    make_user(server, "carl", PASSWORD)
    grant(server, "repo_group", "team", "user", "carl", "group.write")
    db = server.db()
    team = db.execute("SELECT group_id FROM groups WHERE group_name='team'").fetchone()[0]
    other = db.execute("SELECT group_id FROM groups WHERE group_name='other'").fetchone()[0]
    s = login(server.url, "carl", PASSWORD)
    form = s.get(server.url + "/_admin/create_repository", timeout=30)
    assert form.status_code == 200
    assert f'value="{team}"' in form.text and f'value="{other}"' not in form.text
    token = csrf_token(form.text)

    def create(name, group):
        return s.post(server.url + "/_admin/repos",
                      data={"_session_csrf_secret_token": token, "repo_name": name,
                            "repo_group": str(group), "repo_type": "git",
                            "repo_landing_rev": "rev:tip"},
                      allow_redirects=False, timeout=30)

    def exists(name):
        return server.db().execute("SELECT count(*) FROM repositories WHERE repo_name=?",
                                   (name,)).fetchone()[0] == 1

    assert create("mine", team).status_code == 302
    assert exists("team/mine")
    refused = create("theirs", other)
    assert refused.status_code == 403
    assert not exists("other/theirs")
    # Top level: allowed by the default user's hg.create.repository, refused once it is gone.
    assert create("top", -1).status_code == 302
    assert exists("top")
    db = server.db()
    db.execute("UPDATE user_to_perm SET permission_id=(SELECT permission_id FROM permissions "
               "WHERE permission_name='hg.create.none') WHERE permission_id=(SELECT "
               "permission_id FROM permissions WHERE permission_name='hg.create.repository')")
    db.commit()
    server.stop()
    server.start()  # the `default` user's grants are cached for a few seconds
    s = login(server.url, "carl", PASSWORD)
    token = csrf_token(s.get(server.url + "/_admin/create_repository", timeout=30).text)
    assert create("top2", -1).status_code == 403
    assert not exists("top2")
    assert create("mine2", team).status_code == 302
