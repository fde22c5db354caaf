"""Crash-safety and concurrency of pushes: many pushers racing for one branch, and the server
killed (SIGKILL) in the middle of a large push, then restarted."""
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import Server, git, git_env, make_repo, wait_until

from test_git_http import changeset_cache, commit, journal, remote_refs, server_git, url


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return git_env(home)


LOSER_REASON = re.compile(r"rejected|failed to lock|cannot lock ref|fetch first|non-fast-forward")


def test_concurrent_pushes_to_one_branch(server, env, tmp_path):
    make_repo(server, "race")
    seed = tmp_path / "seed"
    git(env, "init", "-q", seed)
    base = commit(env, seed, "base")
    git(env, "push", url(server, "race"), "master", cwd=seed)
    clones, heads = [], []
    for i in range(12):
        c = tmp_path / f"c{i}"
        git(env, "clone", "-q", url(server, "race"), c)
        heads.append(commit(env, c, f"file{i}", content=f"{i}\n" * 2000))
        clones.append(c)
    results = [None] * 12
    start = threading.Barrier(12)

    def push(i):
        start.wait()
        results[i] = git(env, "push", "origin", "HEAD:master", cwd=clones[i], check=False)

    threads = [threading.Thread(target=push, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    winners = [i for i, proc in enumerate(results) if proc.returncode == 0]
    # Every push starts from the same commit, so exactly one can move the branch.
    assert len(winners) == 1, [(p.returncode, p.stderr) for p in results]
    for i, proc in enumerate(results):
        if i not in winners:
            assert LOSER_REASON.search(proc.stderr), proc.stderr
    server_git(server, "race", "fsck", "--strict", "--no-dangling")
    assert remote_refs(env, url(server, "race"))["refs/heads/master"] == heads[winners[0]]
    pushes = [r[1] for r in journal(server, "race") if r[1].startswith("push:")]
    assert pushes == [f"push:{base}"] + [f"push:{heads[i]}" for i in winners]
    assert changeset_cache(server, "race")["raw_id"] == heads[winners[0]]


def incoming_pack(repo_dir):
    """True once receive-pack is writing the pushed pack (its quarantine directory exists)."""
    objects = Path(repo_dir, "objects")
    return any("incoming-" in p.name for p in objects.iterdir())


def git_running(repo_dir):
    """True while some git process works in repo_dir (receive-pack, unpack-objects, index-pack)."""
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if cmdline and cmdline[0].endswith(b"git") and (
                str(repo_dir).encode() in b" ".join(cmdline) or cwd == str(repo_dir)):
            return True
    return False


def test_server_killed_during_a_large_push(server, env, tmp_path):
    repo_dir = make_repo(server, "crash")
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    first = commit(env, work, "small")
    git(env, "push", url(server, "crash"), "master", cwd=work)
    with open(work / "blob.bin", "wb") as f:
        f.write(os.urandom(60 * 1024 * 1024))
    git(env, "add", "blob.bin", cwd=work)
    git(env, "commit", "-q", "-m", "60 MB", cwd=work)
    big = git(env, "rev-parse", "HEAD", cwd=work).stdout.strip()

    # A slow link: git sends the pack in small pieces (http.postBuffer) and we kill the server
    # once receive-pack has started writing it.
    push = subprocess.Popen(["git", "-c", "http.postBuffer=65536", "push", url(server, "crash"),
                             "master"], cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wait_until(lambda: incoming_pack(repo_dir) or push.poll() is not None, timeout=120,
               what="receive-pack to start receiving the pack")
    assert push.poll() is None, "the push finished before the server could be killed"
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    push.communicate(timeout=120)
    assert push.returncode != 0
    # receive-pack dies of SIGPIPE without cleaning up its quarantine, but no ref moved and no
    # lock is left that could block the next push.
    wait_until(lambda: not git_running(repo_dir), timeout=60, what="receive-pack to exit")
    assert not list(Path(repo_dir).rglob("*.lock"))
    assert server_git(server, "crash", "rev-parse", "master").strip() == first
    # The server removes a quarantine idle for longer than a push may run (24 h): pretend so.
    day_ago = time.time() - 25 * 3600
    for path in Path(repo_dir, "objects").rglob("*"):
        if "incoming-" in str(path):
            os.utime(path, (day_ago, day_ago))
    for path in Path(repo_dir, "objects").glob("tmp_objdir-incoming-*"):
        os.utime(path, (day_ago, day_ago))

    restarted = Server(server.workdir, server.ini, server.port).start()
    server.proc = restarted.proc  # the fixture stops what runs now
    server.log_file = restarted.log_file
    proc = git(env, "push", url(server, "crash"), "master", cwd=work)
    assert proc.returncode == 0
    assert not incoming_pack(repo_dir)
    assert "left by an interrupted push" in server.log()
    server_git(server, "crash", "fsck", "--strict", "--no-dangling")
    assert server_git(server, "crash", "rev-parse", "master").strip() == big
    # The database follows the refs: the interrupted push left no row, the next one did.
    pushes = [r[1] for r in journal(server, "crash") if r[1].startswith("push:")]
    assert pushes == [f"push:{first}", f"push:{big}"]
    assert changeset_cache(server, "crash")["raw_id"] == big
