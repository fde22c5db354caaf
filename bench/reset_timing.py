#!/usr/bin/env python3
"""Time of the password-reset form's answer for an address with an account and one without,
with a mail server that never answers (the request only queues the mail). Not a test.

usage: bench/reset_timing.py [KALLITHEA_BIN] [ROUNDS]
Prints, for each kind of address, the median and p90 of ROUNDS POSTs in milliseconds."""
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(binary, *args):
    subprocess.run([binary, *map(str, args)], check=True, capture_output=True, timeout=120)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "build/release/src/app/kallithea")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as black_hole:
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen(64)  # accepts, never answers
        tmp = Path(tmp)
        port = free_port()
        ini = tmp / "kallithea.ini"
        run(binary, "config-create", ini, "host=127.0.0.1", f"port={port}", "smtp_server=127.0.0.1",
            f"smtp_port={black_hole.getsockname()[1]}")
        (tmp / "repos").mkdir()
        run(binary, "db-create", "-c", ini, "--user", "admin", "--password", "admin-secret-1",
            "--email", "known@example.com", "--repos", tmp / "repos", "--force-yes")
        log = open(tmp / "server.log", "wb")
        server = subprocess.Popen([binary, "serve", "-c", ini], stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    requests.get(url + "/_admin/password_reset", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.05)
            s = requests.Session()
            page = s.get(url + "/_admin/password_reset").text
            m = re.search(r'name="_session_csrf_secret_token" value="([^"]+)"', page)
            extra = {"_session_csrf_secret_token": m.group(1)} if m else {}
            times = {"known": [], "unknown": []}
            for i in range(rounds):
                for kind in ("known", "unknown") if i % 2 else ("unknown", "known"):
                    started = time.perf_counter()
                    r = s.post(url + "/_admin/password_reset", allow_redirects=False,
                               data=dict(extra, email=f"{kind}@example.com"))
                    times[kind].append((time.perf_counter() - started) * 1000)
                    assert r.status_code == 303, r.status_code
            for kind, values in times.items():
                values.sort()
                print(f"{kind:8} median {statistics.median(values):6.2f} ms  "
                      f"p90 {values[int(len(values) * 0.9)]:6.2f} ms  ({len(values)} POSTs)")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
