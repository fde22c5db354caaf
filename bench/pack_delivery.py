#!/usr/bin/env python3
"""The server's part of a clone: asks URL (a repository's smart-HTTP address) for a pack of every
ref (protocol v0, side-band-64k, as `git clone` asks) and reads it to the end without indexing it.
Prints "SECONDS FIRST_BYTE_SECONDS MEGABYTES". Not a test; used by git_hosting.sh."""
import sys
import time
import urllib.request


def pkt(text):
    data = text.encode()
    return b"%04x" % (len(data) + 4) + data


def main(url):
    with urllib.request.urlopen(url + "/info/refs?service=git-upload-pack", timeout=60) as r:
        adv = r.read()
    wants, i = set(), 0
    while i + 4 <= len(adv):
        n = int(adv[i:i + 4], 16)
        if n == 0:
            i += 4
            continue
        line = adv[i + 4:i + n]
        i += n
        if not line.startswith(b"#"):
            wants.add(line[:40].decode())
    wants = sorted(wants)
    body = pkt(f"want {wants[0]} multi_ack_detailed no-done side-band-64k thin-pack ofs-delta\n")
    body += b"".join(pkt(f"want {w}\n") for w in wants[1:]) + b"0000" + pkt("done\n")
    req = urllib.request.Request(url + "/git-upload-pack", data=body, headers={
        "Content-Type": "application/x-git-upload-pack-request"})
    start = time.monotonic()
    first, total = None, 0
    with urllib.request.urlopen(req, timeout=600) as r:
        while True:
            chunk = r.read(1 << 16)
            if not chunk:
                break
            if first is None:
                first = time.monotonic() - start
            total += len(chunk)
    print(f"{time.monotonic() - start:.3f} {first or 0:.3f} {total / 1048576:.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
