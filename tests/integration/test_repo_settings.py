"""A repository's settings tab: rename, move into a group, private toggle, owner, bad input;
the advanced tab's "fork of"."""
import re
from pathlib import Path

import requests

from conftest import (ADMIN_PASSWORD, csrf_token, grant, login, make_repo, make_user,
                      make_user_group)


def repo_root(srv):
    return Path(srv.db().execute(
        "SELECT ui_value FROM ui WHERE ui_section='paths' AND ui_key='/'").fetchone()[0])


def admin(srv):
    return login(srv.url, "admin", ADMIN_PASSWORD)


def settings_form(session, srv, repo):
    page = session.get(f"{srv.url}/{repo}/settings")
    assert page.status_code == 200, page.text
    return {"_session_csrf_secret_token": csrf_token(page.text), "repo_name": repo.split("/")[-1],
            "repo_group": "-1", "repo_description": "desc", "repo_landing_rev": "rev:tip",
            "owner": "admin", "repo_enable_downloads": "True"}


def post_settings(session, srv, repo, **fields):
    data = settings_form(session, srv, repo)
    data.update(fields)
    return session.post(f"{srv.url}/{repo}/settings", data=data, allow_redirects=False)


def row(srv, repo):
    db = srv.db()
    r = db.execute("SELECT repo_id, private, user_id, description, group_id, fork_id, "
                   "landing_revision FROM repositories WHERE repo_name=?", (repo,)).fetchone()
    db.close()
    return r


def default_perm(srv, repo):
    return srv.db().execute(
        "SELECT p.permission_name FROM repo_to_perm r JOIN permissions p USING (permission_id) "
        "JOIN repositories x ON x.repo_id = r.repository_id WHERE x.repo_name=? AND r.user_id = "
        "(SELECT user_id FROM users WHERE username='default')", (repo,)).fetchone()[0]


def test_settings_page_shows_tabs_and_values(server):
    make_repo(server, "proj", description="hello")
    s = admin(server)
    r = s.get(server.url + "/proj/settings")
    assert r.status_code == 200
    for tab in ("settings", "permissions", "advanced"):
        assert f'data-subtab="{tab}"' in r.text
    assert 'name="repo_name" value="proj"' in r.text
    assert "hello" in r.text
    assert 'data-error=' not in r.text
    assert s.get(server.url + "/proj/settings/advanced").status_code == 200
    anon = requests.get(server.url + "/proj/settings", allow_redirects=False)
    assert anon.status_code == 302


def test_rename(server):
    make_repo(server, "proj")
    s = admin(server)
    r = post_settings(s, server, "proj", repo_name="renamed", repo_description="new words")
    assert r.status_code == 303, r.text
    assert r.headers["Location"].endswith("/renamed/settings")
    assert s.get(server.url + "/proj").status_code == 404
    assert s.get(server.url + "/renamed").status_code == 200
    root = repo_root(server)
    assert not (root / "proj").exists()
    assert (root / "renamed" / "HEAD").exists()
    assert row(server, "renamed")[3] == "new words"
    assert row(server, "proj") is None


def test_update_through_admin_url(server):
    make_repo(server, "proj")
    s = admin(server)
    data = settings_form(s, server, "proj")
    data["repo_description"] = "via admin url"
    r = s.post(server.url + "/_admin/repos/proj", data=data, allow_redirects=False)
    assert r.status_code == 303
    assert row(server, "proj")[3] == "via admin url"


def test_move_into_group_and_back(server):
    make_repo(server, "proj")
    make_repo(server, "grp/other")
    gid = server.db().execute("SELECT group_id FROM groups WHERE group_name='grp'").fetchone()[0]
    s = admin(server)
    r = post_settings(s, server, "proj", repo_group=str(gid))
    assert r.status_code == 303, r.text
    assert row(server, "grp/proj")[4] == gid
    assert (repo_root(server) / "grp" / "proj" / "HEAD").exists()
    assert s.get(server.url + "/grp/proj").status_code == 200
    r = post_settings(s, server, "grp/proj", repo_group="-1")
    assert r.status_code == 303
    assert row(server, "proj")[4] is None
    assert (repo_root(server) / "proj" / "HEAD").exists()


def test_move_to_unknown_group_and_bad_names(server):
    make_repo(server, "proj")
    make_repo(server, "taken")
    s = admin(server)
    r = post_settings(s, server, "proj", repo_group="9999")
    assert r.status_code == 200 and 'data-error="repo_group"' in r.text
    for bad in ("bad name", "_x", "a?b", ""):
        r = post_settings(s, server, "proj", repo_name=bad)
        assert r.status_code == 200, bad
        assert 'data-error="repo_name"' in r.text, bad
    r = post_settings(s, server, "proj", repo_name="taken")
    assert r.status_code == 200 and 'data-error="repo_name"' in r.text
    assert row(server, "proj") is not None
    assert (repo_root(server) / "proj").exists()


def test_private_toggle(server):
    make_repo(server, "proj")
    assert requests.get(server.url + "/proj").status_code == 200
    s = admin(server)
    r = post_settings(s, server, "proj", repo_private="True")
    assert r.status_code == 303
    assert row(server, "proj")[1] == 1
    assert default_perm(server, "proj") == "repository.none"
    hidden = requests.get(server.url + "/proj", allow_redirects=False)
    assert hidden.status_code == 302 and "/_admin/login" in hidden.headers["Location"]
    r = post_settings(s, server, "proj")  # unchecked box: public again
    assert r.status_code == 303
    assert default_perm(server, "proj") == "repository.read"
    assert requests.get(server.url + "/proj").status_code == 200


def test_owner_change(server):
    make_repo(server, "proj")
    ivy = make_user(server, "ivy")
    s = admin(server)
    r = post_settings(s, server, "proj", owner="nobody-here")
    assert r.status_code == 200
    assert 'data-error="owner"' in r.text and "nobody-here" in r.text
    assert row(server, "proj")[2] != ivy
    r = post_settings(s, server, "proj", owner="ivy")
    assert r.status_code == 303
    assert row(server, "proj")[2] == ivy
    # The owner administers it.
    ivy_s = login(server.url, "ivy", "secret-pass-1")
    assert ivy_s.get(server.url + "/proj/settings").status_code == 200


def test_bad_landing_rev(server):
    make_repo(server, "proj")
    s = admin(server)
    r = post_settings(s, server, "proj", repo_landing_rev="nonsense")
    assert r.status_code == 200 and 'data-error="repo_landing_rev"' in r.text


def test_non_admin_move_needs_group_write(server):
    make_user(server, "jo")
    make_repo(server, "proj", owner="jo")
    make_repo(server, "grp/x")
    gid = server.db().execute("SELECT group_id FROM groups WHERE group_name='grp'").fetchone()[0]
    jo = login(server.url, "jo", "secret-pass-1")
    data = settings_form(jo, server, "proj")
    data["owner"] = "jo"
    data["repo_group"] = str(gid)
    r = jo.post(server.url + "/proj/settings", data=data, allow_redirects=False)
    assert r.status_code == 200 and 'data-error="repo_group"' in r.text
    grant(server, "repo_group", "grp", "user", "jo", "group.write")
    data = settings_form(jo, server, "proj")
    data["owner"] = "jo"
    data["repo_group"] = str(gid)
    r = jo.post(server.url + "/proj/settings", data=data, allow_redirects=False)
    assert r.status_code == 303, r.text
    assert row(server, "grp/proj") is not None


def test_fork_of(server):
    make_repo(server, "upstream")
    make_repo(server, "proj")
    s = admin(server)
    page = s.get(server.url + "/proj/settings/advanced")
    assert page.status_code == 200 and "upstream" in page.text
    token = csrf_token(page.text)
    r = s.post(server.url + "/proj/settings/advanced/fork",
               data={"_session_csrf_secret_token": token, "id_fork_of": "upstream"},
               allow_redirects=False)
    assert r.status_code == 303
    assert row(server, "proj")[5] == row(server, "upstream")[0]
    r = s.post(server.url + "/proj/settings/advanced/fork",
               data={"_session_csrf_secret_token": token, "id_fork_of": "proj"},
               allow_redirects=False)
    assert r.status_code == 200 and 'data-error="form"' in r.text
    r = s.post(server.url + "/proj/settings/advanced/fork",
               data={"_session_csrf_secret_token": token, "id_fork_of": "-1"},
               allow_redirects=False)
    assert r.status_code == 303
    assert row(server, "proj")[5] is None


def test_fork_choices_are_the_readable_repositories(server):
    """The other repositories the user may read (public ones, own, by group grant), by name."""
    make_user(server, "ann")
    make_user_group(server, "readers", members=("ann",))
    make_repo(server, "proj", owner="ann")
    make_repo(server, "upstream")
    make_repo(server, "Zeta")
    make_repo(server, "g/inner")
    make_repo(server, "secret", private=True)
    make_repo(server, "shared", private=True)
    make_repo(server, "mine", private=True, owner="ann")
    grant(server, "repo", "shared", "group", "readers", "repository.read")
    ann = login(server.url, "ann", "secret-pass-1")
    page = ann.get(server.url + "/proj/settings/advanced")
    assert page.status_code == 200
    names = [n for n in re.findall(r'<option value="([^"]+)"', page.text) if n != "-1"]
    assert names == ["Zeta", "g/inner", "mine", "shared", "upstream"]
    page = admin(server).get(server.url + "/proj/settings/advanced")
    names = [n for n in re.findall(r'<option value="([^"]+)"', page.text) if n != "-1"]
    assert names == ["Zeta", "g/inner", "mine", "secret", "shared", "upstream"]
