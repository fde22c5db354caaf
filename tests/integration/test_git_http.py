"""Git smart HTTP: clone, fetch and push with the real git client, authentication, the journal
and changeset_cache after pushes, concurrent pushes. (The server's memory through a large push
is measured by bench/push_rss.py.)"""
import datetime
import gzip
import http.client
import json
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from conftest import (ADMIN_PASSWORD, Server, git, git_env, make_instance, make_repo, make_user,
                      run_cli)


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return git_env(home)


def url(srv, repo, user="admin", password=ADMIN_PASSWORD):
    auth = f"{user}:{password}@" if user else ""
    return f"http://{auth}127.0.0.1:{srv.port}/{repo}"


CLOCK = [1700000000]


def commit(env, work, name, content="x\n"):
    """Commits a file; each commit is one second later than the previous one."""
    path = Path(work, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    git(env, "add", name, cwd=work)
    CLOCK[0] += 1
    date = f"{CLOCK[0]} +0200"
    git(env, "commit", "-q", "-m", f"add {name}\n\nbody of {name}", cwd=work,
        extra_env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    return git(env, "rev-parse", "HEAD", cwd=work).stdout.strip()


def remote_refs(env, remote_url, *extra):
    out = git(env, *extra, "ls-remote", remote_url).stdout
    return dict(reversed(line.split("\t")) for line in out.splitlines())


def journal(srv, repo):
    """The journal rows of repo but the two repo-create writes (created, its owner follows it)."""
    db = srv.db()
    rows = db.execute("SELECT username, action, user_id, repository_id, repository_name, user_ip "
                      "FROM user_logs WHERE repository_name=? AND action NOT IN "
                      "('user_created_repo', 'started_following_repo') ORDER BY user_log_id",
                      (repo,)).fetchall()
    db.close()
    return rows


def changeset_cache(srv, repo):
    db = srv.db()
    (value,) = db.execute("SELECT changeset_cache FROM repositories WHERE repo_name=?",
                          (repo,)).fetchone()
    db.close()
    if isinstance(value, bytes):
        value = value.decode()
    return json.loads(value) if value else None


def server_git(srv, repo, *args):
    root = srv.db().execute("SELECT ui_value FROM ui WHERE ui_section='paths' AND ui_key='/'"
                            ).fetchone()[0]
    return subprocess.run(["git", "--git-dir", str(Path(root, repo)), *args],
                          capture_output=True, text=True, check=True).stdout


def test_clone_push_clone_back(server, env, tmp_path):
    make_repo(server, "proj")
    work = tmp_path / "work"
    git(env, "clone", url(server, "proj"), work)  # an empty repository
    first = commit(env, work, "a.txt")
    second = commit(env, work, "dir/b.txt")
    git(env, "checkout", "-q", "-b", "feature", cwd=work)
    third = commit(env, work, "c.txt")
    git(env, "checkout", "-q", "master", cwd=work)
    git(env, "tag", "-a", "v1", "-m", "release 1", first, cwd=work)
    git(env, "tag", "light", second, cwd=work)
    git(env, "push", "origin", "master", "feature", "--tags", cwd=work)

    local = dict(reversed(line.split(" ", 1)) for line in
                 git(env, "show-ref", "--dereference", cwd=work).stdout.splitlines())
    local = {k: v for k, v in local.items() if not k.startswith("refs/remotes/")}
    remote = remote_refs(env, url(server, "proj"))
    assert remote.pop("HEAD") == local["refs/heads/master"]
    assert remote == local

    back = tmp_path / "back"
    git(env, "clone", url(server, "proj"), back)
    assert git(env, "rev-parse", "HEAD", cwd=back).stdout.strip() == second
    assert git(env, "rev-parse", "origin/feature", cwd=back).stdout.strip() == third
    assert git(env, "rev-parse", "v1^{commit}", cwd=back).stdout.strip() == first

    rows = journal(server, "proj")
    actions = [r[1] for r in rows]
    assert actions[0] == "pull"  # the clone of the empty repository
    pushes = [a for a in actions if a.startswith("push:")]
    assert len(pushes) == 1
    # Changesets oldest first, each once, then the ref events (in the order git sent them).
    items = pushes[0].split(":", 1)[1].split(",")
    assert items[:3] == [first, second, third]
    assert sorted(items[3:]) == ["tag=>light", "tag=>v1"]
    db = server.db()
    admin_id, = db.execute("SELECT user_id FROM users WHERE username='admin'").fetchone()
    repo_id, = db.execute("SELECT repo_id FROM repositories WHERE repo_name='proj'").fetchone()
    push_row = next(r for r in rows if r[1].startswith("push:"))
    assert push_row[0] == "admin" and push_row[2] == admin_id
    assert push_row[3] == repo_id and push_row[4] == "proj" and push_row[5] == "127.0.0.1"
    # Public pulls run as `default`, credentials or not (Kallithea tries anonymous first).
    assert {r[0] for r in rows if r[1] == "pull"} == {"default"}

    cache = changeset_cache(server, "proj")
    assert list(cache) == ["short_id", "raw_id", "revision", "message", "date", "author"]
    assert cache["raw_id"] == third  # newest by committer date, over all refs
    assert cache["short_id"] == third[:12]
    committed = int(git(env, "log", "-1", "--format=%ct", third, cwd=work).stdout)
    assert cache["date"] == datetime.datetime.fromtimestamp(committed).isoformat()
    assert cache["revision"] == 2
    assert cache["author"] == "Ann Author <ann@example.com>"
    assert cache["message"].rstrip("\n") == "add c.txt\n\nbody of c.txt"


def test_fetch_protocol_versions_and_ref_events(server, env, tmp_path):
    make_repo(server, "group/sub/repo")
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    commit(env, work, "one")
    git(env, "push", url(server, "group/sub/repo"), "master", "master:refs/heads/x", cwd=work)
    clone = tmp_path / "clone"
    git(env, "clone", url(server, "group/sub/repo"), clone)
    new = [commit(env, work, "two"), commit(env, work, "three")]
    git(env, "push", url(server, "group/sub/repo"), "master", ":refs/heads/x", cwd=work)
    git(env, "tag", "v2", cwd=work)
    git(env, "push", url(server, "group/sub/repo"), "v2", cwd=work)

    for version in ("0", "1", "2"):
        trace = git(env, "-c", f"protocol.version={version}", "fetch", "origin", cwd=clone,
                    extra_env={"GIT_TRACE_PACKET": "1"}).stderr
        if version == "2":
            assert "version 2" in trace
        git(env, "-c", f"protocol.version={version}", "ls-remote", "origin", cwd=clone)
    assert git(env, "rev-parse", "origin/master", cwd=clone).stdout.strip() == new[-1]

    actions = [r[1] for r in journal(server, "group/sub/repo")]
    pushes = [a.split(":", 1)[1].split(",") for a in actions if a.startswith("push:")]
    assert len(pushes) == 3
    assert sorted(pushes[1]) == sorted([new[0], new[1], "delete_branch=>x"])
    assert pushes[1].index(new[0]) < pushes[1].index(new[1])
    assert "push:tag=>v2" in actions
    assert changeset_cache(server, "group/sub/repo")["raw_id"] == new[-1]
    assert changeset_cache(server, "group/sub/repo")["revision"] == 2


def test_first_push_points_head_at_the_pushed_branch(server, env, tmp_path):
    make_repo(server, "fresh")
    work = tmp_path / "work"
    git(env, "init", "-q", "-b", "trunk", work)
    head = commit(env, work, "f")
    git(env, "push", url(server, "fresh"), "trunk", cwd=work)
    assert server_git(server, "fresh", "symbolic-ref", "HEAD").strip() == "refs/heads/trunk"
    clone = tmp_path / "clone"
    git(env, "clone", url(server, "fresh"), clone)
    assert git(env, "rev-parse", "HEAD", cwd=clone).stdout.strip() == head


def test_credentials_and_status_codes(server, env, tmp_path):
    make_repo(server, "pub")
    base = f"http://127.0.0.1:{server.port}"
    # Anonymous push: asked for credentials, with the realm from the settings.
    r = requests.get(f"{base}/pub/info/refs?service=git-receive-pack", timeout=30)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Basic realm="Kallithea"'
    # Anonymous pull of a public repository works without credentials.
    r = requests.get(f"{base}/pub/info/refs?service=git-upload-pack", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/x-git-upload-pack-advertisement"
    assert "no-cache" in r.headers["Cache-Control"]
    assert r.content.startswith(b"001e# service=git-upload-pack\n0000")
    # Git-Protocol reaches git when well-formed (v2 has no service line), else it is ignored.
    r = requests.get(f"{base}/pub/info/refs?service=git-upload-pack",
                     headers={"Git-Protocol": "version=2"}, timeout=30)
    assert r.content.startswith(b"000eversion 2\n")
    r = requests.get(f"{base}/pub/info/refs?service=git-upload-pack",
                     headers={"Git-Protocol": "version=2 x;y"}, timeout=30)
    assert r.content.startswith(b"001e# service=git-upload-pack\n0000")
    # Wrong password: 401, and a push through git fails without changing anything.
    r = requests.get(f"{base}/pub/info/refs?service=git-receive-pack",
                     auth=("admin", "wrong"), timeout=30)
    assert r.status_code == 401
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    commit(env, work, "a")
    proc = git(env, "push", url(server, "pub", password="wrong"), "master", cwd=work, check=False)
    assert proc.returncode != 0
    assert server_git(server, "pub", "for-each-ref") == ""
    proc = git(env, "push", url(server, "pub", user=None), "master", cwd=work, check=False)
    assert proc.returncode != 0
    # Unknown repositories: 401 for anonymous clients (they must not tell private from missing),
    # 404 once authenticated.
    assert requests.get(f"{base}/nope/info/refs?service=git-upload-pack",
                        timeout=30).status_code == 401
    assert requests.get(f"{base}/nope/info/refs?service=git-upload-pack",
                        auth=("admin", ADMIN_PASSWORD), timeout=30).status_code == 404
    # Dumb HTTP is not served (a web page address no page answers: anonymous visitors are sent
    # to the login form, as for any unknown repository page); unknown services are bad requests.
    r = requests.get(f"{base}/pub/info/refs", timeout=30, allow_redirects=False)
    assert r.status_code == 302 and "/_admin/login" in r.headers["Location"]
    assert requests.get(f"{base}/pub/info/refs?service=git-foo", timeout=30).status_code == 400
    # Wrong Content-Type on an RPC.
    r = requests.post(f"{base}/pub/git-upload-pack", data=b"0000",
                      headers={"Content-Type": "text/plain"}, timeout=30)
    assert r.status_code == 415
    # Only the anonymous advertisements that succeeded started pulls.
    assert [(row[0], row[1]) for row in journal(server, "pub")] == [("default", "pull")] * 3


def test_private_repository_and_api_key(server, env, tmp_path):
    make_repo(server, "secret", private=True)
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    head = commit(env, work, "s")
    git(env, "push", url(server, "secret"), "master", cwd=work)
    base = f"http://127.0.0.1:{server.port}"
    r = requests.get(f"{base}/secret/info/refs?service=git-upload-pack", timeout=30)
    assert r.status_code == 401
    proc = git(env, "clone", url(server, "secret", user=None), tmp_path / "anon", check=False)
    assert proc.returncode != 0
    git(env, "clone", url(server, "secret"), tmp_path / "admin")
    db = server.db()
    api_key, = db.execute("SELECT api_key FROM users WHERE username='admin'").fetchone()
    clone = tmp_path / "bykey"
    git(env, "clone", url(server, "secret", user="whoever", password=api_key), clone)
    assert git(env, "rev-parse", "HEAD", cwd=clone).stdout.strip() == head
    # The email works as a username too.
    git(env, "ls-remote", url(server, "secret", user="admin%40example.com"))
    # The `default` user's key never authenticates.
    default_key, = db.execute("SELECT api_key FROM users WHERE username='default'").fetchone()
    assert requests.get(f"{base}/secret/info/refs?service=git-upload-pack",
                        auth=("x", default_key), timeout=30).status_code == 401
    # Pulls of a private repository are logged as the user.
    pulls = [r[0] for r in journal(server, "secret") if r[1] == "pull"]
    assert pulls == ["admin", "admin", "admin"]


def test_user_without_permission_gets_403(server, env, tmp_path):
    make_repo(server, "closed", private=True)
    make_repo(server, "readonly")
    make_user(server, "bob", password=ADMIN_PASSWORD, firstname="Bob", lastname="B")
    base = f"http://127.0.0.1:{server.port}"
    bob = ("bob", ADMIN_PASSWORD)
    assert requests.get(f"{base}/closed/info/refs?service=git-upload-pack", auth=bob,
                        timeout=30).status_code == 403
    assert requests.get(f"{base}/readonly/info/refs?service=git-receive-pack", auth=bob,
                        timeout=30).status_code == 403
    assert requests.get(f"{base}/readonly/info/refs?service=git-upload-pack", auth=bob,
                        timeout=30).status_code == 200


def test_gzip_and_chunked_rpc_bodies(server, env, tmp_path):
    make_repo(server, "gz")
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    head = commit(env, work, "g")
    git(env, "push", url(server, "gz"), "master", cwd=work)

    def pkt(text):
        return b"%04x" % (len(text) + 4) + text

    request = pkt(b"want " + head.encode() + b"\n") + b"0000" + pkt(b"done\n")
    base = f"http://127.0.0.1:{server.port}"
    headers = {"Content-Type": "application/x-git-upload-pack-request"}
    r = requests.post(f"{base}/gz/git-upload-pack", data=gzip.compress(request),
                      headers={**headers, "Content-Encoding": "gzip"}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/x-git-upload-pack-result"
    assert r.content.startswith(b"0008NAK\n") and b"PACK" in r.content
    # Chunked, with Expect: 100-continue.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("POST", "/gz/git-upload-pack")
    conn.putheader("Content-Type", headers["Content-Type"])
    conn.putheader("Transfer-Encoding", "chunked")
    conn.putheader("Expect", "100-continue")
    conn.endheaders()
    conn.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(request), request))
    resp = conn.getresponse()
    assert resp.status == 200
    assert b"PACK" in resp.read()
    conn.close()
    # A corrupt gzip body is refused before anything streams, or ends the stream.
    r = requests.post(f"{base}/gz/git-upload-pack", data=b"not gzip",
                      headers={**headers, "Content-Encoding": "gzip"}, timeout=30)
    assert r.status_code == 400
    r = requests.post(f"{base}/gz/git-upload-pack", data=request,
                      headers={**headers, "Content-Encoding": "br"}, timeout=30)
    assert r.status_code == 415


@pytest.mark.parametrize("target", ["/../x/info/refs?service=git-upload-pack",
                                    "/%2e%2e/x/info/refs?service=git-upload-pack",
                                    "/a/%2E%2E/%2e%2e/x/info/refs?service=git-upload-pack",
                                    "/..%2fx/git-upload-pack"])
def test_path_traversal_is_refused(server, target):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET" if "info/refs" in target else "POST", target,
                 headers={"Content-Type": "application/x-git-upload-pack-request"})
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 400
    conn.close()


def test_concurrent_pushes(server, env, tmp_path):
    make_repo(server, "busy")
    seed = tmp_path / "seed"
    git(env, "init", "-q", seed)
    commit(env, seed, "base")
    git(env, "push", url(server, "busy"), "master", cwd=seed)
    clones = []
    for i in range(8):
        c = tmp_path / f"c{i}"
        git(env, "clone", "-q", url(server, "busy"), c)
        commit(env, c, f"file{i}", content=f"{i}\n" * 1000)
        clones.append(c)
    results = [None] * 8

    def push(i):
        # Four push their own branch, four race for master.
        target = f"HEAD:refs/heads/b{i}" if i < 4 else "HEAD:master"
        results[i] = git(env, "push", "origin", target, cwd=clones[i], check=False)

    threads = [threading.Thread(target=push, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, proc in enumerate(results):
        if i < 4:
            assert proc.returncode == 0, proc.stderr
        else:
            assert proc.returncode == 0 or "rejected" in proc.stderr, proc.stderr
    assert sum(p.returncode == 0 for p in results[4:]) >= 1
    server_git(server, "busy", "fsck", "--strict")
    refs = remote_refs(env, url(server, "busy"))
    assert all(f"refs/heads/b{i}" in refs for i in range(4))
    pushes = [r[1] for r in journal(server, "busy") if r[1].startswith("push:")]
    assert len(pushes) == 1 + sum(p.returncode == 0 for p in results)


def test_auth_ret_code_403(tmp_path, env):
    ini, port = make_instance(tmp_path, extra_config=["auth_ret_code=403"])
    srv = Server(tmp_path, ini, port).start()
    try:
        make_repo(srv, "r")
        r = requests.get(f"{srv.url}/r/info/refs?service=git-receive-pack", timeout=30)
        assert r.status_code == 403
        assert "WWW-Authenticate" not in r.headers
    finally:
        srv.stop()


def test_anonymous_access_off(private_server, env, tmp_path):
    make_repo(private_server, "pub")
    base = private_server.url
    assert requests.get(f"{base}/pub/info/refs?service=git-upload-pack",
                        timeout=30).status_code == 401
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    commit(env, work, "a")
    git(env, "push", url(private_server, "pub"), "master", cwd=work)
    proc = git(env, "clone", url(private_server, "pub", user=None), tmp_path / "anon",
               check=False)
    assert proc.returncode != 0
    git(env, "clone", url(private_server, "pub"), tmp_path / "admin")
    assert [r[0] for r in journal(private_server, "pub")] == ["admin", "admin"]
