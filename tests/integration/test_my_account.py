"""My account pages (/_admin/my_account...) through the real server."""
import re

import requests

from conftest import csrf_token, grant, login, make_repo, make_user, try_login
from sql_fixtures import add_following, add_user_email


def me(srv, username="olga", password="secret-pass-1"):
    s = login(srv.url, username, password)
    r = s.get(srv.url + "/_admin/my_account")
    assert r.status_code == 200
    return s, csrf_token(r.text)


def test_anonymous_is_sent_to_login(server):
    r = requests.get(server.url + "/_admin/my_account", allow_redirects=False)
    assert r.status_code == 302 and "/_admin/login" in r.headers["Location"]


def test_profile_update(server):
    uid = make_user(server, "olga", firstname="Olga")
    make_user(server, "pete", email="pete@example.com")
    s, token = me(server)
    r = s.get(server.url + "/_admin/my_account")
    assert 'value="Olga"' in r.text and 'data-managed="username"' in r.text
    r = s.post(server.url + "/_admin/my_account",
               data={"_session_csrf_secret_token": token, "firstname": "Olga", "lastname": "K",
                     "email": "Olga.K@Example.com", "username": "hacker"},
               allow_redirects=False)
    assert r.status_code == 303
    row = server.db().execute("SELECT username, lastname, email, active, admin FROM users "
                              "WHERE user_id=?", (uid,)).fetchone()
    assert row == ("olga", "K", "olga.k@example.com", 1, 0)
    for email, message in (("PETE@example.com", "already exists"), ("bad", "not a valid")):
        r = s.post(server.url + "/_admin/my_account",
                   data={"_session_csrf_secret_token": token, "firstname": "Olga",
                         "lastname": "K", "email": email})
        assert r.status_code == 200
        m = re.search(r'data-error="email">([^<]*)<', r.text)
        assert m and message in m.group(1)
    assert server.db().execute("SELECT email FROM users WHERE user_id=?",
                               (uid,)).fetchone()[0] == "olga.k@example.com"


def test_password_change(server):
    make_user(server, "olga")
    other = login(server.url, "olga", "secret-pass-1")
    assert other.get(server.url + "/_admin/my_account").status_code == 200
    s, token = me(server)
    url = server.url + "/_admin/my_account/password"
    r = s.post(url, data={"_session_csrf_secret_token": token, "current_password": "wrong-one",
                          "new_password": "new-secret-9", "new_password_confirmation": "new-secret-9"})
    assert r.status_code == 200 and 'data-error="current_password"' in r.text
    r = s.post(url, data={"_session_csrf_secret_token": token, "current_password": "secret-pass-1",
                          "new_password": "new-secret-9", "new_password_confirmation": "nope-nope"})
    assert r.status_code == 200 and 'data-error="password_confirmation"' in r.text
    r = s.post(url, data={"_session_csrf_secret_token": token, "current_password": "secret-pass-1",
                          "new_password": "short", "new_password_confirmation": "short"})
    assert r.status_code == 200 and 'data-error="new_password"' in r.text
    assert login(server.url, "olga", "secret-pass-1").get(
        server.url + "/_admin/my_account", allow_redirects=False).status_code == 200

    r = s.post(url, data={"_session_csrf_secret_token": token, "current_password": "secret-pass-1",
                          "new_password": "new-secret-9", "new_password_confirmation": "new-secret-9"},
               allow_redirects=False)
    assert r.status_code == 303
    # This session stays, the other one ends; the new password logs in, the old one does not.
    assert s.get(server.url + "/_admin/my_account", allow_redirects=False).status_code == 200
    assert other.get(server.url + "/_admin/my_account", allow_redirects=False).status_code == 302
    assert login(server.url, "olga", "new-secret-9").get(
        server.url + "/_admin/my_account", allow_redirects=False).status_code == 200
    old, r = try_login(server.url, "olga", "secret-pass-1")
    assert r.status_code == 200  # the form again
    assert old.get(server.url + "/_admin/my_account", allow_redirects=False).status_code == 302


def test_emails(server):
    uid = make_user(server, "olga")
    s, token = me(server)
    url = server.url + "/_admin/my_account/emails"
    r = s.post(url, data={"_session_csrf_secret_token": token, "new_email": "o2@example.com"},
               allow_redirects=False)
    assert r.status_code == 303
    assert 'data-email="o2@example.com"' in s.get(url).text
    r = s.post(url, data={"_session_csrf_secret_token": token, "new_email": "admin@example.com"})
    assert r.status_code == 200 and 'data-error="new_email"' in r.text
    email_id = server.db().execute("SELECT email_id FROM user_email_map WHERE user_id=?",
                                   (uid,)).fetchone()[0]
    # An extra address is a login identity.
    assert login(server.url, "o2@example.com", "secret-pass-1").get(
        server.url + "/_admin/my_account", allow_redirects=False).status_code == 200
    r = s.post(url + "/delete", data={"_session_csrf_secret_token": token,
                                      "del_email_id": str(email_id)}, allow_redirects=False)
    assert r.status_code == 303
    assert server.db().execute("SELECT COUNT(*) FROM user_email_map").fetchone()[0] == 0


def test_cannot_delete_someone_elses_email(server):
    make_user(server, "olga")
    pid = make_user(server, "pete")
    email_id = add_user_email(server, pid, "p2@example.com")
    s, token = me(server)
    r = s.post(server.url + "/_admin/my_account/emails/delete",
               data={"_session_csrf_secret_token": token, "del_email_id": str(email_id)})
    assert r.status_code == 200
    assert server.db().execute("SELECT COUNT(*) FROM user_email_map").fetchone()[0] == 1


def test_api_keys(server):
    uid = make_user(server, "olga")
    s, token = me(server)
    url = server.url + "/_admin/my_account/api_keys"
    r = s.post(url, data={"_session_csrf_secret_token": token, "description": "laptop",
                          "lifetime": "-1"}, allow_redirects=False)
    assert r.status_code == 303
    key, expires = server.db().execute("SELECT api_key, expires FROM user_api_keys "
                                       "WHERE user_id=?", (uid,)).fetchone()
    assert expires == -1
    assert f'data-api-key="{key}"' in s.get(url).text
    r = s.post(url + "/delete", data={"_session_csrf_secret_token": token, "del_api_key": key},
               allow_redirects=False)
    assert r.status_code == 303
    assert server.db().execute("SELECT COUNT(*) FROM user_api_keys").fetchone()[0] == 0


def test_repos_watched_and_perms(server):
    uid = make_user(server, "olga")
    make_repo(server, "olgas", owner="olga")
    make_repo(server, "team", private=True)
    make_repo(server, "other")
    grant(server, "repo", "team", "user", "olga", "repository.write")
    add_following(server, uid, "other")
    s, _ = me(server)
    r = s.get(server.url + "/_admin/my_account/repos")
    assert 'data-repo="olgas"' in r.text and 'data-repo="team"' not in r.text
    r = s.get(server.url + "/_admin/my_account/watched")
    # What she follows: `other` and, as repo-create makes every owner do, `olgas`; not `team`,
    # which she may write to but does not follow.
    assert 'data-repo="other"' in r.text and 'data-repo="olgas"' in r.text
    assert 'data-repo="team"' not in r.text
    r = s.get(server.url + "/_admin/my_account/perms")
    assert 'data-repo="olgas" data-level="repository.admin"' in r.text
    assert 'data-repo="team" data-level="repository.write"' in r.text
    assert 'data-repo="other"' not in r.text
    assert 'data-permission="hg.create.repository"' in r.text
