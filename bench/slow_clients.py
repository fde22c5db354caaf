#!/usr/bin/python3
"""GET / latency (p50/p99) with and without 32 stalled clients of each kind, plus the server's
peak RSS through a large push and clone (issue 9, item 2).

    cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
    ninja -C build/release kallithea
    bench/slow_clients.py [--bin build/release/src/app/kallithea] [--requests 400] [--push-mb 100]

Stalled kinds: (a) a POST whose large body stops after 1 KB, (b) a GET with Content-Length:
100000 and no body, (c) a client that requests an 8 MB archive-sized response (a raw blob) and
never reads it. Everything runs on 127.0.0.1 in a temporary directory and stops by itself.
"""
import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EACH = 32


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kw)


def wait_port(port, proc):
    for _ in range(400):
        if proc.poll() is not None:
            sys.exit("server exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("server did not start")


def latencies(port, count):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = []
    for _ in range(count):
        begin = time.perf_counter()
        conn.request("GET", "/")
        r = conn.getresponse()
        r.read()
        out.append((time.perf_counter() - begin) * 1000)
        if r.status != 200:
            sys.exit(f"GET / answered {r.status}")
    conn.close()
    return out


def describe(label, values):
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    print(f"{label:<40} p50 {statistics.median(values):7.2f} ms   p99 {p99:7.2f} ms   "
          f"max {values[-1]:7.2f} ms")


def stall(port, blob_url):
    socks = []
    for _ in range(EACH):
        a = socket.create_connection(("127.0.0.1", port))
        a.sendall(b"POST /_admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                  b"application/x-www-form-urlencoded\r\nContent-Length: 3000000\r\n\r\n" +
                  b"u" * 1024)
        b = socket.create_connection(("127.0.0.1", port))
        b.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.connect(("127.0.0.1", port))
        c.sendall(f"GET {blob_url} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        socks += [a, b, c]
    for c in socks[2::3]:
        c.settimeout(30)
        c.recv(1)
    return socks


def rss_kb(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def git(env, *args, cwd=None):
    return run("git", *args, cwd=cwd, env=env)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(ROOT / "build/release/src/app/kallithea"))
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--push-mb", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kallithea-slow-"))
    port = free_port()
    ini = work / "kallithea.ini"
    run(args.bin, "config-create", ini, "host=127.0.0.1", f"port={port}")
    (work / "repos").mkdir()
    run(args.bin, "db-create", "-c", ini, "--user", "admin", "--password", "admin-pw-123",
        "--email", "a@example.com", "--repos", work / "repos", "--force-yes")
    run(args.bin, "repo-create", "-c", ini, "--name", "big", "--owner", "admin")
    log = open(work / "server.log", "wb")
    proc = subprocess.Popen([args.bin, "serve", "-c", ini], stdout=log, stderr=subprocess.STDOUT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(work), GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0",
               GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_NAME="A",
               GIT_COMMITTER_EMAIL="a@example.com")
    try:
        wait_port(port, proc)
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        # A repository with a large blob for (c) and the push/clone figures.
        src = work / "src"
        git(env, "init", "-q", "-b", "master", src)
        with open(src / "blob.bin", "wb") as f:
            f.write(os.urandom(args.push_mb << 20))
        git(env, "add", "blob.bin", cwd=src)
        git(env, "commit", "-q", "-m", "big blob", cwd=src)
        url = f"http://admin:admin-pw-123@127.0.0.1:{port}/big"
        rss_before = rss_kb(proc.pid, "VmRSS")
        begin = time.monotonic()
        git(env, "push", "-q", url, "master", cwd=src)
        push_s = time.monotonic() - begin
        push_hwm = rss_kb(proc.pid, "VmHWM")
        begin = time.monotonic()
        git(env, "clone", "-q", url, work / "clone")
        clone_s = time.monotonic() - begin
        clone_hwm = rss_kb(proc.pid, "VmHWM")
        shutil.rmtree(work / "clone")
        print(f"push of {args.push_mb} MB: {push_s:.1f} s; clone: {clone_s:.1f} s; server RSS "
              f"before {rss_before // 1024} MB, peak after push {push_hwm // 1024} MB, "
              f"peak after clone {clone_hwm // 1024} MB")

        latencies(port, 20)  # warm-up
        describe("GET / , no slow clients", latencies(port, args.requests))
        socks = stall(port, "/big/raw/master/blob.bin")
        stalled_at = time.monotonic()
        describe(f"GET / , {EACH} stalled clients of 3 kinds", latencies(port, args.requests))
        held = time.monotonic() - stalled_at
        print(f"(measured within {held:.1f} s of stalling; the default minimum-rate window is 30 s)")
        for s in socks:
            s.close()
        print(f"server RSS at the end {rss_kb(proc.pid, 'VmRSS') // 1024} MB, "
              f"peak {rss_kb(proc.pid, 'VmHWM') // 1024} MB")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
