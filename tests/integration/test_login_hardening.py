"""Login hardening (issue 9, items 6 and 7): NUL in passwords, logout by POST only, CSRF tokens on
anonymous forms, no email probing through registration, CSP and nosniff, login throttling."""
import re
import subprocess

import pytest
import requests
from requests.adapters import HTTPAdapter

from conftest import (ADMIN_PASSWORD, Server, csrf_token, form_token, git, git_env, login,
                      make_instance, make_repo, make_user, post_form, wait_until)
from sql_fixtures import set_default_permission

TOKEN = "_session_csrf_secret_token"


def logged_in_as(session, srv, username):
    return f'data-username="{username}"' in session.get(srv.url + "/", timeout=30).text


class SourceAddress(HTTPAdapter):
    """Connects from another loopback address (all of 127/8 is local on Linux)."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address):
    s = requests.Session()
    s.mount("http://", SourceAddress(address))
    return s


def allow_registration(srv, mode):
    set_default_permission(srv, mode)
    return srv.db()


# ---- NUL in passwords

def test_password_with_nul_does_not_log_in(server):
    make_user(server, "bob", password="bobpw12345")
    s = requests.Session()
    token = form_token(s, server.url + "/_admin/login")
    # urlencoded by hand: %00 inside the password
    body = f"username=bob&password=bobpw12345%00junk&{TOKEN}={token}"
    r = s.post(server.url + "/_admin/login", data=body, allow_redirects=False,
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and "Invalid username or password" in r.text
    assert not logged_in_as(s, server, "bob")
    # git Basic auth likewise
    make_repo(server, "secret", private=True)
    url = server.url + "/secret/info/refs?service=git-upload-pack"
    assert requests.get(url, auth=("bob", "bobpw12345\0junk"), timeout=30).status_code == 401
    assert requests.get(url, auth=("admin", ADMIN_PASSWORD + "\0x"), timeout=30).status_code == 401
    assert requests.get(url, auth=("admin", ADMIN_PASSWORD), timeout=30).status_code == 200


def test_forms_refuse_new_passwords_with_nul(server):
    uid = make_user(server, "carol", password="carol-pass-1")
    s = login(server.url, "carol", "carol-pass-1")
    r = post_form(s, server.url + "/_admin/my_account/password",
                  {"current_password": "carol-pass-1", "new_password": "\0abcdefgh",
                   "new_password_confirmation": "\0abcdefgh"})
    assert r.status_code == 200 and 'data-error="new_password"' in r.text, r.text[:3000]
    assert "NUL" in r.text
    # the old password still works, the empty one does not
    assert logged_in_as(login(server.url, "carol", "carol-pass-1"), server, "carol")
    # an administrator setting one
    admin = login(server.url, "admin", ADMIN_PASSWORD)
    edit = admin.get(f"{server.url}/_admin/users/{uid}/edit", timeout=30).text
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', edit))
    data = {k: fields[k] for k in ("username", "firstname", "lastname", "email") if k in fields}
    data.update(active="True", new_password="\0abcdefgh", password_confirmation="\0abcdefgh")
    r = post_form(admin, f"{server.url}/_admin/users/{uid}", data,
                  form_url=f"{server.url}/_admin/users/{uid}/edit")
    assert r.status_code == 200 and 'data-error="new_password"' in r.text, r.text[:3000]
    assert logged_in_as(login(server.url, "carol", "carol-pass-1"), server, "carol")


def test_registration_refuses_password_with_nul(server):
    db = allow_registration(server, "hg.register.auto_activate")
    r = post_form(requests.Session(), server.url + "/_admin/register",
                  {"username": "nully", "email": "nully@example.com", "password": "\0abcdefgh",
                   "password_confirmation": "\0abcdefgh"})
    assert r.status_code == 200 and 'data-error="password"' in r.text
    assert db.execute("SELECT count(*) FROM users WHERE username='nully'").fetchone()[0] == 0


# ---- logout

def test_get_logout_does_not_end_the_session(server):
    s = login(server.url, "admin", ADMIN_PASSWORD)
    r = s.get(server.url + "/_admin/logout", allow_redirects=False, timeout=30)
    assert r.status_code == 200
    assert 'id="logout-form"' in r.text and 'method="post"' in r.text
    token = csrf_token(r.text)
    assert token
    assert logged_in_as(s, server, "admin")
    r = s.post(server.url + "/_admin/logout", data={TOKEN: token}, allow_redirects=False)
    assert r.status_code == 302
    assert not logged_in_as(s, server, "admin")
    # anonymous GET: nothing to confirm
    r = requests.get(server.url + "/_admin/logout", allow_redirects=False, timeout=30)
    assert r.status_code == 302


# ---- CSRF on anonymous forms

def test_login_form_needs_its_token(server):
    s = requests.Session()
    page = s.get(server.url + "/_admin/login", timeout=30)
    cookie = next(c for c in page.headers.get("Set-Cookie", "").split(", ")
                  if c.startswith("kallithea_csrf="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    token = csrf_token(page.text)
    assert token
    creds = {"username": "admin", "password": ADMIN_PASSWORD}
    # no token, a wrong token, the right token without its cookie: refused, no session
    for session, data in [(s, creds), (s, dict(creds, **{TOKEN: "0" * 32})),
                          (requests.Session(), dict(creds, **{TOKEN: token}))]:
        r = session.post(server.url + "/_admin/login", data=data, allow_redirects=False,
                         timeout=30)
        assert r.status_code == 403
        assert "kallithea=" not in r.headers.get("Set-Cookie", "")
    r = s.post(server.url + "/_admin/login", data=dict(creds, **{TOKEN: token}),
               allow_redirects=False, timeout=30)
    assert r.status_code == 302 and "kallithea=" in r.headers["Set-Cookie"]
    # the session has a fresh token, not the pre-login one
    session_token = csrf_token(s.get(server.url + "/", timeout=30).text)
    assert session_token and session_token != token


def test_registration_and_reset_forms_need_their_token(server):
    db = allow_registration(server, "hg.register.auto_activate")
    # (the confirmation form shows only for a valid link: test_registration.py posts its token)
    for path in ["/_admin/register", "/_admin/password_reset"]:
        page = requests.get(server.url + path, timeout=30)
        assert csrf_token(page.text), path
    r = requests.post(server.url + "/_admin/register",
                      data={"username": "forged", "email": "forged@example.com",
                            "password": "forged-pass-1", "password_confirmation": "forged-pass-1"},
                      allow_redirects=False, timeout=30)
    assert r.status_code == 403
    assert db.execute("SELECT count(*) FROM users WHERE username='forged'").fetchone()[0] == 0
    r = requests.post(server.url + "/_admin/password_reset", data={"email": "admin@example.com"},
                      allow_redirects=False, timeout=30)
    assert r.status_code == 403
    r = requests.post(server.url + "/_admin/password_reset_confirmation",
                      data={"email": "admin@example.com", "timestamp": "1", "token": "0" * 40,
                            "password": "x-pass-123", "password_confirm": "x-pass-123"},
                      allow_redirects=False, timeout=30)
    assert r.status_code == 403


# ---- registration does not tell which emails exist

def test_registration_with_a_taken_email_looks_like_success(server):
    db = allow_registration(server, "hg.register.manual_activate")
    make_user(server, "owner", email="taken@example.com")

    def register(username, email):
        s = requests.Session()
        r = post_form(s, server.url + "/_admin/register",
                      {"username": username, "email": email, "password": "some-pass-1",
                       "password_confirmation": "some-pass-1", "firstname": "A",
                       "lastname": "B"})
        page = s.get(server.url + r.headers.get("Location", "/_admin/login"), timeout=30)
        return r, re.sub(r'value="[0-9a-f]{32}"', "", page.text)

    fresh, fresh_page = register("fresh", "fresh@example.com")
    taken, taken_page = register("sneaky", "TAKEN@example.com")
    assert fresh.status_code == taken.status_code == 303
    assert fresh.headers["Location"] == taken.headers["Location"]
    assert fresh_page == taken_page
    assert db.execute("SELECT count(*) FROM users WHERE username='sneaky'").fetchone()[0] == 0
    # the owner of the address is told
    wait_until(lambda: "Registration attempt with your email address" in server.log(),
               what="mail to the owner")
    # user names stay public
    r = post_form(requests.Session(), server.url + "/_admin/register",
                  {"username": "owner", "email": "other@example.com", "password": "some-pass-1",
                   "password_confirmation": "some-pass-1"})
    assert r.status_code == 200 and 'data-error="username"' in r.text


# ---- CSP and nosniff

def commit_into(server, tmp_path, repo_dir):
    env = git_env(tmp_path / "home")
    (tmp_path / "home").mkdir(exist_ok=True)
    work = tmp_path / "work"
    git(env, "init", "-q", work)
    (work / "hello.py").write_text("print('hello')\n")
    (work / "README.md").write_text("# Hello\n")
    git(env, "add", ".", cwd=work)
    git(env, "commit", "-q", "-m", "first", cwd=work)
    git(env, "push", "-q", str(repo_dir), "master", cwd=work)


def test_html_pages_have_a_csp_and_no_inline_scripts(server, tmp_path):
    commit_into(server, tmp_path, make_repo(server, "csp"))
    admin = login(server.url, "admin", ADMIN_PASSWORD)
    uid = make_user(server, "dave")
    pages = ["/", "/_admin/login", "/csp", "/csp/changelog", "/csp/files/tip/hello.py",
             "/csp/changeset/tip", "/_admin/repos", f"/_admin/users/{uid}/edit",
             f"/_admin/users/{uid}/edit/advanced", "/_admin/user_groups", "/no-such-page"]
    for path in pages:
        r = admin.get(server.url + path, timeout=30)
        assert r.headers["Content-Type"].startswith("text/html"), path
        csp = r.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "default-src 'self'" in csp, path
        assert r.headers.get("X-Content-Type-Options") == "nosniff", path
        for tag in re.findall(r"<script[^>]*>", r.text):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", r.text), path
        assert "javascript:" not in r.text, path
    # the confirmations moved to a static script
    js = requests.get(server.url + "/_static/confirm.js", timeout=30)
    assert js.status_code == 200 and "data-confirm" in js.text


def test_json_feeds_and_text_have_nosniff(server, tmp_path):
    commit_into(server, tmp_path, make_repo(server, "sniff"))
    for path in ["/sniff/feed/rss", "/sniff/feed/atom", "/sniff/refs-data",
                 "/sniff/raw/tip/hello.py", "/sniff/raw-changeset/tip"]:
        r = requests.get(server.url + path, timeout=30)
        assert r.status_code == 200, path
        assert r.headers.get("X-Content-Type-Options") == "nosniff", path


# ---- login throttling

THROTTLE = ["login_throttle.pair_attempts=3", "login_throttle.address_attempts=8",
            "login_throttle.delay=5", "login_throttle.max_delay=10"]


@pytest.fixture
def throttled(tmp_path):
    ini, port = make_instance(tmp_path, extra_config=THROTTLE)
    srv = Server(tmp_path, ini, port).start()
    yield srv
    srv.stop()


def form_login(session, srv, username, password):
    return post_form(session, srv.url + "/_admin/login",
                     {"username": username, "password": password})


def test_login_form_throttles_after_failures(throttled):
    srv = throttled
    make_user(srv, "erin", password="erin-pass-1")
    s = requests.Session()
    for _ in range(3):
        r = form_login(s, srv, "erin", "wrong-pass")
        assert r.status_code == 200 and "Invalid username or password" in r.text
    # refused now, even with the right password
    r = form_login(s, srv, "erin", "erin-pass-1")
    assert r.status_code == 429
    assert re.search(r"Too many failed logins; try again in \d+ seconds?", r.text)
    assert int(r.headers["Retry-After"]) >= 1
    assert "kallithea=" not in r.headers.get("Set-Cookie", "")
    # another address is not locked out
    other = session_from("127.0.0.2")
    r = form_login(other, srv, "erin", "erin-pass-1")
    assert r.status_code == 302 and "kallithea=" in r.headers["Set-Cookie"]
    # once the delay is over the right password works again
    wait_until(lambda: form_login(s, srv, "erin", "erin-pass-1").status_code == 302,
               timeout=30, interval=0.5, what="delay to pass")
    # the success cleared the pair: three more failures are free again
    for _ in range(2):
        assert form_login(s, srv, "erin", "wrong-pass").status_code == 200
    assert form_login(s, srv, "erin", "erin-pass-1").status_code == 302


def test_one_address_trying_many_accounts_is_capped(throttled):
    srv = throttled
    make_user(srv, "frank", password="frank-pass-1")
    s = requests.Session()
    for i in range(8):
        assert form_login(s, srv, f"ghost{i}", "wrong-pass").status_code == 200
    assert form_login(s, srv, "frank", "frank-pass-1").status_code == 429
    assert form_login(session_from("127.0.0.3"), srv, "frank",
                      "frank-pass-1").status_code == 302


def test_basic_auth_is_throttled_with_429(throttled, tmp_path):
    srv = throttled
    make_repo(srv, "locked", private=True)
    make_user(srv, "gina", password="gina-pass-1")
    url = srv.url + "/locked/info/refs?service=git-upload-pack"
    for _ in range(3):
        assert requests.get(url, auth=("admin", "wrong-pass"), timeout=30).status_code == 401
    r = requests.get(url, auth=("admin", ADMIN_PASSWORD), timeout=30)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "Too many failed logins" in r.text
    # git shows the reason
    env = git_env(tmp_path)
    proc = git(env, "clone", f"http://admin:{ADMIN_PASSWORD}@127.0.0.1:{srv.port}/locked",
               tmp_path / "clone", check=False, timeout=60)
    assert proc.returncode != 0 and "Too many failed logins" in proc.stderr, proc.stderr
    # other addresses and other accounts are not locked out
    assert session_from("127.0.0.2").get(url, auth=("admin", ADMIN_PASSWORD),
                                         timeout=30).status_code == 200
    # the web login of the same account from the same address shares the pair
    assert form_login(requests.Session(), srv, "admin", ADMIN_PASSWORD).status_code == 429
    wait_until(lambda: requests.get(url, auth=("admin", ADMIN_PASSWORD),
                                    timeout=30).status_code == 200,
               timeout=30, interval=0.5, what="delay to pass")
