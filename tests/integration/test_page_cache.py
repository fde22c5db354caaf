"""The page cache never shows a stale or someone else's page: pushes (through the server or
straight to the repository on disk) show at once, permissions are checked on every request, and
the layout of a logged-in user is theirs alone."""
import requests

from conftest import ADMIN_PASSWORD, commit, git, git_env, grant, login, make_repo, make_user


PAGES = ["/r/summary", "/r/changelog", "/r/files/tip/", "/r/changeset/tip"]


def test_pushes_show_at_once(server, tmp_path):
    env = git_env(tmp_path)
    bare = make_repo(server, "r")
    work = tmp_path / "w"
    git(env, "init", "-q", work)
    commit(env, work, "first change")
    remote = f"http://admin:{ADMIN_PASSWORD}@127.0.0.1:{server.port}/r"
    git(env, "push", "-q", remote, "master", cwd=work)
    for page in PAGES:
        for _ in range(2):  # the second request may come from the cache
            r = requests.get(server.url + page, timeout=30)
            assert r.status_code == 200, page
            assert "first change" in r.text, page
    # Through the server.
    commit(env, work, "second change")
    git(env, "push", "-q", remote, "master", cwd=work)
    for page in PAGES:
        assert "second change" in requests.get(server.url + page, timeout=30).text, page
    # Straight to the repository on disk (no server involved), a new branch and a new commit.
    commit(env, work, "third change")
    git(env, "push", "-q", str(bare), "master", "master:refs/heads/side", cwd=work)
    for page in PAGES:
        assert "third change" in requests.get(server.url + page, timeout=30).text, page


def test_permissions_and_layout_are_never_shared(server):
    make_repo(server, "r", private=True)
    make_user(server, "bob")
    make_user(server, "carol")
    grant(server, "repo", "r", "user", "bob", "repository.read")
    bob = login(server.url, "bob", "secret-pass-1")
    carol = login(server.url, "carol", "secret-pass-1")
    for _ in range(2):
        r = bob.get(server.url + "/r/summary", timeout=30)
        assert r.status_code == 200
        assert 'data-username="bob"' in r.text
    assert carol.get(server.url + "/r/summary", timeout=30).status_code == 404
    anon = requests.get(server.url + "/r/summary", allow_redirects=False, timeout=30)
    assert anon.status_code == 302 and "/_admin/login" in anon.headers["Location"]
    # Revoking bob's grant takes effect on the next request.
    db = server.db()
    db.execute("DELETE FROM repo_to_perm WHERE user_id=(SELECT user_id FROM users WHERE "
               "username='bob')")
    db.commit()
    assert bob.get(server.url + "/r/summary", timeout=30).status_code == 404


def test_repository_settings_changes_show_at_once(server):
    make_repo(server, "r", description="first words")
    admin = login(server.url, "admin", ADMIN_PASSWORD)
    for _ in range(2):
        page = admin.get(server.url + "/r/summary", timeout=30).text
        assert "first words" in page
        assert '<span class="badge">private</span>' not in page
    db = server.db()
    db.execute("UPDATE repositories SET private=1, description='second words' WHERE repo_name='r'")
    db.commit()
    page = admin.get(server.url + "/r/summary", timeout=30).text
    assert "second words" in page
    assert '<span class="badge">private</span>' in page
