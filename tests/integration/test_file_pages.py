"""Repository file pages (files browser, raw, rawfile, annotate, history, archives, refs-data)
against repositories built with the real git CLI and pushed straight into bare repositories made
by make_repo()."""
import io
import json
import os
import re
import subprocess
import tarfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from conftest import Server, make_instance, make_repo

SCRIPT_NAME = "<script>alert(1)<.txt"
SCRIPT_DIR = "<b>dir"
UNICODE_NAME = "ünïcödé file.txt"
SPACE_NAME = "with space.txt"
BIG_SIZE = 10 * 1024 * 1024
LARGE_TEXT = "".join(f"large line {i:06d} of a file over cut_off_limit\n" for i in range(7000))
MAIN_PY_V1 = "import os\n\n\ndef main():\n    print('one')\n    return 0\n"
MAIN_PY_V2 = "import os\nimport sys\n\n\ndef main():\n    print('two')\n    return 0\n"
MAIN_PY_V3 = MAIN_PY_V2 + "\n\nif __name__ == '__main__':\n    sys.exit(main())\n"


class Work:
    """A git work tree with a fixed identity and a clock that advances one hour per commit."""

    def __init__(self, path, home):
        self.path = Path(path)
        self.path.mkdir(parents=True)
        self.tick = 1_700_000_000
        self.env = {"PATH": os.environ["PATH"], "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
                    "GIT_AUTHOR_NAME": "Ann Author", "GIT_AUTHOR_EMAIL": "ann@example.com",
                    "GIT_COMMITTER_NAME": "Ann Author", "GIT_COMMITTER_EMAIL": "ann@example.com",
                    "LANG": "C.UTF-8"}
        self.git("init", "-q", "-b", "master")

    def git(self, *args, text=True):
        proc = subprocess.run(["git", *args], cwd=self.path, env=self.env, capture_output=True,
                              text=text, check=False)
        assert proc.returncode == 0, f"git {args}: {proc.stderr}"
        return proc.stdout

    def write(self, name, data):
        p = self.path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data, encoding="utf-8")

    def commit(self, message, author=None, gitlinks=()):
        self.tick += 3600
        self.env["GIT_AUTHOR_DATE"] = self.env["GIT_COMMITTER_DATE"] = f"@{self.tick} +0000"
        if author:
            self.env["GIT_AUTHOR_NAME"] = author
        self.git("add", "-A")
        for path, commit in gitlinks:  # submodules without a checkout (an empty directory)
            self.git("update-index", "--add", "--cacheinfo", f"160000,{commit},{path}")
            (self.path / path).mkdir(exist_ok=True)
        self.git("commit", "-q", "-m", message)
        self.env["GIT_AUTHOR_NAME"] = "Ann Author"
        return self.git("rev-parse", "HEAD").strip()

    def push(self, bare):
        self.git("push", "-q", str(bare), "--all")
        self.git("push", "-q", str(bare), "--tags")


def build_main_repo(srv, tmp):
    bare = make_repo(srv, "files-main")
    w = Work(tmp / "work-main", tmp)
    ids = {}
    w.write("README.md", "# Readme\n")
    w.write("src/main.py", MAIN_PY_V1)
    ids["root"] = w.commit("Root commit")
    w.write("src/main.py", MAIN_PY_V2)
    w.write("a/b/c/deep.txt", "deep\n")
    w.write(SCRIPT_NAME, "<script>alert('content')</script>\n")
    w.write(f"{SCRIPT_DIR}/inner.txt", "inner\n")
    w.write(UNICODE_NAME, "unicode ü\n")
    w.write(SPACE_NAME, "space\n")
    w.write("empty.txt", "")
    w.write("page.html", "<html><script>alert('html')</script></html>\n")
    w.write("image.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>\n")
    w.write("pixel.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)))
    w.write("large.txt", LARGE_TEXT)
    w.write("run.sh", "#!/bin/sh\necho hi\n")
    (w.path / "run.sh").chmod(0o755)
    os.symlink("README.md", w.path / "link-to-readme")
    w.write(".gitmodules", '[submodule "sub"]\n\tpath = sub\n\turl = https://example.com/sub.git\n')
    ids["second"] = w.commit("Add <script>alert('msg')</script> files", author="Bob & 'Co' Jr",
                             gitlinks=[("sub", ids["root"])])
    w.write("bin/big.bin", os.urandom(BIG_SIZE))
    ids["binary"] = w.commit("Add a 10 MB binary")
    w.git("tag", "-a", "v1.0", "-m", "version 1.0")
    w.git("checkout", "-q", "-b", "feature")
    w.write("feature.txt", "feature\n")
    ids["feature"] = w.commit("Feature work")
    w.git("checkout", "-q", "master")
    w.write("src/main.py", MAIN_PY_V3)
    ids["third"] = w.commit("Main entry point")
    w.tick += 3600
    w.env["GIT_AUTHOR_DATE"] = w.env["GIT_COMMITTER_DATE"] = f"@{w.tick} +0000"
    w.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
    ids["merge"] = w.git("rev-parse", "HEAD").strip()
    w.git("branch", "topic/slash", ids["feature"])
    w.push(bare)
    return bare, w, ids


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("files")
    ini, port = make_instance(tmp)
    srv = Server(tmp, ini, port).start()
    try:
        bare, work, ids = build_main_repo(srv, tmp)
        make_repo(srv, "files-empty")
        nodl = make_repo(srv, "group/files-nodl", downloads=False)
        w2 = Work(tmp / "work-nodl", tmp)
        w2.write("x.txt", "x\n")
        w2.commit("only")
        w2.push(nodl)
        w2.push(make_repo(srv, "group/files-nested"))
        w2.ids = {"only": w2.git("rev-parse", "HEAD").strip()}
        yield {"srv": srv, "url": srv.url, "work": work, "ids": ids, "bare": bare,
               "nested_id": w2.ids["only"]}
    finally:
        srv.stop()


class Elements(HTMLParser):
    """Collects start tags with their attributes, and the text inside <code> cells."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.code = []
        self._in_code = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "code":
            self._in_code = True
            self.code.append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False

    def handle_data(self, data):
        if self._in_code:
            self.code[-1] += data

    def with_attr(self, name, tag=None):
        return [a for t, a in self.tags if name in a and (tag is None or t == tag)]


def get(env, path, **kw):
    kw.setdefault("allow_redirects", False)
    return requests.get(env["url"] + path, timeout=60, **kw)


def git_last_change(env, path, rev="master"):
    return env["work"].git("log", "-1", "--format=%H", rev, "--", path).strip()


def code_lines(html):
    """Line anchors (annotate: one <tr id="Ln"> per line; source: <a id="Ln"> in the number
    cell) and the text of each line."""
    parser = Elements(html)
    rows = [a for t, a in parser.tags if t in ("tr", "a") and re.fullmatch(r"L\d+", a.get("id", ""))]
    code = parser.code
    if len(code) == 1 and any(t == "tr" and "source" in a.get("class", "") for t, a in parser.tags):
        code = code[0].split("\n")
    return rows, code


# --- the browser ---------------------------------------------------------------------------

def test_root_listing_dirs_first_with_last_changes(env):
    r = get(env, "/files-main/files/tip/")
    assert r.status_code == 200
    rows = [a for t, a in Elements(r.text).tags if t == "tr" and "data-name" in a]
    names = [a["data-name"] for a in rows]
    kinds = [a["data-kind"] for a in rows]
    first_file = kinds.index("file")
    assert all(k in ("dir", "submodule") for k in kinds[:first_file])
    assert "dir" not in kinds[first_file:]
    assert {"a", "src", "bin", SCRIPT_DIR} <= set(names[:first_file])
    by_name = {a["data-name"]: a for a in rows}
    for name, attrs in by_name.items():
        assert attrs["data-last-changeset"] == git_last_change(env, name), name
    assert by_name["link-to-readme"]["data-kind"] == "symlink"
    assert by_name["sub"]["data-kind"] == "submodule"
    assert by_name["sub"]["data-submodule-url"] == "https://example.com/sub.git"
    assert by_name["README.md"]["data-size"] == "9"
    assert by_name["feature.txt"]["data-last-changeset"] == env["ids"]["feature"]


def test_nested_directory_and_breadcrumb(env):
    r = get(env, "/files-main/files/tip/a/b")
    assert r.status_code == 200
    parser = Elements(r.text)
    rows = [a for t, a in parser.tags if t == "tr" and "data-name" in a]
    assert [(a["data-name"], a["data-path"], a["data-kind"]) for a in rows] == [("c", "a/b/c", "dir")]
    crumbs = [a["data-crumb"] for a in parser.with_attr("data-crumb")]
    assert crumbs == ["", "a", "a/b"]
    assert parser.with_attr("data-path", "table")[0]["data-path"] == "a/b"


@pytest.mark.parametrize("rev", ["tip", "master", "v1.0", "feature", "FULL", "SHORT"])
def test_revisions(env, rev):
    ids = env["ids"]
    expected = {"tip": ids["merge"], "master": ids["merge"], "v1.0": ids["binary"],
                "feature": ids["feature"], "FULL": ids["second"], "SHORT": ids["second"]}[rev]
    rev = {"FULL": ids["second"], "SHORT": ids["second"][:8]}.get(rev, rev)
    r = get(env, f"/files-main/files/{rev}/")
    assert r.status_code == 200
    nav = Elements(r.text).with_attr("data-rev")[0]
    assert nav["data-changeset"] == expected
    assert nav["data-rev"] == rev


def test_root_commit_and_merge_commit(env):
    ids = env["ids"]
    r = get(env, f"/files-main/files/{ids['root']}/")
    assert r.status_code == 200
    names = {a["data-name"] for a in Elements(r.text).with_attr("data-name", "tr")}
    assert names == {"README.md", "src"}
    r = get(env, f"/files-main/files/{ids['merge']}/")
    assert r.status_code == 200
    names = {a["data-name"] for a in Elements(r.text).with_attr("data-name", "tr")}
    assert "feature.txt" in names and "bin" in names


def test_switcher_form_redirects_and_links(env):
    r = get(env, "/files-main/files/tip/src?at_rev=v1.0")
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/files-main/files/v1.0/src")
    r = get(env, "/files-main/files/tip/src")
    parser = Elements(r.text)
    options = [a.get("value") for t, a in parser.tags if t == "option"]
    assert "master" in options and "v1.0" in options and "feature" in options
    # A branch with '/' cannot be a path segment: it is offered by changeset id.
    assert env["ids"]["feature"] in options
    refs = {a["data-ref"]: a for a in parser.with_attr("data-ref", "a")}
    assert refs["v1.0"]["href"].endswith("/files-main/files/v1.0/src")
    assert refs["topic/slash"]["href"].endswith(f"/files/{env['ids']['feature']}/src")
    r = get(env, "/files-main/annotate/tip/src/main.py?at_rev=feature")
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/files-main/annotate/feature/src/main.py")


def test_file_view_lines_language_and_last_change(env):
    r = get(env, "/files-main/files/tip/src/main.py")
    assert r.status_code == 200
    parser = Elements(r.text)
    view = parser.with_attr("data-display")[0]
    assert view["data-language"] == "python"
    assert view["data-display"] == "text"
    assert view["data-last-changeset"] == git_last_change(env, "src/main.py")
    rows, code = code_lines(r.text)
    assert [a["id"] for a in rows] == [f"L{i}" for i in range(1, MAIN_PY_V3.count("\n") + 1)]
    assert code == MAIN_PY_V3.split("\n")[:-1]
    assert [a for a in parser.with_attr("data-language", "table")][0]["data-language"] == "python"
    links = {a["data-link"]: a["href"] for a in parser.with_attr("data-link", "a")}
    assert links["raw"].endswith("/files-main/raw/tip/src/main.py")
    assert links["annotate"].endswith("/files-main/annotate/tip/src/main.py")
    assert links["history"].endswith("/files-main/history/tip/src/main.py")
    assert "/_static/hljs/highlight.min.js" in r.text


def test_highlight_assets_are_served(env):
    for asset, ctype in [("hljs/highlight.min.js", "javascript"), ("hljs/github.css", "text/css"),
                         ("hljs/kallithea-highlight.js", "javascript")]:
        r = get(env, f"/_static/{asset}")
        assert r.status_code == 200, asset
        assert ctype in r.headers["Content-Type"]
    assert "registerLanguage" in get(env, "/_static/hljs/highlight.min.js").text


def test_unknown_extension_is_not_highlighted(env):
    r = get(env, "/files-main/files/tip/a/b/c/deep.txt")
    view = Elements(r.text).with_attr("data-display")[0]
    assert view["data-language"] == "plaintext"
    r = get(env, f"/files-main/files/tip/{quote(SPACE_NAME)}")
    assert r.status_code == 200


def test_script_names_are_escaped_everywhere(env):
    for path in ["/files-main/files/tip/", f"/files-main/files/tip/{quote(SCRIPT_NAME)}",
                 f"/files-main/files/tip/{quote(SCRIPT_DIR)}",
                 f"/files-main/annotate/tip/{quote(SCRIPT_NAME)}",
                 f"/files-main/history/tip/{quote(SCRIPT_NAME)}"]:
        r = get(env, path)
        assert r.status_code == 200, path
        assert "<script>alert" not in r.text, path
        assert "<b>dir" not in r.text, path
    r = get(env, "/files-main/files/tip/")
    rows = {a["data-name"]: a for a in Elements(r.text).with_attr("data-name", "tr")}
    assert SCRIPT_NAME in rows and SCRIPT_DIR in rows
    assert quote(SCRIPT_NAME) in r.text
    r = get(env, f"/files-main/files/tip/{quote(SCRIPT_NAME)}")
    assert Elements(r.text).code == ["<script>alert('content')</script>"]


def test_unicode_and_space_names(env):
    r = get(env, "/files-main/files/tip/")
    assert quote(UNICODE_NAME) in r.text
    for name in [UNICODE_NAME, SPACE_NAME]:
        r = get(env, f"/files-main/files/tip/{quote(name)}")
        assert r.status_code == 200
        assert Elements(r.text).with_attr("data-path", "section")[0]["data-path"] == name
        raw = get(env, f"/files-main/raw/tip/{quote(name)}")
        assert raw.content == (env["work"].path / name).read_bytes()


def test_binary_file_view_and_raw_stream(env):
    r = get(env, "/files-main/files/tip/bin/big.bin")
    assert r.status_code == 200
    view = Elements(r.text).with_attr("data-display")[0]
    assert view["data-display"] == "binary"
    assert view["data-size"] == str(BIG_SIZE)
    assert view["data-binary"] == "true"
    assert "<table class=\"code" not in r.text
    raw = get(env, "/files-main/raw/tip/bin/big.bin")
    assert raw.status_code == 200
    assert raw.headers["Content-Type"] == "application/octet-stream"
    assert raw.headers["Content-Length"] == str(BIG_SIZE)
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in raw.headers["Content-Security-Policy"]
    assert raw.content == (env["work"].path / "bin/big.bin").read_bytes()
    head = requests.head(env["url"] + "/files-main/raw/tip/bin/big.bin", timeout=30)
    assert head.status_code == 200 and head.headers["Content-Length"] == str(BIG_SIZE)


@pytest.mark.parametrize("name,ctype", [
    ("src/main.py", "text/plain; charset=utf-8"),
    ("page.html", "text/plain; charset=utf-8"),
    ("image.svg", "text/plain; charset=utf-8"),
    ("pixel.png", "image/png"),
    ("empty.txt", "text/plain; charset=utf-8"),
])
def test_raw_content_types_are_safe(env, name, ctype):
    r = get(env, f"/files-main/raw/tip/{name}")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == ctype
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert "attachment" not in r.headers.get("Content-Disposition", "")
    assert r.content == (env["work"].path / name).read_bytes()


def test_rawfile_is_an_attachment(env):
    r = get(env, "/files-main/rawfile/tip/src/main.py")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == 'attachment; filename="main.py"'
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.content == MAIN_PY_V3.encode()
    r = get(env, f"/files-main/rawfile/tip/{quote(UNICODE_NAME)}")
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"")
    assert f"filename*=UTF-8''{quote(UNICODE_NAME, safe='')}" in disposition
    r = get(env, f"/files-main/rawfile/tip/{quote(SCRIPT_NAME)}")
    assert r.headers["Content-Disposition"].startswith("attachment; filename=\"<script>alert(1)<.txt\"")
    r = get(env, "/files-main/rawfile/tip/bin/big.bin")
    assert len(r.content) == BIG_SIZE


def test_large_text_file_is_not_rendered_inline(env):
    r = get(env, "/files-main/files/tip/large.txt")
    assert r.status_code == 200
    view = Elements(r.text).with_attr("data-display")[0]
    assert view["data-display"] == "too-large"
    assert 'id="L1"' not in r.text
    r = get(env, "/files-main/files/tip/large.txt?fulldiff=1")
    rows, code = code_lines(r.text)
    assert len(rows) == 7000 and code[-1] == LARGE_TEXT.split("\n")[-2]


def test_empty_symlink_submodule_image_pages(env):
    r = get(env, "/files-main/files/tip/empty.txt")
    assert Elements(r.text).with_attr("data-display")[0]["data-display"] == "empty"
    r = get(env, "/files-main/files/tip/link-to-readme")
    assert r.status_code == 200
    view = Elements(r.text).with_attr("data-display")[0]
    assert view["data-kind"] == "symlink"
    assert Elements(r.text).with_attr("data-symlink-target")[0]["data-symlink-target"] == "README.md"
    assert get(env, "/files-main/raw/tip/link-to-readme").content == b"README.md"
    r = get(env, "/files-main/files/tip/sub")
    assert r.status_code == 200
    sub = Elements(r.text).with_attr("data-submodule-url", "section")[0]
    assert sub["data-submodule-url"] == "https://example.com/sub.git"
    r = get(env, "/files-main/files/tip/pixel.png")
    assert Elements(r.text).with_attr("data-display")[0]["data-display"] == "image"
    assert any(t == "img" and a["src"].endswith("/files-main/raw/tip/pixel.png")
               for t, a in Elements(r.text).tags)
    r = get(env, "/files-main/files/tip/run.sh")
    assert Elements(r.text).with_attr("data-display")[0]["data-language"] == "bash"


# --- annotate and history ------------------------------------------------------------------

def porcelain_blame(env, path, rev="master"):
    out = env["work"].git("blame", "--porcelain", rev, "--", path)
    lines, authors = [], {}
    current = None
    for line in out.split("\n"):
        m = re.match(r"^([0-9a-f]{40}) \d+ (\d+)", line)
        if m:
            current = m.group(1)
            lines.append((int(m.group(2)), current))
        elif line.startswith("author ") and current:
            authors[current] = line[len("author "):]
    return lines, authors


def test_annotate_matches_git_blame(env):
    r = get(env, "/files-main/annotate/tip/src/main.py")
    assert r.status_code == 200
    rows, code = code_lines(r.text)
    expected, authors = porcelain_blame(env, "src/main.py")
    assert [(int(a["data-line"]), a["data-changeset"]) for a in rows] == expected
    assert [a["data-author"] for a in rows] == [authors[cs] for _, cs in expected]
    assert code == MAIN_PY_V3.split("\n")[:-1]
    groups = [a for a in rows if "group-start" in a.get("class", "")]
    changes = sum(1 for i, (_, cs) in enumerate(expected) if i == 0 or cs != expected[i - 1][1])
    assert len(groups) == changes
    ids = env["ids"]
    assert {cs for _, cs in expected} == {ids["root"], ids["second"], ids["third"]}


def test_annotate_special_cases(env):
    r = get(env, "/files-main/annotate/tip/bin/big.bin")
    assert r.status_code == 200
    assert Elements(r.text).with_attr("data-display")[0]["data-display"] == "binary"
    r = get(env, f"/files-main/annotate/tip/{quote(SCRIPT_NAME)}")
    rows, _ = code_lines(r.text)
    assert rows[0]["data-author"] == "Bob & 'Co' Jr"
    assert "Bob &amp; &#39;Co&#39; Jr" in r.text or "Bob &amp; &apos;Co&apos; Jr" in r.text
    assert get(env, "/files-main/annotate/tip/src").status_code == 404


def test_file_history_pages_and_json(env):
    expected = env["work"].git("log", "--format=%H", "master", "--", "src/main.py").split()
    r = get(env, "/files-main/history/tip/src/main.py")
    assert r.status_code == 200
    rows = Elements(r.text).with_attr("data-changeset", "tr")
    assert [a["data-changeset"] for a in rows] == expected
    r1 = get(env, "/files-main/history/tip/src/main.py?size=2")
    r2 = get(env, "/files-main/history/tip/src/main.py?size=2&page=2")
    p1 = Elements(r1.text)
    p2 = Elements(r2.text)
    assert [a["data-changeset"] for a in p1.with_attr("data-changeset", "tr")] == expected[:2]
    assert [a["data-changeset"] for a in p2.with_attr("data-changeset", "tr")] == expected[2:]
    assert [a["data-page-link"] for a in p1.with_attr("data-page-link")] == ["next"]
    assert [a["data-page-link"] for a in p2.with_attr("data-page-link")] == ["prev"]
    r = get(env, "/files-main/history/tip/src/main.py", headers={"X-Partial-XHR": "1"})
    assert r.headers["Content-Type"].startswith("application/json")
    data = r.json()
    assert data["more"] is False
    assert [g["text"] for g in data["results"]] == ["Changesets", "Branches", "Tags"]
    assert [c["id"] for c in data["results"][0]["children"]] == expected
    assert {"id": env["ids"]["merge"], "text": "master"} in data["results"][1]["children"]
    assert data["results"][2]["children"][0]["text"] == "v1.0"
    # A directory's history works too.
    r = get(env, "/files-main/history/tip/a")
    assert [a["data-changeset"] for a in Elements(r.text).with_attr("data-changeset", "tr")] == \
        [env["ids"]["second"]]


# --- archives and refs ---------------------------------------------------------------------

@pytest.mark.parametrize("ext,ctype", [(".zip", "application/zip"),
                                       (".tar.gz", "application/x-gzip"),
                                       (".tar.bz2", "application/x-bzip2"),
                                       (".tar", "application/x-tar")])
def test_archives(env, ext, ctype):
    ids = env["ids"]
    short = ids["merge"][:12]
    r = get(env, f"/files-main/archive/master{ext}")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == ctype
    assert r.headers["Content-Disposition"] == f'attachment; filename="files-main-{short}{ext}"'
    assert "Content-Length" not in r.headers  # streamed as git produces it
    prefix = f"files-main-{short}/"
    if ext == ".zip":
        archive = zipfile.ZipFile(io.BytesIO(r.content))
        names = archive.namelist()
        readme = archive.read(prefix + "README.md")
        big = archive.read(prefix + "bin/big.bin")
    else:
        archive = tarfile.open(fileobj=io.BytesIO(r.content))
        names = archive.getnames()
        readme = archive.extractfile(prefix + "README.md").read()
        big = archive.extractfile(prefix + "bin/big.bin").read()
    assert all(n.startswith(prefix) or n in (prefix[:-1], "pax_global_header") for n in names)
    assert readme == b"# Readme\n"
    assert big == (env["work"].path / "bin/big.bin").read_bytes()
    assert prefix + SCRIPT_NAME in names and prefix + UNICODE_NAME in names
    action = f"user_downloaded_archive:files-main-{short}{ext}"
    db = env["srv"].db()
    try:
        assert db.execute("SELECT count(*) FROM user_logs WHERE action=?", (action,)).fetchone()[0] >= 1
    finally:
        db.close()


def test_archive_by_id_nested_repo_and_errors(env):
    ids = env["ids"]
    r = get(env, f"/files-main/archive/{ids['root']}.zip")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert f"files-main-{ids['root'][:12]}/src/main.py" in names
    assert get(env, "/files-main/archive/master.rar").status_code == 404
    assert get(env, "/files-main/archive/.zip").status_code == 404
    assert get(env, "/files-main/archive/nosuchrev.zip").status_code == 404
    r = get(env, "/group/files-nodl/archive/master.zip")
    assert r.status_code == 403
    assert "Downloads disabled" in r.text
    head = requests.head(env["url"] + "/files-main/archive/master.tar.gz", timeout=30)
    assert head.status_code == 200


def test_archive_of_a_repository_in_a_group(env):
    short = env["nested_id"][:12]
    r = get(env, "/group/files-nested/archive/tip.tar.gz")
    assert r.status_code == 200
    # Kallithea: file name from the full name ('/' -> '_'), directory from the last part.
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="group_files-nested-{short}.tar.gz"'
    names = tarfile.open(fileobj=io.BytesIO(r.content)).getnames()
    assert f"files-nested-{short}/x.txt" in names


def test_refs_data(env):
    ids = env["ids"]
    r = get(env, "/files-main/refs-data")
    assert r.status_code == 200
    data = r.json()
    assert data["more"] is False
    groups = {g["text"]: g["children"] for g in data["results"]}
    assert list(groups) == ["Branch", "Tag"]
    assert {"id": ids["feature"], "text": "feature", "type": "branch"} in groups["Branch"]
    assert {"id": ids["merge"], "text": "master", "type": "branch"} in groups["Branch"]
    assert {"id": ids["feature"], "text": "topic/slash", "type": "branch"} in groups["Branch"]
    assert groups["Tag"] == [{"id": ids["binary"], "text": "v1.0", "type": "tag"}]
    r = get(env, "/files-empty/refs-data")
    assert r.json() == {"more": False, "results": []}


# --- empty repository and 404s -------------------------------------------------------------

def test_empty_repository(env):
    for path in ["/files-empty/files/tip/", "/files-empty/files/tip", "/files-empty/files/master/"]:
        r = get(env, path)
        assert r.status_code == 200, path
        assert Elements(r.text).with_attr("data-empty-repository")
    for path in ["/files-empty/files/tip/x.txt", "/files-empty/raw/tip/x.txt",
                 "/files-empty/rawfile/tip/x", "/files-empty/annotate/tip/x",
                 "/files-empty/history/tip/x", "/files-empty/archive/tip.zip"]:
        assert get(env, path).status_code == 404, path


@pytest.mark.parametrize("path", [
    "/files-main/files/nosuchrev/",
    "/files-main/files/tip/no/such/path",
    "/files-main/files/0000000000000000000000000000000000000000/",
    "/files-main/raw/tip/src",
    "/files-main/raw/tip/sub",
    "/files-main/raw/nosuchrev/README.md",
    "/files-main/rawfile/tip/nope",
    "/files-main/annotate/tip/nope.py",
    "/files-main/history/tip/nope.py",
    "/files-main/history/nosuchrev/README.md",
])
def test_not_found(env, path):
    r = get(env, path)
    assert r.status_code == 404
    # The site's own page, rendered to the end, not an aborted or bare answer.
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>Not Found \u00b7 files-main \u00b7 Kallithea</title>" in r.text
    assert r.text.rstrip().endswith("</html>")


def test_missing_repository_sends_anonymous_visitors_to_log_in(env):
    # As for a private repository: strangers cannot tell the two apart (issue 9, item 9).
    r = get(env, "/no-such-repo/files/tip/")
    assert r.status_code == 302
    assert "/_admin/login?came_from=" in r.headers["Location"]


def test_not_found_messages(env):
    r = get(env, "/files-main/files/nosuchrev/")
    assert "Such revision does not exist for this repository" in r.text
    r = get(env, "/files-main/files/tip/no/such/path")
    assert "There is no file nor directory at the given path" in r.text


@pytest.fixture(autouse=True)
def server_log_stays_clean(env):
    """After every test of this module (whatever the order): what the server has logged so far
    has no sanitizer report and no exception caught by the dispatcher."""
    yield
    log = env["srv"].log()
    assert "AddressSanitizer" not in log and "runtime error" not in log
    assert " failed: " not in log
