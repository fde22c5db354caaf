"""Creating, deleting and scanning repositories: the repo-* commands, the administration pages
and the repository group pages."""
import os
import re
import subprocess
from pathlib import Path

import pytest
import requests

from conftest import ADMIN_PASSWORD, csrf_token, login, make_user, run_cli
from sql_fixtures import set_default_permission

BACKUP = re.compile(r"^rm__\d{8}_\d{6}_\d{6}__(.+)$")


def repo_root(srv):
    return Path(srv.db().execute(
        "SELECT ui_value FROM ui WHERE ui_section='paths' AND ui_key='/'").fetchone()[0])


def cli_create(srv, name, *extra, check=True):
    return run_cli("repo-create", "-c", srv.ini, "--name", name, *extra, check=check)


def snapshot(srv):
    """Everything a failed creation must leave untouched."""
    db = srv.db()
    tables = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("repositories", "groups", "repo_to_perm", "user_repo_group_to_perm",
                        "user_followings", "user_logs")}
    root = repo_root(srv)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    return tables, files


def admin_session(srv):
    s = login(srv.url, "admin", ADMIN_PASSWORD)
    assert 'data-username="admin"' in s.get(srv.url + "/").text
    return s


def form_token(session, srv):
    r = session.get(srv.url + "/_admin/create_repository")
    assert r.status_code == 200, r.text
    token = csrf_token(r.text)
    assert token
    return token


def post_create(session, srv, **fields):
    data = {"_session_csrf_secret_token": form_token(session, srv), "repo_type": "git",
            "repo_group": "-1", "repo_landing_rev": "rev:tip", "repo_description": ""}
    data.update(fields)
    return session.post(srv.url + "/_admin/repos", data=data, allow_redirects=False)


def test_cli_create_writes_rows_dirs_and_journal(server, tmp_path):
    out = cli_create(server, "team/tool", "--type", "git", "--description", "The tool")
    assert "team/tool" in out.stdout
    root = repo_root(server)
    assert (root / "team/tool/HEAD").is_file() and (root / "team/tool/objects").is_dir()
    db = server.db()
    group_id, parent = db.execute(
        "SELECT group_id, group_parent_id FROM groups WHERE group_name='team'").fetchone()
    assert parent is None
    repo_id, rtype, desc, rgroup, state, landing, private = db.execute(
        "SELECT repo_id, repo_type, description, group_id, repo_state, landing_revision, "
        "private FROM repositories WHERE repo_name='team/tool'").fetchone()
    assert (rtype, desc, rgroup, state, landing, private) == (
        "git", "The tool", group_id, "repo_state_created", "rev:tip", 0)
    perm = db.execute(
        "SELECT p.permission_name FROM repo_to_perm r JOIN permissions p USING (permission_id) "
        "JOIN users u ON u.user_id = r.user_id WHERE u.username='default' AND "
        "r.repository_id=?", (repo_id,)).fetchall()
    assert perm == [("repository.read",)]
    assert db.execute("SELECT count(*) FROM user_followings WHERE follows_repository_id=?",
                      (repo_id,)).fetchone()[0] == 1
    actions = [r[0] for r in db.execute(
        "SELECT action FROM user_logs WHERE repository_id=? ORDER BY user_log_id", (repo_id,))]
    assert actions == ["started_following_repo", "user_created_repo"]

    clone = tmp_path / "clone"
    r = subprocess.run(["git", "clone", str(root / "team/tool"), str(clone)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (clone / ".git").is_dir()

    home = requests.get(server.url + "/").text
    assert 'data-group="team"' in home
    group_page = requests.get(server.url + "/team")
    assert group_page.status_code == 200
    assert 'data-repo="team/tool"' in group_page.text
    assert requests.get(server.url + "/team/tool/summary").status_code == 200
    # Anonymous visitors are sent to log in for a missing name, as for a private one.
    missing = requests.get(server.url + "/no-such-group", allow_redirects=False)
    assert missing.status_code == 302 and "/_admin/login" in missing.headers["Location"]


def test_cli_private_and_defaults(server):
    cli_create(server, "secret", "--type", "git", "--private")
    db = server.db()
    private, desc, downloads = db.execute(
        "SELECT private, description, downloads FROM repositories WHERE repo_name='secret'"
    ).fetchone()
    assert (private, desc, downloads) == (1, "secret", 0)
    perm = db.execute(
        "SELECT p.permission_name FROM repo_to_perm r JOIN permissions p USING (permission_id) "
        "JOIN repositories x ON x.repo_id = r.repository_id WHERE x.repo_name='secret'"
    ).fetchall()
    assert perm == [("repository.none",)]
    # default_repo_type is "hg" on a new database: without Mercurial support, Git is used.
    cli_create(server, "plain")
    assert db.execute("SELECT repo_type FROM repositories WHERE repo_name='plain'"
                      ).fetchone()[0] == "git"


def test_cli_hg_is_refused_and_writes_nothing(server):
    before = snapshot(server)
    r = cli_create(server, "mercurial", "--type", "hg", check=False)
    assert r.returncode == 1
    assert "Mercurial support is not available yet" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert snapshot(server) == before


def test_web_form_creates_repository(server):
    s = admin_session(server)
    r = s.get(server.url + "/_admin/create_repository")
    assert r.status_code == 200
    for field in ("repo_name", "repo_group", "repo_type", "repo_description", "repo_private",
                  "repo_landing_rev", "repo_enable_downloads"):
        assert f'name="{field}"' in r.text
    r = post_create(s, server, repo_name="webrepo", repo_description="From the web",
                    repo_private="True")
    assert r.status_code == 302, r.text
    assert r.headers["Location"].endswith("/webrepo/summary")
    db = server.db()
    private, desc = db.execute(
        "SELECT private, description FROM repositories WHERE repo_name='webrepo'").fetchone()
    assert (private, desc) == (1, "From the web")
    assert (repo_root(server) / "webrepo" / "HEAD").is_file()
    assert s.get(server.url + r.headers["Location"]).status_code == 200
    assert 'data-repo="webrepo"' in s.get(server.url + "/").text


def test_web_form_creates_in_group(server):
    cli_create(server, "grp/first", "--type", "git")
    gid = server.db().execute("SELECT group_id FROM groups WHERE group_name='grp'").fetchone()[0]
    s = admin_session(server)
    form = s.get(server.url + f"/_admin/create_repository?parent_group={gid}")
    assert form.status_code == 200
    assert f'<option value="{gid}" selected>' in form.text
    r = post_create(s, server, repo_name="second", repo_group=str(gid))
    assert r.status_code == 302, r.text
    assert r.headers["Location"].endswith("/grp/second/summary")
    page = s.get(server.url + "/grp").text
    assert 'data-repo="grp/first"' in page and 'data-repo="grp/second"' in page
    assert s.get(server.url + "/_admin/create_repository?parent_group=99999").status_code == 403


BAD_NAMES = ["..", "/x", "x/", "a//b", "_admin/x", "_x", "a/../b", ".hidden", "has space",
             "dup", "DUP", "grp", "dup.git", "grp/inner/..", "dup/sub"]
# The web form answers 409 for these (taken by `dup` or the group `grp`), 400 for the others.
TAKEN_NAMES = {"dup", "DUP", "grp", "dup.git", "dup/sub"}


@pytest.fixture
def populated(server):
    cli_create(server, "dup", "--type", "git")
    cli_create(server, "grp/inner", "--type", "git")
    return server


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_via_cli_write_nothing(populated, name):
    before = snapshot(populated)
    r = cli_create(populated, name, "--type", "git", check=False)
    assert r.returncode == 1, r.stdout
    message = r.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "not allowed" in message or "already exists" in message or "cannot" in message or \
        "is a repository" in message, message
    assert snapshot(populated) == before


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_via_web_write_nothing(populated, name):
    s = admin_session(populated)
    before = snapshot(populated)
    r = post_create(s, populated, repo_name=name)
    assert r.status_code == (409 if name in TAKEN_NAMES else 400), r.status_code
    m = re.search(r'data-error="repo_name">([^<]+)<', r.text)
    assert m, r.text
    assert m.group(1).strip()
    assert 'name="repo_name"' in r.text  # the form is shown again
    assert snapshot(populated) == before


def test_web_hg_is_refused(server):
    s = admin_session(server)
    before = snapshot(server)
    r = post_create(s, server, repo_name="hgrepo", repo_type="hg")
    assert r.status_code == 400
    assert 'data-error="repo_type"' in r.text
    assert "Mercurial support is not available yet" in r.text
    assert snapshot(server) == before


def test_create_without_csrf_token_is_refused(server):
    s = admin_session(server)
    before = snapshot(server)
    r = s.post(server.url + "/_admin/repos", data={"repo_name": "nocsrf", "repo_type": "git"},
               allow_redirects=False)
    assert r.status_code == 403
    assert snapshot(server) == before


def test_non_admin_permissions(server):
    make_user(server, "alice", password="alice-secret-1")
    s = login(server.url, "alice", "alice-secret-1")
    assert 'data-username="alice"' in s.get(server.url + "/").text
    # The default user has hg.create.repository on a new database: top-level creation works.
    r = post_create(s, server, repo_name="alices")
    assert r.status_code == 302, r.text
    owner = server.db().execute(
        "SELECT u.username FROM repositories r JOIN users u USING (user_id) "
        "WHERE r.repo_name='alices'").fetchone()[0]
    assert owner == "alice"
    # Not inside groups, though (that needs group permissions).
    before = snapshot(server)
    r = post_create(s, server, repo_name="team/alices")
    assert r.status_code == 403
    assert snapshot(server) == before
    # Her grid shows what she owns only.
    cli_create(server, "admins", "--type", "git")
    grid = s.get(server.url + "/_admin/repos").text
    assert 'data-repo="alices"' in grid and 'data-repo="admins"' not in grid

    set_default_permission(server, "hg.create.none")
    before = snapshot(server)
    token = csrf_token(s.get(server.url + "/").text)
    assert s.get(server.url + "/_admin/create_repository").status_code == 403
    r = s.post(server.url + "/_admin/repos", allow_redirects=False,
               data={"_session_csrf_secret_token": token, "repo_name": "nope",
                     "repo_type": "git", "repo_group": "-1"})
    assert r.status_code == 403
    assert snapshot(server) == before
    # Deleting someone else's repository is refused too.
    r = s.post(server.url + "/_admin/repos/admins/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False)
    assert r.status_code == 403
    assert server.db().execute(
        "SELECT count(*) FROM repositories WHERE repo_name='admins'").fetchone()[0] == 1


def test_anonymous_cannot_create(server):
    r = requests.post(server.url + "/_admin/repos", data={"repo_name": "anon"},
                      allow_redirects=False)
    assert r.status_code == 302
    assert server.db().execute("SELECT count(*) FROM repositories").fetchone()[0] == 0


def test_admin_grid_lists_everything(server):
    cli_create(server, "one", "--type", "git")
    cli_create(server, "g/two", "--type", "git", "--private")
    s = admin_session(server)
    r = s.get(server.url + "/_admin/repos")
    assert r.status_code == 200
    assert 'data-repo="one"' in r.text
    assert re.search(r'data-repo="g/two"[^>]*data-owner="admin" data-private="true"', r.text)


def test_delete_renames_directory_and_keeps_journal(server):
    cli_create(server, "grp/doomed", "--type", "git")
    db = server.db()
    repo_id = db.execute("SELECT repo_id FROM repositories WHERE repo_name='grp/doomed'"
                         ).fetchone()[0]
    s = admin_session(server)
    token = csrf_token(s.get(server.url + "/_admin/repos").text)
    r = s.post(server.url + "/_admin/repos/grp/doomed/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False)
    assert r.status_code == 302
    assert "/_admin/repos?deleted=" in r.headers["Location"]
    page = s.get(server.url + r.headers["Location"]).text
    assert 'data-flash="success"' in page and "grp/doomed" in page

    root = repo_root(server)
    assert not (root / "grp/doomed").exists()
    backups = [p.name for p in (root / "grp").iterdir() if BACKUP.match(p.name)]
    assert len(backups) == 1 and BACKUP.match(backups[0]).group(1) == "doomed"
    assert (root / "grp" / backups[0] / "HEAD").is_file()
    db = server.db()
    assert db.execute("SELECT count(*) FROM repositories WHERE repo_id=?", (repo_id,)
                      ).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM repo_to_perm WHERE repository_id=?", (repo_id,)
                      ).fetchone()[0] == 0
    rows = db.execute("SELECT action, repository_id FROM user_logs WHERE "
                      "repository_name='grp/doomed' ORDER BY user_log_id").fetchall()
    assert [a for a, _ in rows] == ["started_following_repo", "user_created_repo",
                                    "admin_deleted_repo"]
    assert all(rid is None for _, rid in rows)
    assert s.get(server.url + "/grp/doomed/summary").status_code == 404

    # The name is free again.
    cli_create(server, "grp/doomed", "--type", "git")

    # repo-purge-deleted: too young for --older-than 30d, removed without it.
    out = run_cli("repo-purge-deleted", "-c", server.ini, "--older-than", "30d", "--no-ask")
    assert (root / "grp" / backups[0]).exists()
    assert "no deleted repositories older than" in out.stdout
    run_cli("repo-purge-deleted", "-c", server.ini, "--no-ask")
    assert not (root / "grp" / backups[0]).exists()
    assert (root / "grp/doomed/HEAD").is_file()
    assert run_cli("repo-purge-deleted", "-c", server.ini, "--older-than", "bogus",
                   check=False).returncode == 2


def test_delete_with_forks(server):
    cli_create(server, "parent", "--type", "git")
    cli_create(server, "child", "--type", "git")
    db = server.db()
    db.execute("UPDATE repositories SET fork_id=(SELECT repo_id FROM repositories WHERE "
               "repo_name='parent') WHERE repo_name='child'")
    db.commit()
    s = admin_session(server)
    token = csrf_token(s.get(server.url + "/_admin/repos").text)
    r = s.post(server.url + "/_admin/repos/parent/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False)
    assert r.status_code == 302 and "has_forks=" in r.headers["Location"]
    assert 'data-flash="error"' in s.get(server.url + r.headers["Location"]).text
    assert (repo_root(server) / "parent").is_dir()
    r = s.post(server.url + "/_admin/repos/parent/delete",
               data={"_session_csrf_secret_token": token, "forks": "detach_forks"},
               allow_redirects=False)
    assert r.status_code == 302 and "deleted=" in r.headers["Location"]
    db = server.db()
    assert db.execute("SELECT fork_id FROM repositories WHERE repo_name='child'"
                      ).fetchone()[0] is None
    assert db.execute("SELECT count(*) FROM repositories WHERE repo_name='parent'"
                      ).fetchone()[0] == 0


def test_delete_unknown_repository_is_404(server):
    s = admin_session(server)
    token = csrf_token(s.get(server.url + "/_admin/repos").text)
    r = s.post(server.url + "/_admin/repos/ghost/delete",
               data={"_session_csrf_secret_token": token}, allow_redirects=False)
    assert r.status_code == 404


def git_init_bare(path):
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)


def test_repo_scan_adds_nested_repositories_and_groups(server):
    root = repo_root(server)
    git_init_bare(root / "top")
    git_init_bare(root / "a/b/deep")
    git_init_bare(root / "a/side")
    (root / "a/side/description").write_text("Side project\n")
    git_init_bare(root / ".hidden/repo")
    git_init_bare(root / "rm__20200101_000000_000000__old")
    subprocess.run(["git", "init", "-q", str(root / "workcopy")], check=True)
    git_init_bare(root / "bad name")

    out = run_cli("repo-scan", "-c", server.ini).stdout
    assert "Added: a/b/deep, a/side, top" in out
    assert "workcopy" in out and "bad name" in out  # reported as skipped
    db = server.db()
    names = [r[0] for r in db.execute("SELECT repo_name FROM repositories ORDER BY repo_name")]
    assert names == ["a/b/deep", "a/side", "top"]
    groups = dict(db.execute("SELECT group_name, group_id FROM groups"))
    assert set(groups) == {"a", "a/b"}
    assert db.execute("SELECT group_parent_id FROM groups WHERE group_name='a/b'"
                      ).fetchone()[0] == groups["a"]
    assert db.execute("SELECT group_id FROM repositories WHERE repo_name='a/b/deep'"
                      ).fetchone()[0] == groups["a/b"]
    owner, desc = db.execute("SELECT u.username, r.description FROM repositories r JOIN users u "
                             "USING (user_id) WHERE r.repo_name='a/side'").fetchone()
    assert (owner, desc) == ("admin", "Side project")
    assert db.execute("SELECT description FROM repositories WHERE repo_name='top'"
                      ).fetchone()[0] == "top repository"
    assert db.execute("SELECT count(*) FROM repo_to_perm").fetchone()[0] == 3
    assert 'data-repo="a/b/deep"' in requests.get(server.url + "/a/b").text

    # A second scan adds nothing.
    assert "Added" not in run_cli("repo-scan", "-c", server.ini).stdout

    # Gone from disk: reported, and removed with --remove-missing.
    subprocess.run(["rm", "-rf", str(root / "a/side")], check=True)
    out = run_cli("repo-scan", "-c", server.ini).stdout
    assert "Missing: a/side" in out
    assert db.execute("SELECT count(*) FROM repositories WHERE repo_name='a/side'"
                      ).fetchone()[0] == 1
    out = run_cli("repo-scan", "-c", server.ini, "--remove-missing").stdout
    assert "Removed: a/side" in out
    assert db.execute("SELECT count(*) FROM repositories WHERE repo_name='a/side'"
                      ).fetchone()[0] == 0


def test_repo_update_metadata(server):
    cli_create(server, "meta", "--type", "git")
    assert run_cli("repo-update-metadata", "-c", server.ini).returncode == 0
    assert run_cli("repo-update-metadata", "-c", server.ini, "meta").returncode == 0
    r = run_cli("repo-update-metadata", "-c", server.ini, "ghost", check=False)
    assert r.returncode == 1


def test_cli_usage_errors(server):
    assert run_cli("repo-create", "-c", server.ini, check=False).returncode == 2
    assert run_cli("repo-create", "-c", server.ini, "--name", "x", "--type", "svn",
                   check=False).returncode == 2
    r = cli_create(server, "someone", "--type", "git", "--owner", "nobody", check=False)
    assert r.returncode == 1 and "nobody" in r.stderr
