"""Login, logout, sessions and CSRF through the real server."""
import re
import sqlite3
import subprocess

import requests

from conftest import ADMIN_PASSWORD, csrf_token, login, post_form
from sql_fixtures import make_user_with_hash

GENERIC_ERROR = "Invalid username or password"


def python_bcrypt(password):
    """A hash made by Python's bcrypt, as Kallithea stores them."""
    out = subprocess.run(["/usr/bin/python3", "-c",
                          "import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), "
                          "bcrypt.gensalt(10)).decode())", password],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_login_page_renders(server):
    r = requests.get(server.url + "/_admin/login")
    assert r.status_code == 200
    assert 'name="username"' in r.text and 'name="password"' in r.text
    assert 'name="remember"' in r.text


def test_login_with_right_password_creates_a_session(server):
    s = requests.Session()
    r = post_form(s, server.url + "/_admin/login", {"username": "admin",
                  "password": ADMIN_PASSWORD})
    assert r.status_code == 302
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("kallithea=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = s.get(server.url + "/")
    assert 'data-username="admin"' in home.text
    db = server.db()
    assert db.execute("SELECT count(*) FROM web_sessions").fetchone()[0] == 1
    assert db.execute("SELECT last_login FROM users WHERE username='admin'").fetchone()[0]


def test_login_by_email(server):
    s = login(server.url, "admin@example.com", ADMIN_PASSWORD)
    assert 'data-username="admin"' in s.get(server.url + "/").text


def test_every_failure_gives_the_same_generic_error(server):
    make_user_with_hash(server, "sleepy", python_bcrypt("sleepy-pass"), active=False)
    cases = [("admin", "wrong-password"), ("nobody-here", "whatever1"),
             ("sleepy", "sleepy-pass")]
    bodies = []
    for username, password in cases:
        r = post_form(requests.Session(), server.url + "/_admin/login",
                      {"username": username, "password": password})
        assert r.status_code == 200
        assert "Set-Cookie" not in r.headers
        assert GENERIC_ERROR in r.text
        bodies.append(re.sub(r'name="_session_csrf_secret_token" value="[0-9a-f]+"', "T",
                             r.text.replace(f'value="{username}"', 'value="X"')))
    assert bodies[0] == bodies[1] == bodies[2]


def test_python_bcrypt_hash_verifies(server):
    make_user_with_hash(server, "pyuser", python_bcrypt("py-secret"))
    s = login(server.url, "pyuser", "py-secret")
    assert 'data-username="pyuser"' in s.get(server.url + "/").text


def test_post_without_csrf_token_is_refused(server):
    s = login(server.url, "admin", ADMIN_PASSWORD)
    r = s.post(server.url + "/_admin/logout", data={}, allow_redirects=False)
    assert r.status_code == 403
    r = s.post(server.url + "/_admin/logout", data={"_session_csrf_secret_token": "nope"},
               allow_redirects=False)
    assert r.status_code == 403
    # still logged in
    assert 'data-username="admin"' in s.get(server.url + "/").text


def test_logout_invalidates_the_session_server_side(server):
    s = login(server.url, "admin", ADMIN_PASSWORD)
    page = s.get(server.url + "/").text
    token = csrf_token(page)
    assert token
    old_cookie = s.cookies.get("kallithea")
    r = s.post(server.url + "/_admin/logout", data={"_session_csrf_secret_token": token},
               allow_redirects=False)
    assert r.status_code == 302
    # replaying the old cookie does not bring the session back
    replay = requests.get(server.url + "/", cookies={"kallithea": old_cookie})
    assert 'data-username="admin"' not in replay.text
    db = server.db()
    assert db.execute("SELECT count(*) FROM web_sessions").fetchone()[0] == 0


def test_came_from_is_limited_to_server_paths(server):
    for target, expected in [("/_admin/login", "/_admin/login"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")]:
        r = post_form(requests.Session(),
                      server.url + "/_admin/login?came_from=" + requests.utils.quote(target),
                      {"username": "admin", "password": ADMIN_PASSWORD})
        assert r.status_code == 302
        assert r.headers["Location"] == expected, target


def test_remember_me_sets_a_long_lived_cookie(server):
    r = post_form(requests.Session(), server.url + "/_admin/login", {"username": "admin",
                  "password": ADMIN_PASSWORD, "remember": "True"})
    assert "Max-Age=31536000" in r.headers["Set-Cookie"]
    r = post_form(requests.Session(), server.url + "/_admin/login", {"username": "admin",
                  "password": ADMIN_PASSWORD})
    assert "Max-Age" not in r.headers["Set-Cookie"]


def test_anonymous_access_off_redirects_to_login(private_server):
    r = requests.get(private_server.url + "/", allow_redirects=False)
    assert r.status_code == 302
    assert "/_admin/login?came_from=" in r.headers["Location"]
    assert requests.get(private_server.url + "/_admin/login").status_code == 200
    s = login(private_server.url, "admin", ADMIN_PASSWORD)
    assert s.get(private_server.url + "/", allow_redirects=False).status_code == 200


def test_static_assets_have_cache_headers(server):
    page = requests.get(server.url + "/_admin/login").text
    import re
    href = re.search(r'href="(/_static/style\.css\?v=[0-9a-f]+)"', page).group(1)
    r = requests.get(server.url + href)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")
    assert "immutable" in r.headers["Cache-Control"]
    etag = r.headers["ETag"]
    assert requests.get(server.url + "/_static/style.css",
                        headers={"If-None-Match": etag}).status_code == 304
    assert requests.get(server.url + "/_static/nope.css").status_code == 404
