"""Repository history pages (summary, changelog, changeset, compare, feeds) against repositories
built with the real git CLI and pushed straight into bare repositories made by make_repo()."""
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from conftest import ADMIN_PASSWORD, Server, login, make_instance, make_repo

SCRIPT_NAME = "<script>x.txt"
UNICODE_DIR = "dir with space/fïlé ü.txt"


class Work:
    """A git work tree with a fixed identity and clock."""

    def __init__(self, path, home):
        self.path = Path(path)
        self.tick = 1_700_000_000
        self.env = {"PATH": os.environ["PATH"], "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
                    "GIT_AUTHOR_NAME": "Ann Author", "GIT_AUTHOR_EMAIL": "ann@example.com",
                    "GIT_COMMITTER_NAME": "Ann Author", "GIT_COMMITTER_EMAIL": "ann@example.com",
                    "LANG": "C.UTF-8"}

    def git(self, *args, input=None, text=True):
        proc = subprocess.run(["git", *args], cwd=self.path, env=self.env, input=input,
                              capture_output=True, text=text, check=False)
        assert proc.returncode == 0, f"git {args}: {proc.stderr}"
        return proc.stdout

    def write(self, name, data):
        p = self.path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data, encoding="utf-8")

    def commit(self, message, *extra):
        self.tick += 3600
        date = f"@{self.tick} +0100"
        self.env["GIT_AUTHOR_DATE"] = self.env["GIT_COMMITTER_DATE"] = date
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, *extra)
        return self.git("rev-parse", "HEAD").strip()


README = """# Hello Title

Some *text* with a table:

| a | b |
|---|---|
| 1 | 2 |

<div class="raw-html-probe">raw</div>

<script>alert("readme")</script>
"""


def build_history_repo(srv, tmp):
    """normal repo: root, files with odd names, a rename, a feature branch, a 10 MB binary, a
    300 KB text file, a merge commit and a tag. Returns (bare path, work tree, ids)."""
    bare = make_repo(srv, "hist", description="History <b>test</b> repo")
    w = Work(tmp / "work", tmp)
    w.path.mkdir()
    w.git("init", "-q", "-b", "master")
    ids = {}
    w.write("README.md", README)
    w.write("a.txt", "".join(f"line {i}\n" for i in range(1, 21)))
    ids["root"] = w.commit("Root commit")
    w.write("a.txt", "".join(f"line {i}\n" if i != 5 else "line five\n" for i in range(1, 21)))
    w.write(UNICODE_DIR, "unicode\n")
    w.write(SCRIPT_NAME, "script\n")
    ids["odd"] = w.commit("Add <script>alert('x')</script> files ü\n\nBody line.")
    w.git("mv", "a.txt", "b.txt")
    ids["rename"] = w.commit("Rename a to b")
    w.git("checkout", "-q", "-b", "feature")
    w.write("feature.txt", "feature\n")
    ids["feature"] = w.commit("Feature work")
    w.git("checkout", "-q", "master")
    w.write("big.bin", os.urandom(10 * 1024 * 1024))
    ids["binary"] = w.commit("Add a 10 MB binary")
    w.write("big.txt", "".join(f"{i:08d} some text to make the line longer\n" for i in range(8000)))
    ids["bigtext"] = w.commit("Add a big text file")
    w.env["GIT_AUTHOR_DATE"] = w.env["GIT_COMMITTER_DATE"] = f"@{w.tick + 3600} +0100"
    w.tick += 3600
    w.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
    ids["merge"] = w.git("rev-parse", "HEAD").strip()
    w.git("tag", "v1.0")
    w.git("push", "-q", str(bare), "master", "feature", "--tags")
    return bare, w, ids


def build_small_repos(srv, tmp):
    """grp/plain: a repo in a group whose README is plain text under docs/. long: 5100 linear
    changesets (git fast-import), more than the changeset page walks to find children."""
    bare = make_repo(srv, "grp/plain")
    w = Work(tmp / "plain", tmp)
    w.path.mkdir()
    w.git("init", "-q", "-b", "main")
    w.write("docs/README.txt", "Plain <b>readme</b> & text\n")
    w.commit("Only commit")
    w.git("push", "-q", str(bare), "main")
    subprocess.run(["git", "-C", str(bare), "symbolic-ref", "HEAD", "refs/heads/main"], check=True)

    long_bare = make_repo(srv, "long")
    stream = []
    for i in range(1, 5101):
        msg = f"change {i}\n"
        stream.append(f"commit refs/heads/master\nmark :{i}\n"
                      f"committer A <a@example.com> {1_600_000_000 + i * 60} +0000\n"
                      f"data {len(msg)}\n{msg}")
        if i > 1:
            stream.append(f"from :{i - 1}\n")
        stream.append(f"M 100644 inline f.txt\ndata {len(msg)}\n{msg}\n")
    subprocess.run(["git", "-C", str(long_bare), "fast-import", "--quiet"],
                   input="".join(stream), text=True, check=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("history")
    ini, port = make_instance(tmp)
    srv = Server(tmp, ini, port).start()
    try:
        bare, work, ids = build_history_repo(srv, tmp)
        make_repo(srv, "empty")
        build_small_repos(srv, tmp)
        yield srv, work, ids
    finally:
        srv.stop()


def get(srv, path, **kw):
    return requests.get(srv.url + path, timeout=60, **kw)


def changeset_ids(html):
    return re.findall(r'<tr data-changeset="([0-9a-f]{40})"', html)


def all_ids(work):
    return work.git("rev-list", "--all", "--date-order").split()


# --- summary -------------------------------------------------------------------------------

def test_summary_of_a_normal_repo(env):
    srv, work, ids = env
    for path in ("/hist", "/hist/summary"):
        r = get(srv, path)
        assert r.status_code == 200
        html = r.text
        assert f'data-changeset="{ids["merge"]}"' in html
        assert 'data-branch-count="2"' in html and 'data-tag-count="1"' in html
        assert "History &lt;b&gt;test&lt;/b&gt; repo" in html
        assert f'data-clone-url="{srv.url}/hist"' in html
        repo_id = srv.db().execute("SELECT repo_id FROM repositories WHERE repo_name='hist'")
        assert f'data-clone-url-id="{srv.url}/_{repo_id.fetchone()[0]}"' in html
        assert 'data-readme="README.md"' in html
        assert "<h1>Hello Title</h1>" in html and "<table>" in html
        assert "raw-html-probe" not in html and "<script>alert" not in html
        assert f'href="/hist/archive/tip.zip"' in html
        assert 'href="/hist/feed/rss"' in html


def test_summary_clone_url_names_the_logged_in_user(env):
    srv, _, _ = env
    s = login(srv.url, "admin", ADMIN_PASSWORD)
    html = s.get(srv.url + "/hist").text
    assert f'data-clone-url="http://admin@127.0.0.1:{srv.port}/hist"' in html


def test_summary_of_an_empty_repo(env):
    srv, _, _ = env
    r = get(srv, "/empty")
    assert r.status_code == 200
    assert "data-empty-repo" in r.text
    assert f"git remote add origin {srv.url}/empty" in r.text
    assert "git push -u origin master" in r.text


def test_summary_plain_readme_in_docs_and_group_urls(env):
    srv, _, _ = env
    r = get(srv, "/grp/plain")
    assert r.status_code == 200
    assert 'data-readme="docs/README.txt"' in r.text
    assert '<pre class="plain">Plain &lt;b&gt;readme&lt;/b&gt; &amp; text' in r.text
    assert re.search(r'href="/grp/plain/changeset/[0-9a-f]{40}"', r.text)
    assert f'data-clone-url="{srv.url}/grp/plain"' in r.text


# --- changelog -----------------------------------------------------------------------------

def test_changelog_lists_all_branches_with_a_graph(env):
    srv, work, ids = env
    r = get(srv, "/hist/changelog")
    assert r.status_code == 200
    assert changeset_ids(r.text) == all_ids(work)
    assert r.text.count('<svg class="graph"') == len(all_ids(work))
    assert f'<tr data-changeset="{ids["merge"]}" data-merge="1">' in r.text
    assert 'data-branch="feature"' in r.text and 'data-tag="v1.0"' in r.text
    assert "&lt;script&gt;alert" in r.text and "<script>alert" not in r.text


def test_changelog_paging(env):
    srv, work, _ = env
    expected = all_ids(work)
    seen = []
    url = "/hist/changelog?size=2"
    pages = 0
    while url:
        r = get(srv, url)
        assert r.status_code == 200
        rows = changeset_ids(r.text)
        assert 1 <= len(rows) <= 2
        seen += rows
        pages += 1
        m = re.search(r'<a href="([^"]+)" rel="next"', r.text)
        url = m.group(1).replace("&amp;", "&") if m else None
    assert seen == expected
    assert pages == (len(expected) + 1) // 2
    last = get(srv, f"/hist/changelog?size=2&page={pages}")
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text


def test_changelog_branch_filter_and_unknown_branch(env):
    srv, work, _ = env
    r = get(srv, "/hist/changelog?branch=feature")
    assert r.status_code == 200
    assert changeset_ids(r.text) == work.git("rev-list", "--date-order", "feature").split()
    assert get(srv, "/hist/changelog?branch=no-such-branch").status_code == 404


def test_changelog_of_an_empty_repo(env):
    srv, _, _ = env
    r = get(srv, "/empty/changelog")
    assert r.status_code == 200 and "data-empty-repo" in r.text


def test_file_history(env):
    srv, work, ids = env
    r = get(srv, "/hist/changelog/tip/b.txt")
    assert r.status_code == 200
    assert changeset_ids(r.text) == work.git("log", "--all", "--format=%H", "--", "b.txt").split()
    r = get(srv, "/hist/changelog/" + ids["odd"] + "/" + requests.utils.quote(SCRIPT_NAME))
    assert r.status_code == 200 and changeset_ids(r.text) == [ids["odd"]]
    assert "&lt;script&gt;x.txt" in r.text and "<script>x.txt" not in r.text
    assert get(srv, "/hist/changelog/tip/no/such/file").status_code == 404


def test_changelog_details_lists_affected_files(env):
    srv, _, ids = env
    r = get(srv, f"/hist/changelog_details/{ids['odd']}")
    assert r.status_code == 200
    assert f'data-changeset="{ids["odd"]}"' in r.text
    assert 'data-path="&lt;script&gt;x.txt" data-change="added"' in r.text
    assert f'data-path="{UNICODE_DIR}"' in r.text
    assert 'data-path="a.txt" data-change="modified"' in r.text
    assert get(srv, "/hist/changelog_details/" + "0" * 40).status_code == 404


# --- changeset -----------------------------------------------------------------------------

def test_every_changeset_page_renders(env):
    srv, work, _ = env
    for cs in all_ids(work):
        r = get(srv, f"/hist/changeset/{cs}")
        assert r.status_code == 200, cs
        assert f'data-changeset="{cs}"' in r.text


def test_root_merge_rename_binary_and_escaping(env):
    srv, _, ids = env
    root = get(srv, f"/hist/changeset/{ids['root']}").text
    assert "data-root=\"1\"" in root and 'data-path="README.md" data-change="added"' in root
    merge = get(srv, f"/hist/changeset/{ids['merge']}").text
    assert 'data-merge="1"' in merge
    assert merge.count('data-parent="') == 2
    rename = get(srv, f"/hist/changeset/{ids['rename']}").text
    assert 'data-path="b.txt" data-change="renamed"' in rename
    binary = get(srv, f"/hist/changeset/{ids['binary']}").text
    assert re.search(r'data-path="big.bin" data-change="added" data-binary="1"', binary)
    odd = get(srv, f"/hist/changeset/{ids['odd']}").text
    assert "&lt;script&gt;x.txt" in odd and "<script>x.txt" not in odd
    assert "<script>alert" not in odd
    assert 'class="dl-add"' in odd and 'class="dl-del"' in odd
    # the parent page links its children
    assert f'data-child="{ids["odd"]}"' in root


def test_children_search_is_bounded_on_long_histories(env):
    srv, _, _ = env
    first = get(srv, "/long/changelog?size=1&page=5100")
    root = changeset_ids(first.text)[0]
    page = get(srv, f"/long/changeset/{root}")
    assert page.status_code == 200
    assert "data-all-children" in page.text and "data-child=" not in page.text
    full = get(srv, f"/long/changeset/{root}?children=all")
    assert len(re.findall(r'data-child="([0-9a-f]{40})"', full.text)) == 1
    assert len(get(srv, f"/long/changeset_children/{root}").json()["results"]) == 1


def test_unknown_revision_is_404(env):
    srv, _, _ = env
    for path in ("/hist/changeset/" + "1" * 40, "/hist/changeset/no-such-rev",
                 "/hist/changeset-diff/nope", "/hist/changeset-patch/nope",
                 "/hist/changeset-download/nope", "/empty/changeset/tip",
                 "/hist/changeset_children/nope", "/hist/changeset_parents/nope"):
        assert get(srv, path).status_code == 404, path


def test_cut_off_and_full_diff(env):
    srv, _, ids = env
    r = get(srv, f"/hist/changeset/{ids['bigtext']}")
    assert r.status_code == 200
    assert "data-cut-off" in r.text and 'data-too-large="1"' in r.text
    full = get(srv, f"/hist/changeset/{ids['bigtext']}?fulldiff=1")
    assert full.status_code == 200
    assert "data-cut-off" not in full.text
    assert full.text.count('class="dl-add"') == 8000


def test_diff_options(env):
    srv, _, ids = env
    normal = get(srv, f"/hist/changeset/{ids['odd']}").text
    assert 'class="dl-ctx"' in normal
    no_context = get(srv, f"/hist/changeset/{ids['odd']}?context=0").text
    assert 'class="dl-ctx"' not in no_context and 'class="dl-add"' in no_context
    assert get(srv, f"/hist/changeset/{ids['odd']}?ignorews=1").status_code == 200


def test_changeset_range(env):
    srv, work, ids = env
    r = get(srv, f"/hist/changeset/{ids['root']}...{ids['rename']}")
    assert r.status_code == 200
    shown = re.findall(r'<article class="box changeset" data-changeset="([0-9a-f]{40})"', r.text)
    assert shown == [ids["root"], ids["odd"], ids["rename"]]
    # not an ancestor: an empty range
    assert get(srv, f"/hist/changeset/{ids['feature']}...{ids['binary']}").status_code == 404


def diff_sections(text):
    """{path: [+/- lines]} of a unified git diff, binary sections left out."""
    out = {}
    for section in re.split(r"^diff --git ", text, flags=re.M)[1:]:
        if "GIT binary patch" in section or "\nBinary files " in section:
            continue
        header = section.split("\n", 1)[0]
        lines = [l for l in section.split("\n")
                 if l[:1] in "+-" and not l.startswith(("+++", "---"))]
        out[header] = lines
    return out


def test_raw_diff_matches_git(env):
    srv, work, ids = env
    for name, cs in ids.items():
        r = get(srv, f"/hist/changeset-diff/{cs}")
        assert r.status_code == 200, name
        assert r.headers["Content-Type"].startswith("text/plain")
        if name == "root":
            expected = work.git("diff-tree", "-p", "--root", "-M", "--full-index", cs)
        else:
            expected = work.git("diff", "-M", "--full-index", f"{cs}^", cs)
        assert diff_sections(r.text) == diff_sections(expected), name
    legacy = get(srv, f"/hist/raw-changeset/{ids['odd']}")
    assert legacy.status_code == 200
    assert legacy.text == get(srv, f"/hist/changeset-diff/{ids['odd']}").text


def test_patch_applies_with_git_am(env, tmp_path):
    srv, work, ids = env
    r = get(srv, f"/hist/changeset-patch/{ids['odd']}")
    assert r.status_code == 200
    assert r.text.startswith(f"From {ids['odd']} Mon Sep 17 00:00:00 2001\n")
    assert "\nFrom: Ann Author <ann@example.com>\n" in r.text
    assert "\nSubject: " in r.text and "PATCH" in r.text
    clone = Work(tmp_path / "clone", tmp_path)
    subprocess.run(["git", "clone", "-q", str(work.path), str(clone.path)], check=True,
                   env=clone.env, capture_output=True)
    clone.git("checkout", "-q", ids["root"])
    clone.git("am", "-q", input=r.text)
    assert clone.git("rev-parse", "HEAD^{tree}") == work.git("rev-parse", ids["odd"] + "^{tree}")
    message = clone.git("log", "-1", "--format=%B").strip()
    assert message == "Add <script>alert('x')</script> files ü\n\nBody line."


def test_download_is_an_attachment(env):
    srv, _, ids = env
    r = get(srv, f"/hist/changeset-download/{ids['odd']}")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == f"attachment; filename={ids['odd'][:12]}.diff"
    assert r.text == get(srv, f"/hist/changeset-diff/{ids['odd']}").text


def test_parents_and_children_json(env):
    srv, work, ids = env
    r = get(srv, f"/hist/changeset_parents/{ids['merge']}")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    results = r.json()["results"]
    assert [c["raw_id"] for c in results] == work.git("log", "-1", "--format=%P",
                                                        ids["merge"]).split()
    for c in results:
        assert set(c) == {"raw_id", "short_id", "revision", "message", "date", "author"}
        assert c["short_id"] == c["raw_id"][:12]
    assert get(srv, f"/hist/changeset_parents/{ids['root']}").json() == {"results": []}
    children = get(srv, f"/hist/changeset_children/{ids['rename']}").json()["results"]
    assert {c["raw_id"] for c in children} == {ids["feature"], ids["binary"]}
    assert children[0]["author"] == "Ann Author <ann@example.com>"


# --- compare -------------------------------------------------------------------------------

def compare_ids(html):
    return re.findall(r'<tr data-changeset="([0-9a-f]{40})"', html)


def test_compare_form_and_redirect(env):
    srv, _, _ = env
    r = get(srv, "/hist/compare")
    assert r.status_code == 200 and "data-compare-form" in r.text
    assert 'value="branch@feature"' in r.text and 'value="tag@v1.0"' in r.text
    r = get(srv, "/hist/compare?org=branch@feature&other=branch@master&merge=1",
            allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/hist/compare/branch@feature...branch@master?merge=1")
    assert get(srv, "/empty/compare").status_code == 200


def test_compare_lists_the_changesets_between(env):
    srv, work, ids = env
    r = get(srv, "/hist/compare/branch@feature...branch@master")
    assert r.status_code == 200
    assert sorted(compare_ids(r.text)) == sorted(work.git("rev-list", "feature..master").split())
    assert f'data-org="{ids["feature"]}"' in r.text
    assert 'data-path="big.bin"' in r.text
    r = get(srv, f"/hist/compare/rev@{ids['root']}...tag@v1.0?merge=1")
    assert r.status_code == 200
    assert sorted(compare_ids(r.text)) == sorted(
        work.git("rev-list", f"{ids['root']}..v1.0").split())
    assert f'data-ancestor="{ids["root"]}"' in r.text
    assert 'data-merge="1"' in r.text


def test_compare_errors(env):
    srv, _, _ = env
    assert get(srv, "/hist/compare/foo@x...branch@master").status_code == 400
    assert get(srv, "/hist/compare/branch@master").status_code == 400
    assert get(srv, "/hist/compare/branch@nope...branch@master").status_code == 404
    assert get(srv, "/hist/compare/tag@master...branch@master").status_code == 404


# --- feeds ---------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_rss_feed(env):
    srv, work, ids = env
    r = get(srv, "/hist/feed/rss")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(r.content).find("channel")
    items = channel.findall("item")
    expected = all_ids(work)[:10]
    assert [i.find("link").text for i in items] == [
        f"{srv.url}/hist/changeset/{cs}" for cs in expected]
    titles = [i.find("title").text for i in items]
    assert "Add <script>alert('x')</script> files ü" in titles
    assert channel.find("link").text == f"{srv.url}/hist"


def test_atom_feed(env):
    srv, work, _ = env
    r = get(srv, "/hist/feed/atom")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(r.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(10, len(all_ids(work)))
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").startswith(f"{srv.url}/hist/changeset/")
    assert first.find(f"{ATOM}author/{ATOM}email").text == "ann@example.com"
    assert "committed on" in first.find(f"{ATOM}summary").text


def test_feeds_of_an_empty_repo(env):
    srv, _, _ = env
    rss = ET.fromstring(get(srv, "/empty/feed/rss").content)
    assert rss.find("channel").findall("item") == []
    atom = ET.fromstring(get(srv, "/empty/feed/atom").content)
    assert atom.findall(f"{ATOM}entry") == []
