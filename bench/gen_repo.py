#!/usr/bin/env python3
"""Deterministic generator of the synthetic benchmark repositories (bare git, via fast-import).

usage: bench/gen_repo.py SIZE [--out DIR] [--force] [--stream-only]
  SIZE: large  (50k commits, 20k files)  |  medium (5k commits, 2k files)  |  tiny (smoke test)
        real   (30k commits, 1,050 annotated tags, 40 branches, 600 root entries: the shape of a
                long-lived project, where refs and the root directory dominate summary and tree)

The same SIZE always yields the same commit ids (fixed seed, fixed timestamps, no randomness
from the environment). The history has: an initial import, files added over time, renames,
side branches merged back (with the side changes in the merge), a long-lived `stable` branch,
annotated release tags, a few large binary files (5 MB, 20 MB; deterministic bytes), a few
~100 KB source files, and one "Big refactor" commit with a large diff near the tip.
The result goes to DIR/bench-SIZE (default DIR: /tmp/kallithea-bench/repos); it is then
`git gc`'d and gets a commit-graph with changed-path Bloom filters, like a pushed repo.
Exits non-zero if git fails; an existing repository is kept unless --force.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys

SIZES = {
    # commits, files, big-diff files, large binaries (path, MiB, at fraction of history)
    "large": (50000, 20000, 300, [("assets/firmware.bin", 5, 0.3), ("assets/dataset.bin", 20, 0.6),
                                  ("assets/firmware.bin", 5, 0.85)]),
    "medium": (5000, 2000, 120, [("assets/firmware.bin", 5, 0.3), ("assets/dataset.bin", 20, 0.6)]),
    "tiny": (300, 200, 20, [("assets/firmware.bin", 1, 0.5)]),
    "real": (30000, 6000, 150, []),
}
# Extra shape of a size (defaults: one tag per 5% of history, no extra branches, no root files).
#   tags: annotated tags spread evenly over master; branches: extra branch heads left at points of
#   master's history; root_files/root_dirs: entries added at the root by the initial import;
#   frozen: fraction of root entries never changed after it (their last change is the first commit,
#   so a last-change walk of the root goes through the whole history, as in old projects).
SHAPES = {
    "real": {"tags": 1050, "branches": 40, "root_files": 420, "root_dirs": 180, "frozen": 0.3},
}
AUTHORS = [("Alice Example", "alice@example.com"), ("Bob Builder", "bob@example.com"),
           ("Carol Coder", "carol@example.com"), ("Dan Dev", "dan@example.org"),
           ("Eve Élan", "eve@example.net"), ("Frank Fix", "frank@example.com")]
EXTS = [".c", ".c", ".h", ".py", ".py", ".md", ".txt", ".js", ".rs"]
WORDS = ("alpha beta gamma delta value index buffer count result state node tree commit "
         "parse render write read open close flush cache entry list map key item size "
         "offset length error status config repo path name user group hash ref tag").split()
T0 = 1500000000


class Gen:
    def __init__(self, size):
        self.ncommits, self.nfiles, self.bigdiff_files, self.binaries = SIZES[size]
        self.shape = SHAPES.get(size, {})
        self.frozen = set()    # paths never changed after the initial import
        self.rng = random.Random(f"kallithea-bench-{size}")
        self.out = None
        self.mark = 0
        self.t = T0
        self.files = {}        # path -> list of lines (master tip)
        self.order = []        # paths in creation order (for random choice)
        self.pending = []      # paths still to be added over the history
        self.line_pool = [self.make_line(i) for i in range(4000)]

    # ---- content -------------------------------------------------------------------------
    def make_line(self, salt):
        r = self.rng
        ws = [r.choice(WORDS) for _ in range(r.randrange(2, 7))]
        kind = r.randrange(4)
        if kind == 0:
            return f"    {ws[0]}_{ws[1]} = {'_'.join(ws[2:]) or 'none'}({salt});"
        if kind == 1:
            return f"    if ({ws[0]} != {ws[-1]}) return {salt % 97};"
        if kind == 2:
            return "    // " + " ".join(ws)
        return f"{' ' * (4 * r.randrange(0, 3))}call_{ws[0]}({', '.join(ws[1:])});"

    def new_content(self, path, nlines):
        r = self.rng
        head = [f"// {path}", f"// generated file, part of the benchmark repository", ""]
        body = [r.choice(self.line_pool) if r.random() < 0.7 else self.make_line(r.randrange(10**6))
                for _ in range(nlines)]
        return head + body

    def file_lines(self):
        r = self.rng.random()
        if r < 0.005:
            return self.rng.randrange(1500, 3000)   # ~100 KB source files
        if r < 0.1:
            return self.rng.randrange(150, 600)
        return self.rng.randrange(8, 80)

    def mutate(self, lines, n, tag, nchanges=None):
        r = self.rng
        lines = list(lines)
        for _ in range(nchanges or r.randrange(1, 4)):
            i = r.randrange(3, max(4, len(lines)))
            op = r.randrange(3)
            new = self.make_line(n) + f"  /* {tag} */"
            if op == 0 and i < len(lines):
                lines[i] = new
            elif op == 1:
                lines.insert(i, new)
            elif i < len(lines) and len(lines) > 6:
                del lines[i]
        return lines

    # ---- fast-import stream --------------------------------------------------------------
    def w(self, b):
        self.out.write(b)

    def data(self, payload):
        self.w(b"data %d\n" % len(payload))
        self.w(payload)
        self.w(b"\n")

    def commit(self, ref, msg, parents, changes, author=None):
        """changes: list of ('M', path, bytes, mode) | ('D', path) | ('R', old, new)."""
        self.mark += 1
        self.t += 30 + self.rng.randrange(600)
        name, mail = author or self.rng.choice(AUTHORS)
        ident = f"{name} <{mail}> {self.t} +0000".encode()
        self.w(b"commit %s\nmark :%d\nauthor %s\ncommitter %s\n" % (ref.encode(), self.mark, ident, ident))
        self.data(msg.encode())
        if parents:
            self.w(b"from :%d\n" % parents[0])
            for p in parents[1:]:
                self.w(b"merge :%d\n" % p)
        for ch in changes:
            if ch[0] == "M":
                _, path, payload, mode = ch
                self.w(b"M %s inline %s\n" % (mode.encode(), path.encode()))
                self.data(payload)
            elif ch[0] == "D":
                self.w(b"D %s\n" % ch[1].encode())
            else:
                self.w(b"R %s %s\n" % (ch[1].encode(), ch[2].encode()))
        self.w(b"\n")
        return self.mark

    def tag(self, name, mark, msg):
        self.t += 1
        self.w(b"tag %s\nfrom :%d\ntagger Release Bot <release@example.com> %d +0000\n"
               % (name.encode(), mark, self.t))
        self.data(msg.encode())

    @staticmethod
    def blob_of(lines):
        return ("\n".join(lines) + "\n").encode()

    def mode_of(self, path):
        return "100755" if path.endswith(".sh") else "100644"

    # ---- history -------------------------------------------------------------------------
    def paths(self):
        r = self.rng
        tops = ["src", "lib", "docs", "tests", "tools", "web", "include", "contrib", "examples"]
        dirs = []
        for top in tops:
            for a in range(r.randrange(4, 12)):
                for b in range(r.randrange(1, 8)):
                    dirs.append(f"{top}/m{a:02d}/p{b}")
                dirs.append(f"{top}/m{a:02d}")
        out, seen = [], set()
        for i in range(self.nfiles):
            p = f"{r.choice(dirs)}/{r.choice(WORDS)}_{i}{r.choice(EXTS)}"
            if p not in seen:
                seen.add(p)
                out.append(p)
        for i in range(max(1, self.nfiles // 1000)):
            out.append(f"scripts/run_{i}.sh")
        root = []
        for i in range(self.shape.get("root_files", 0)):
            root.append(f"{r.choice(WORDS)}_{i}{r.choice(EXTS)}")
        for i in range(self.shape.get("root_dirs", 0)):
            root.append(f"{r.choice(WORDS)}{i}/{r.choice(WORDS)}{r.choice(EXTS)}")
        for p in root:
            if r.random() < self.shape.get("frozen", 0):
                self.frozen.add(p)
        return root + out + ["README.md", "LICENSE", "Makefile", ".gitignore"]

    def pick(self, k):
        if not self.frozen:
            return self.rng.sample(self.order, k)
        out = []
        while len(out) < k:
            p = self.rng.choice(self.order)
            if p not in self.frozen and p not in out:
                out.append(p)
        return out

    def run(self, out):
        self.out = out
        r = self.rng
        allp = self.paths()
        cut = len(allp) // 2  # root entries of the shape come first: all in the initial import
        first, self.pending = allp[:cut] + allp[-4:], allp[cut:-4]
        ch = []
        for p in first:
            self.files[p] = self.new_content(p, self.file_lines())
            self.order.append(p)
            ch.append(("M", p, self.blob_of(self.files[p]), self.mode_of(p)))
        head = self.commit("refs/heads/master", "Initial import\n", [], ch)
        add_every = max(1, (self.ncommits - 10) // max(1, len(self.pending)))
        bins = {round(frac * self.ncommits): (path, mib) for path, mib, frac in self.binaries}
        bigdiff_at = self.ncommits - 200 if self.ncommits > 1000 else self.ncommits - 20
        stable_at = int(self.ncommits * 0.8)
        stable = None
        side = side_files = None
        release = 0
        next_tag = 1.0
        nbranches = self.shape.get("branches", 0)
        branch_at = [(self.ncommits * (i + 1) // (nbranches + 1), f"release-{i + 1:02d}")
                     for i in range(nbranches)]
        n = 1
        while n < self.ncommits:
            phase = n % 50
            if phase == 10 and n < self.ncommits - 60:          # fork a side branch
                side, side_files = head, {}
            if side is not None and 11 <= phase < 20:           # side branch commits
                ch = []
                for p in self.pick(r.randrange(1, 4)):
                    side_files[p] = self.mutate(side_files.get(p, self.files[p]), n, "side")
                    ch.append(("M", p, self.blob_of(side_files[p]), self.mode_of(p)))
                side = self.commit("refs/heads/side", f"Side work {n}: tweak {ch[0][1]}\n", [side], ch)
                n += 1
                continue
            if side is not None and phase == 20:                # merge it back, with its changes
                ch = []
                for p, lines in side_files.items():
                    if self.files[p] != lines:
                        self.files[p] = lines
                        ch.append(("M", p, self.blob_of(lines), self.mode_of(p)))
                head = self.commit("refs/heads/master", f"Merge branch 'side' (work {n})\n",
                                   [head, side], ch)
                side = side_files = None
                n += 1
                continue
            if stable is not None and n % 20 == 7:              # maintenance on stable
                p = self.pick(1)[0]
                stable_files[p] = self.mutate(stable_files.get(p, self.files[p]), n, "stable")
                stable = self.commit("refs/heads/stable", f"Backport fix {n} to stable\n", [stable],
                                     [("M", p, self.blob_of(stable_files[p]), self.mode_of(p))])
                n += 1
                continue
            ch = []
            if n == bigdiff_at:
                msg = f"Big refactor: rename helpers in {self.bigdiff_files} files\n\nMechanical change.\n"
                for p in self.pick(self.bigdiff_files):
                    self.files[p] = self.mutate(self.files[p], n, "refactor", nchanges=r.randrange(5, 15))
                    ch.append(("M", p, self.blob_of(self.files[p]), self.mode_of(p)))
            elif n in bins:
                path, mib = bins[n]
                brng = random.Random(f"{path}-{n}")
                ch.append(("M", path, brng.randbytes(mib * 1024 * 1024), "100644"))
                msg = f"Update {path} ({mib} MiB)\n"
            elif n % 500 == 250:
                old = self.pick(1)[0]
                if old.endswith((".c", ".py", ".txt")) and not old.startswith("scripts/"):
                    head_dir, _, base = old.rpartition("/")
                    new = f"{head_dir}/renamed_{base}" if head_dir else f"renamed_{base}"
                    ch.append(("R", old, new))
                    self.files[new] = self.files.pop(old)
                    self.order[self.order.index(old)] = new
                    msg = f"Rename {old} to {new}\n"
                else:
                    msg = f"Touch {old}\n"
                    self.files[old] = self.mutate(self.files[old], n, "touch")
                    ch.append(("M", old, self.blob_of(self.files[old]), self.mode_of(old)))
            else:
                for p in self.pick(r.randrange(1, 5)):
                    self.files[p] = self.mutate(self.files[p], n, f"c{n}")
                    ch.append(("M", p, self.blob_of(self.files[p]), self.mode_of(p)))
                if n % add_every == 0 and self.pending:
                    p = self.pending.pop()
                    self.files[p] = self.new_content(p, self.file_lines())
                    self.order.append(p)
                    ch.append(("M", p, self.blob_of(self.files[p]), self.mode_of(p)))
                if n % 997 == 0:
                    self.files["README.md"] = self.mutate(self.files["README.md"], n, "readme")
                    ch.append(("M", "README.md", self.blob_of(self.files["README.md"]), "100644"))
                first_path = ch[0][1]
                msg = f"Change {first_path.rsplit('/', 1)[-1]} and {len(ch) - 1} more (#{n})\n\n" \
                      f"Details of change {n}.\n"
            head = self.commit("refs/heads/master", msg, [head], ch)
            if n == stable_at:
                stable, stable_files = head, {}
            if "tags" in self.shape:                         # evenly spread over master
                if n >= next_tag:
                    next_tag += self.ncommits / self.shape["tags"]
                    release += 1
                    self.tag(f"v1.{release}", head, f"Release 1.{release}\n")
            elif n % max(1, self.ncommits // 20) == 0:
                release += 1
                self.tag(f"v1.{release}", head, f"Release 1.{release}\n")
            while branch_at and n >= branch_at[0][0]:            # a branch left behind here
                self.w(b"reset refs/heads/%s\nfrom :%d\n\n" % (branch_at.pop(0)[1].encode(), head))
            n += 1
        # files never added because of rounding: one last commit
        if self.pending:
            ch = []
            for p in self.pending:
                self.files[p] = self.new_content(p, self.file_lines())
                ch.append(("M", p, self.blob_of(self.files[p]), self.mode_of(p)))
            head = self.commit("refs/heads/master", f"Add {len(ch)} remaining files\n", [head], ch)
        self.w(b"done\n")


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("size", choices=sorted(SIZES))
    ap.add_argument("--out", default="/tmp/kallithea-bench/repos")
    ap.add_argument("--force", action="store_true", help="regenerate an existing repository")
    ap.add_argument("--stream-only", action="store_true", help="write the fast-import stream to stdout")
    a = ap.parse_args()
    if a.stream_only:
        Gen(a.size).run(sys.stdout.buffer)
        return 0
    repo = os.path.join(a.out, f"bench-{a.size}")
    if os.path.exists(os.path.join(repo, "HEAD")) and not a.force:
        print(f"{repo} exists (use --force to regenerate)", file=sys.stderr)
        return 0
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(a.out, exist_ok=True)
    tmp = repo + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", tmp], check=True)
    git(tmp, "config", "gc.auto", "0")
    git(tmp, "symbolic-ref", "HEAD", "refs/heads/master")
    fi = subprocess.Popen(["git", "-C", tmp, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
    Gen(a.size).run(fi.stdin)
    fi.stdin.close()
    if fi.wait() != 0:
        print("git fast-import failed", file=sys.stderr)
        return 1
    # like a pushed and gc'd repository: one pack with good deltas, bitmap, commit-graph
    git(tmp, "-c", "gc.aggressiveWindow=10", "-c", "gc.aggressiveDepth=50", "gc", "-q",
        "--aggressive", "--prune=now")
    git(tmp, "commit-graph", "write", "--reachable", "--changed-paths")
    os.rename(tmp, repo)
    head = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    print(f"{repo}: HEAD {head}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
