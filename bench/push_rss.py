#!/usr/bin/python3
"""The server's memory through one large push and its clone: prints the push and clone times,
the server's anonymous RSS before and at its peak (sampled every 20 ms) and its VmHWM. Was the
200 MB test of tests/integration/test_git_http.py; it measures, so it lives here.

    bench/push_rss.py [--bin build/debug/src/app/kallithea] [--mb 200]

RssAnon is what the server allocated; VmRSS/VmHWM also count the mapped pages of the executable
(over 100 MB of code alone for a sanitizer build). Expected on the debug (sanitizer) build: peak
RssAnon under 150 MB and under 100 MB above the start: the pack is streamed, not held.
Everything runs on 127.0.0.1 in a temporary directory and stops by itself.
"""
import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(ROOT / "build/debug/src/app/kallithea"))
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args()
    os.environ["KALLITHEA_BIN"] = str(Path(args.bin).resolve())
    # The integration suite's fixtures start the instance and drive git.
    sys.path.insert(0, str(ROOT / "tests/integration"))
    from conftest import ADMIN_PASSWORD, Server, git, git_env, make_instance, make_repo

    with tempfile.TemporaryDirectory(prefix="kallithea-push-rss-") as tmp:
        tmp = Path(tmp)
        ini, port = make_instance(tmp)
        server = Server(tmp, ini, port).start()
        try:
            env = git_env(tmp)
            make_repo(server, "big")
            url = f"http://admin:{ADMIN_PASSWORD}@127.0.0.1:{port}/big"
            work = tmp / "work"
            git(env, "init", "-q", work)
            with open(work / "blob.bin", "wb") as f:
                for _ in range(args.mb):
                    f.write(os.urandom(1 << 20))
            git(env, "add", "blob.bin", cwd=work)
            git(env, "commit", "-q", "-m", f"{args.mb} MB", cwd=work)
            pid = server.proc.pid
            before = rss_kb(pid, "RssAnon")
            peak = [before]
            done = threading.Event()

            def sample():
                while not done.is_set():
                    peak[0] = max(peak[0], rss_kb(pid, "RssAnon"))
                    done.wait(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()
            started = time.monotonic()
            try:
                git(env, "push", "-q", url, "master", cwd=work, timeout=900)
            finally:
                done.set()
                sampler.join()
            push_s = time.monotonic() - started
            started = time.monotonic()
            clone = tmp / "clone"
            git(env, "clone", "-q", url, clone, timeout=900)
            clone_s = time.monotonic() - started
            size = (clone / "blob.bin").stat().st_size
            print(f"{args.mb} MB push: {push_s:.1f} s; clone: {clone_s:.1f} s "
                  f"({'complete' if size == args.mb << 20 else f'WRONG SIZE {size}'})")
            print(f"server RssAnon before {before // 1024} MB, peak during the push "
                  f"{peak[0] // 1024} MB (+{(peak[0] - before) // 1024} MB); "
                  f"VmHWM (with the mapped executable) {rss_kb(pid, 'VmHWM') // 1024} MB")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
