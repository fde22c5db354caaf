"""Git smart HTTP under load it must bound: gzip-bombed and have-flooded upload-pack requests are
refused before git runs, while a real fetch between long-diverged clones still works; a push of
thousands of new branches lists its changesets with one walk."""
import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from conftest import ADMIN_PASSWORD, Server, git, git_env, make_instance, make_repo

from test_git_http import journal, remote_refs, server_git, url


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return git_env(home)


def fast_import(env, work, count, tag, parent=None, start=1600000000, ref="refs/heads/master"):
    """Writes `count` commits on `ref` of the repository at `work` with git fast-import (one new
    file each, one second apart), starting from `parent`."""
    lines = []
    for i in range(count):
        msg = f"{tag} {i}\n"
        lines.append(f"commit {ref}\nmark :{i + 1}\ncommitter A <a@example.com> {start + i} +0000\n"
                     f"data {len(msg.encode())}\n{msg}")
        if i == 0 and parent:
            lines.append(f"from {parent}\n")
        data = f"{tag} {i}\n"
        lines.append(f"M 644 inline {tag}/f{i % 300}\ndata {len(data.encode())}\n{data}\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=work, env=env, check=True,
                   input="".join(lines).encode())


def pkt(payload):
    data = payload.encode() if isinstance(payload, str) else payload
    return b"%04x" % (len(data) + 4) + data


def upload_pack_post(srv, repo, body, encoding="gzip", timeout=120):
    headers = {"Content-Type": "application/x-git-upload-pack-request"}
    if encoding:
        headers["Content-Encoding"] = encoding
    return requests.post(f"{srv.url}/{repo}/git-upload-pack", data=body, headers=headers,
                         timeout=timeout)


def seeded(server, env, tmp_path, name="bomb"):
    make_repo(server, name)
    work = tmp_path / "seed"
    git(env, "init", "-q", work)
    fast_import(env, work, 3, "seed")
    git(env, "push", url(server, name), "master", cwd=work)
    return git(env, "rev-parse", "master", cwd=work).stdout.strip()


def test_gzip_bomb_of_haves_is_refused_before_git_runs(server, env, tmp_path):
    head = seeded(server, env, tmp_path)
    # The attack of the issue: ~200 KB of gzip that inflate to 64 MB of `have` lines.
    have = pkt(f"have {head}\n")
    body = (pkt(f"want {head} multi_ack_detailed side-band-64k ofs-delta\n") + b"0000" +
            have * (64 * 1024 * 1024 // len(have)) + pkt("done\n"))
    packed = gzip.compress(body, 9)
    assert len(packed) < 300 * 1024
    r = upload_pack_post(server, "bomb", packed)
    assert r.status_code == 400
    assert "have" in r.text
    assert len(r.content) < 1000
    assert "refused: Too many have lines" in server.log()

    # Inflating past the size cap with lines that are not haves: 413.
    want = pkt(f"want {head}\n")
    body = want * (64 * 1024 * 1024 // len(want)) + b"0000" + pkt("done\n")
    r = upload_pack_post(server, "bomb", gzip.compress(body, 9))
    assert r.status_code == 413
    assert "refused: Request body too large" in server.log()
    # The same flood without gzip is refused the same way.
    r = upload_pack_post(server, "bomb", body[:16 * 1024 * 1024], encoding=None)
    assert r.status_code == 413

    # Ordinary requests still work afterwards.
    r = upload_pack_post(server, "bomb", pkt(f"want {head}\n") + b"0000" + pkt("done\n"),
                         encoding=None)
    assert r.status_code == 200
    assert b"PACK" in r.content


def test_fetch_between_long_diverged_clones(server, env, tmp_path):
    """Stateless negotiation re-sends its haves every round: the largest real request (here
    ~8,200 haves, gzipped) must stay well inside the caps."""
    make_repo(server, "diverged")
    base = tmp_path / "base"
    git(env, "init", "-q", base)
    fast_import(env, base, 2000, "base", start=1500000000)
    git(env, "push", url(server, "diverged"), "master", cwd=base)
    clone = tmp_path / "clone"
    git(env, "clone", "-q", url(server, "diverged"), clone)
    base_head = git(env, "rev-parse", "master", cwd=base).stdout.strip()
    fast_import(env, base, 6000, "server", parent=base_head, start=1600000000)
    git(env, "push", url(server, "diverged"), "master", cwd=base)
    fast_import(env, clone, 6000, "client", parent=base_head, start=1600000000)
    # One copy per protocol version: a fetch that already has the objects skips negotiation.
    copies = {"0": clone, "2": tmp_path / "clone2"}
    shutil.copytree(clone, copies["2"], symlinks=True)
    server_head = git(env, "rev-parse", "master", cwd=base).stdout.strip()
    for version, work in copies.items():
        proc = git(env, "-c", f"protocol.version={version}", "fetch", "origin", cwd=work,
                   extra_env={"GIT_TRACE_PACKET": "1"})
        # v0 traces "fetch-pack> have", v2 "fetch> have"; each have once, in the round that
        # first sends it.
        haves = len(re.findall(r"fetch(?:-pack)?> have ", proc.stderr))
        assert haves > 6000  # the negotiation went through the client's own history
        assert git(env, "rev-parse", "origin/master", cwd=work).stdout.strip() == server_head
    assert "refused" not in server.log()


def counting_git(tmp_path):
    """A git wrapper that appends each command line to a file before running git."""
    log = tmp_path / "git-calls.log"
    wrapper = tmp_path / "git-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec /usr/bin/git "$@"\n')
    wrapper.chmod(0o755)
    return wrapper, log


def test_push_of_many_new_branches_walks_once(tmp_path, env):
    wrapper, calls = counting_git(tmp_path)
    ini, port = make_instance(tmp_path, extra_config=[f"git_path={wrapper}"])
    server = Server(tmp_path, ini, port).start()
    try:
        make_repo(server, "branchy")
        work = tmp_path / "work"
        git(env, "init", "-q", work)
        fast_import(env, work, 5, "trunk")
        git(env, "push", url(server, "branchy"), "master", cwd=work)
        trunk = git(env, "rev-parse", "master", cwd=work).stdout.strip()
        # 2,000 new branches, each with a commit of its own on top of master; 10 more that point
        # at master itself (nothing new).
        stream = []
        for i in range(2000):
            msg = f"b{i}\n"
            stream.append(f"commit refs/heads/b{i:04d}\ncommitter A <a@example.com> "
                          f"{1700000000 + i} +0000\ndata {len(msg)}\n{msg}from {trunk}\n"
                          f"M 644 inline b{i}\ndata 2\nb\n\n")
        for i in range(10):
            stream.append(f"reset refs/heads/same{i}\nfrom {trunk}\n\n")
            subprocess.run(["git", "fast-import", "--quiet"], cwd=work, env=env, check=True,
                       input="".join(stream).encode())
        calls.write_text("")
        git(env, "push", "-q", url(server, "branchy"), "refs/heads/*:refs/heads/*", cwd=work,
            timeout=600)
        rev_lists = [line for line in calls.read_text().splitlines() if " rev-list " in line]
        assert len(rev_lists) <= 2, rev_lists[:5]
        refs = remote_refs(env, url(server, "branchy"))
        assert sum(1 for r in refs if r.startswith("refs/heads/b")) == 2000
        pushes = [r[1] for r in journal(server, "branchy") if r[1].startswith("push:")]
        assert len(pushes) == 2
        items = pushes[1].split(":", 1)[1].split(",")
        # Each branch's own commit, once, in the order git sent the branches (by name).
        local = dict(reversed(line.split(" ", 1)) for line in
                     git(env, "show-ref", cwd=work).stdout.splitlines())
        expected = [local[f"refs/heads/b{i:04d}"] for i in range(2000)]
        assert items == expected
    finally:
        server.stop()
