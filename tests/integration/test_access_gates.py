"""Anonymous access off and the IP whitelist, enforced on web pages, login and git."""
import subprocess
import time

import pytest
import requests

from conftest import (ADMIN_PASSWORD, Server, git_env, login, make_instance, make_repo,
                      make_user, post_form)
from sql_fixtures import add_user_ip


def clone(srv, repo, tmp_path, user=None, password=None):
    auth = f"{user}:{password}@" if user else ""
    target = tmp_path / f"clone-{time.monotonic_ns()}"
    return subprocess.run(["git", "clone", "-q", f"http://{auth}127.0.0.1:{srv.port}/{repo}",
                           str(target)], env=git_env(tmp_path), capture_output=True, text=True,
                          timeout=120)


def info_refs(srv, repo, auth=None):
    return requests.get(f"{srv.url}/{repo}/info/refs?service=git-upload-pack", auth=auth,
                        timeout=30)


def test_anonymous_access_off(private_server, tmp_path):
    srv = private_server
    make_repo(srv, "pub")
    for path in ["/", "/pub", "/pub/summary", "/pub/files/tip/", "/_admin/repos",
                 "/no-such-page"]:
        r = requests.get(srv.url + path, allow_redirects=False, timeout=30)
        assert r.status_code == 302, path
        assert "/_admin/login" in r.headers["Location"], path
    login_page = requests.get(srv.url + "/_admin/login", timeout=30)
    assert login_page.status_code == 200
    assert 'name="password"' in login_page.text
    assert requests.get(srv.url + "/_static/style.css", timeout=30).status_code == 200
    # git: anonymous gets the Basic challenge; credentials work.
    assert info_refs(srv, "pub").status_code == 401
    proc = clone(srv, "pub", tmp_path)
    assert proc.returncode != 0
    assert clone(srv, "pub", tmp_path, "admin", ADMIN_PASSWORD).returncode == 0
    # Logged in, pages work.
    s = login(srv.url, "admin", ADMIN_PASSWORD)
    assert s.get(srv.url + "/pub/summary", timeout=30).status_code == 200


def add_ip(srv, username, network):
    add_user_ip(srv, username, network)


def restart(srv):
    srv.stop()
    return srv.start()


def test_global_ip_whitelist_refuses_other_addresses(server, tmp_path):
    make_repo(server, "pub")
    make_user(server, "bob")
    add_ip(server, "default", "10.9.8.0/24")
    srv = restart(server)  # the `default` user's entries are cached for a few seconds
    assert requests.get(srv.url + "/", timeout=30).status_code == 403
    assert requests.get(srv.url + "/pub/summary", timeout=30).status_code == 403
    # Login: the form is refused, and so is the POST.
    assert requests.get(srv.url + "/_admin/login", timeout=30).status_code == 403
    r = requests.post(srv.url + "/_admin/login",
                      data={"username": "bob", "password": "secret-pass-1"},
                      allow_redirects=False, timeout=30)
    assert r.status_code == 403
    assert "Set-Cookie" not in r.headers
    # git, anonymous or with credentials.
    assert info_refs(srv, "pub").status_code == 403
    assert info_refs(srv, "pub", ("bob", "secret-pass-1")).status_code == 403
    assert clone(srv, "pub", tmp_path, "admin", ADMIN_PASSWORD).returncode != 0
    # Adding the client's network opens it again.
    add_ip(srv, "default", "127.0.0.0/8")
    srv = restart(srv)
    assert requests.get(srv.url + "/", timeout=30).status_code == 200
    assert clone(srv, "pub", tmp_path, "admin", ADMIN_PASSWORD).returncode == 0


def test_user_ip_whitelist_applies_to_that_user_only(server, tmp_path):
    make_repo(server, "pub")
    make_user(server, "bob")
    make_user(server, "carol")
    add_ip(server, "bob", "10.9.8.7")
    # bob cannot log in from 127.0.0.1; carol can.
    r = post_form(requests.Session(), server.url + "/_admin/login",
                  {"username": "bob", "password": "secret-pass-1"})
    assert r.status_code == 403
    assert "IP address" in r.text
    assert "Set-Cookie" not in r.headers
    carol = login(server.url, "carol", "secret-pass-1")
    assert carol.get(server.url + "/pub/summary", timeout=30).status_code == 200
    # git with bob's credentials is refused even for a public pull... anonymous reads it, so
    # push is the credentialed operation to check.
    assert info_refs(server, "pub", ("bob", "secret-pass-1")).status_code == 200  # as `default`
    push = requests.get(f"{server.url}/pub/info/refs?service=git-receive-pack",
                        auth=("bob", "secret-pass-1"), timeout=30)
    assert push.status_code == 403
    # A session that already exists stops working once the address is no longer allowed.
    make_user(server, "dave")
    dave = login(server.url, "dave", "secret-pass-1")
    assert dave.get(server.url + "/_admin/repos", timeout=30).status_code == 200
    add_ip(server, "dave", "10.9.8.7")
    r = dave.get(server.url + "/_admin/repos", allow_redirects=False, timeout=30)
    assert r.status_code == 403
    # ... and only for dave: carol's session goes on working.
    assert carol.get(server.url + "/_admin/repos", timeout=30).status_code == 200
