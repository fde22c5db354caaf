#!/usr/bin/env python3
"""Times a push that creates many new branches (issue 9, item 6: one `git rev-list` per new ref
made 20,000 branches take 293 s). Starts the given binary on 127.0.0.1 in a temporary
directory, pushes N branches (each one new commit on top of master) and prints the seconds and
the number of `git rev-list` the server ran.

usage: bench/push_many_branches.py [--bin PATH] [--branches N]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests/integration"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(ROOT / "build/release/src/app/kallithea"))
    parser.add_argument("--branches", type=int, default=20000)
    args = parser.parse_args()
    os.environ["KALLITHEA_BIN"] = args.bin
    import conftest
    conftest.BIN = args.bin
    tmp = Path(tempfile.mkdtemp(prefix="bench-branches-"))
    try:
        log = tmp / "git-calls.log"
        wrapper = tmp / "git-wrapper"
        wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec /usr/bin/git "$@"\n')
        wrapper.chmod(0o755)
        ini, port = conftest.make_instance(tmp, extra_config=[f"git_path={wrapper}"])
        server = conftest.Server(tmp, ini, port).start()
        try:
            conftest.make_repo(server, "branchy")
            home = tmp / "home"
            home.mkdir()
            env = conftest.git_env(home)
            work = tmp / "work"
            conftest.git(env, "init", "-q", work)
            (work / "f").write_text("x\n")
            conftest.git(env, "add", "f", cwd=work)
            conftest.git(env, "commit", "-q", "-m", "trunk", cwd=work)
            trunk = conftest.git(env, "rev-parse", "HEAD", cwd=work).stdout.strip()
            remote = f"http://admin:{conftest.ADMIN_PASSWORD}@127.0.0.1:{port}/branchy"
            conftest.git(env, "push", "-q", remote, "master", cwd=work)
            stream = []
            for i in range(args.branches):
                msg = f"b{i}\n"
                stream.append(f"commit refs/heads/b{i:05d}\ncommitter A <a@example.com> "
                              f"{1700000000 + i} +0000\ndata {len(msg)}\n{msg}from {trunk}\n"
                              f"M 644 inline b{i}\ndata 2\nb\n\n")
            subprocess.run(["git", "fast-import", "--quiet"], cwd=work, env=env, check=True,
                           input="".join(stream).encode())
            log.write_text("")
            started = time.monotonic()
            conftest.git(env, "push", "-q", remote, "refs/heads/*:refs/heads/*", cwd=work,
                         timeout=3600)
            elapsed = time.monotonic() - started
            calls = log.read_text().splitlines()
            rev_lists = sum(" rev-list " in c for c in calls)
            # The client (git send-pack) spends most of the time before it sends anything with
            # many refs; the server's share is the receive-pack POST that carries the pack.
            import re
            posts = re.findall(r'"POST /branchy/git-receive-pack" 200 \d+ ([\d.]+)ms',
                               server.log())
            server_ms = max(float(p) for p in posts) if posts else 0.0
            print(f"push of {args.branches} new branches: {elapsed:.1f} s in all, "
                  f"server {server_ms / 1000:.1f} s, {len(calls)} git commands "
                  f"({rev_lists} rev-list)")
        finally:
            server.stop()
    finally:
        if not os.environ.get("KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(tmp)


if __name__ == "__main__":
    main()
