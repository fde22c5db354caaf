"""What strangers see: route matching stays fast on adversarial paths, and whether a private
repository or group exists is never told by the answer (method, login redirect or 404)."""
from urllib.parse import parse_qs, urlsplit

import concurrent.futures

import pytest
import requests

from conftest import Server, csrf_token, grant, login, make_instance, make_repo, make_user

PASSWORD = "secret-pass-1"
# Generous: today's code needs 5 s (release) and minutes (ASan) for these; the fix, milliseconds.
DEADLINE = 5


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("strangers")
    ini, port = make_instance(tmp)
    server = Server(tmp, ini, port).start()
    make_repo(server, "pub")
    make_repo(server, "secret", private=True)
    make_repo(server, "team/secret", private=True)
    make_repo(server, "hidden/inner", private=True)
    make_user(server, "bob", PASSWORD)    # no access to anything private
    make_user(server, "carol", PASSWORD)  # may read secret
    grant(server, "repo", "secret", "user", "carol", "repository.read")
    grant(server, "repo_group", "hidden", "user", "default", "group.none")
    yield server
    server.stop()


def get(session, srv, path, **kw):
    return session.get(srv.url + path, allow_redirects=False, timeout=DEADLINE, **kw)


def post(session, srv, path, token=None):
    data = {"_session_csrf_secret_token": token} if token else {}
    return session.post(srv.url + path, data=data, allow_redirects=False, timeout=DEADLINE)


def answer(response):
    """The status, or ("login", came_from) for a redirect to the login page."""
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/_admin/login" in location:
        return ("login", parse_qs(urlsplit(location).query).get("came_from", [None])[0])
    return response.status_code


def token_of(session, srv):
    return csrf_token(session.get(srv.url + "/", timeout=DEADLINE).text)


# Private (existing) and missing paths that must look alike, GET and POST.
PRIVATE_GET = ["/secret", "/secret/summary", "/secret/files/tip/", "/secret/changelog",
               "/secret/settings", "/team/secret/summary", "/hidden", "/hidden/inner"]
MISSING_GET = ["/no/such/repo", "/no/such/repo/files/tip/", "/nosuch/summary", "/nosuch/settings",
               "/team/nosuch/summary", "/nosuchgroup"]
PRIVATE_POST = ["/secret/settings", "/_admin/repos/secret/delete", "/secret/settings/permissions"]
MISSING_POST = ["/nosuch/settings", "/_admin/repos/nosuch/delete", "/no/such/settings/permissions"]


def test_anonymous_visitors_are_sent_to_log_in_for_private_and_missing(srv):
    anon = requests.Session()
    for path in PRIVATE_GET + MISSING_GET:
        assert answer(get(anon, srv, path)) == ("login", path), path
    r = get(anon, srv, "/secret/files/tip/", params={"a": "1"})
    assert answer(r) == ("login", "/secret/files/tip/?a=1")
    for path in PRIVATE_POST + MISSING_POST:
        assert answer(post(anon, srv, path)) == ("login", path), path
    # HEAD is GET without the body.
    for path in ["/secret/summary", "/nosuch/summary"]:
        assert answer(anon.head(srv.url + path, allow_redirects=False, timeout=DEADLINE)) == \
            ("login", path)


def test_users_without_access_get_404_for_private_and_missing(srv):
    bob = login(srv.url, "bob", PASSWORD)
    token = token_of(bob, srv)
    assert token
    for path in PRIVATE_GET + MISSING_GET:
        assert get(bob, srv, path).status_code == 404, path
    for path in PRIVATE_POST + MISSING_POST:
        # With or without the form's token: permission is judged first.
        assert post(bob, srv, path, token).status_code == 404, path
        assert post(bob, srv, path).status_code == 404, path


def test_method_is_checked_before_existence(srv):
    """A GET-only page answers 405 to POST whether its repository exists, is private or is
    missing (it used to be 405 for existing and 404 for missing names)."""
    anon = requests.Session()
    bob = login(srv.url, "bob", PASSWORD)
    token = token_of(bob, srv)
    for path in ["/pub/summary", "/secret/summary", "/nosuch/summary", "/secret/files/tip/",
                 "/no/such/repo/files/tip/", "/secret", "/nosuch"]:
        assert post(anon, srv, path).status_code == 405, path
        assert post(bob, srv, path, token).status_code == 405, path
    for method in ("PUT", "DELETE"):
        for path in ["/secret/settings", "/nosuch/settings"]:
            assert anon.request(method, srv.url + path, allow_redirects=False,
                                timeout=DEADLINE).status_code == 405, (method, path)


def test_users_with_access_and_public_pages_are_unchanged(srv):
    carol = login(srv.url, "carol", PASSWORD)
    assert get(carol, srv, "/secret/summary").status_code == 200
    assert get(carol, srv, "/secret").status_code == 200
    assert get(carol, srv, "/secret/settings").status_code == 403  # read only
    assert get(carol, srv, "/nosuch/summary").status_code == 404
    anon = requests.Session()
    assert get(anon, srv, "/pub/summary").status_code == 200
    assert get(anon, srv, "/pub").status_code == 200
    assert get(anon, srv, "/team").status_code == 200
    # A public repository's settings want a login, as before.
    assert answer(get(anon, srv, "/pub/settings")) == ("login", "/pub/settings")
    # Not repository or group pages: plain 404.
    for path in ["/_admin/no-such-page", "/_static/no-such.css", "/_admin/nope/x/summary"]:
        assert get(anon, srv, path).status_code == 404, path
    # Git clients keep their challenge, private or missing.
    for repo in ["secret", "nosuch", "no/such/repo"]:
        r = requests.get(f"{srv.url}/{repo}/info/refs?service=git-upload-pack",
                         timeout=DEADLINE)
        assert r.status_code == 401, repo


def repeated(head, piece, times):
    return head + piece * times


# (path, what an anonymous visitor gets): over the segment cap a plain 404; under it, a name that
# may be a repository sends strangers to log in (as a private one does), an existing public
# repository's missing file is a 404.
@pytest.mark.parametrize("path,anonymous", [
    (repeated("/x", "/files/x", 2000), 404),          # the 16 KB path
    (repeated("/x", "/raw/x", 6000), 404),            # the 58 s path
    (repeated("/x", "/files/x", 255), 302),           # under the segment cap
    (repeated("/x", "/raw/" + "y" * 100, 250), 302),  # long segments, under the cap: 26 KB
    (repeated("/pub", "/files/x", 255), 404),         # an existing repository in front
    (repeated("/secret", "/raw/x", 255), 302),
])
def test_adversarial_paths_answer_quickly(srv, path, anonymous):
    anon = requests.Session()
    r = anon.get(srv.url + path, allow_redirects=False, timeout=DEADLINE)
    assert r.status_code == anonymous
    bob = login(srv.url, "bob", PASSWORD)
    assert bob.get(srv.url + path, allow_redirects=False, timeout=DEADLINE).status_code == 404
    # Eight at once do not stall a normal page.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(requests.get, srv.url + path, allow_redirects=False,
                               timeout=DEADLINE) for _ in range(8)]
        assert get(anon, srv, "/pub/summary").status_code == 200
        for f in futures:
            assert f.result().status_code == anonymous
