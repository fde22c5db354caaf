"""Permission-correct listings: the start page, group pages and the repository grid
(/_admin/repos) show exactly what each visitor may see (Kallithea's additive model)."""
import re

import requests

from conftest import ADMIN_PASSWORD, grant, login, make_repo, make_user, make_user_group

PW = "secret-pass-1"


def repos_on(html):
    return set(re.findall(r'<tr data-repo="([^"]+)"', html))


def groups_on(html):
    return set(re.findall(r'<tr data-group="([^"]+)"', html))


def group_row(srv, name, permission):
    """The `default` user's row on a repository group (every group has one in Kallithea)."""
    grant(srv, "repo_group", name, "user", "default", permission)


def populate(srv):
    """Repositories, groups, users and grants covering every rule of the model.

    top level: pub (public), nina-none (public, nina has explicit none), secret (private, owner
    owen), hidden (private; active group devs: read, inactive group old: read, erin: read)
    g1 (default group.read): g1/inner (public), g1/priv (private; devs: write, erin: admin)
    g2 (default group.none; devs: group.read): g2/x (public)
    g1/sub (default group.none; erin: group.read): g1/sub/deep (private, erin: read)
    """
    for name in ["alice", "bob", "carol", "owen", "erin", "nina"]:
        make_user(srv, name, PW)
    make_user_group(srv, "devs", members=["bob"])
    make_user_group(srv, "old", members=["carol"], active=False)
    make_repo(srv, "pub")
    make_repo(srv, "nina-none")
    make_repo(srv, "secret", private=True, owner="owen")
    make_repo(srv, "hidden", private=True)
    make_repo(srv, "g1/inner")
    make_repo(srv, "g1/priv", private=True)
    make_repo(srv, "g2/x")
    make_repo(srv, "g1/sub/deep", private=True)
    group_row(srv, "g1", "group.read")
    group_row(srv, "g2", "group.none")
    group_row(srv, "g1/sub", "group.none")
    grant(srv, "repo", "nina-none", "user", "nina", "repository.none")
    grant(srv, "repo", "hidden", "group", "devs", "repository.read")
    grant(srv, "repo", "hidden", "group", "old", "repository.read")
    grant(srv, "repo", "hidden", "user", "erin", "repository.read")
    grant(srv, "repo", "g1/priv", "group", "devs", "repository.write")
    grant(srv, "repo", "g1/priv", "user", "erin", "repository.admin")
    grant(srv, "repo_group", "g2", "group", "devs", "group.read")
    grant(srv, "repo_group", "g2", "group", "old", "group.admin")
    grant(srv, "repo_group", "g1/sub", "user", "erin", "group.read")
    grant(srv, "repo", "g1/sub/deep", "user", "erin", "repository.read")
    # Repository administration: via an active group (bob), not via an inactive one (carol).
    grant(srv, "repo", "g1/inner", "group", "devs", "repository.admin")
    grant(srv, "repo", "g1/inner", "group", "old", "repository.admin")
    grant(srv, "repo", "pub", "user", "carol", "repository.write")


ALL_TOP = {"pub", "nina-none", "secret", "hidden"}

# visitor -> (top-level repos, top-level groups, g1 repos, g1 groups, can open g2, g2 repos)
EXPECTED = {
    None: ({"pub", "nina-none"}, {"g1"}, {"g1/inner"}, set(), False, set()),
    "alice": ({"pub", "nina-none"}, {"g1"}, {"g1/inner"}, set(), False, set()),
    "bob": ({"pub", "nina-none", "hidden"}, {"g1", "g2"}, {"g1/inner", "g1/priv"}, set(), True,
            {"g2/x"}),
    "carol": ({"pub", "nina-none"}, {"g1"}, {"g1/inner"}, set(), False, set()),
    "owen": ({"pub", "nina-none", "secret"}, {"g1"}, {"g1/inner"}, set(), False, set()),
    "erin": ({"pub", "nina-none", "hidden"}, {"g1"}, {"g1/inner", "g1/priv"}, {"g1/sub"}, False,
             set()),
    "nina": ({"pub", "nina-none"}, {"g1"}, {"g1/inner"}, set(), False, set()),
    "admin": (ALL_TOP, {"g1", "g2"}, {"g1/inner", "g1/priv"}, {"g1/sub"}, True, {"g2/x"}),
}

# logged-in user -> repositories on /_admin/repos
ADMINISTERED = {
    "alice": set(),
    "bob": {"g1/inner"},
    "carol": set(),
    "owen": {"secret"},
    "erin": {"g1/priv"},
    "nina": set(),
    "admin": ALL_TOP | {"g1/inner", "g1/priv", "g2/x", "g1/sub/deep"},
}


def session_for(srv, who):
    if who is None:
        return requests.Session()
    return login(srv.url, who, ADMIN_PASSWORD if who == "admin" else PW)


def hidden(srv, session, path, who):
    """True when path looks missing to `who`: 404 for users, the login page for anonymous
    visitors (who get the same redirect for names that do not exist)."""
    r = session.get(srv.url + path, allow_redirects=False, timeout=30)
    if who is None:
        return r.status_code == 302 and "/_admin/login?came_from=" in r.headers["Location"]
    return r.status_code == 404


def test_listings_follow_the_permission_model(server):
    populate(server)
    for who, (top, top_groups, g1, g1_groups, sees_g2, g2) in EXPECTED.items():
        s = session_for(server, who)
        home = s.get(server.url + "/", timeout=30)
        assert home.status_code == 200, who
        assert repos_on(home.text) == top, who
        assert groups_on(home.text) == top_groups, who

        page = s.get(server.url + "/g1", timeout=30)
        assert page.status_code == 200, who
        assert repos_on(page.text) == g1, who
        assert groups_on(page.text) == g1_groups, who

        page = s.get(server.url + "/g2", timeout=30)
        if sees_g2:
            assert page.status_code == 200, who
            assert repos_on(page.text) == g2, who
        else:
            assert hidden(server, s, "/g2", who), who

        # Every listed repository opens; hidden ones are not found.
        for repo in top | g1 | g2:
            assert s.get(f"{server.url}/{repo}/summary", timeout=30).status_code == 200, (who,
                                                                                           repo)
        for repo in (ALL_TOP | {"g1/inner", "g1/priv"}) - (top | g1):
            assert hidden(server, s, f"/{repo}/summary", who), (who, repo)
        # A group's permissions do not reach its repositories: g2/x stays readable by its own
        # `default` row even where g2 itself is not listed.
        assert s.get(f"{server.url}/g2/x/summary", timeout=30).status_code == 200, who


def test_nested_group_pages(server):
    populate(server)
    erin = session_for(server, "erin")
    page = erin.get(server.url + "/g1/sub", timeout=30)
    assert page.status_code == 200
    assert repos_on(page.text) == {"g1/sub/deep"}
    for who in [None, "alice", "bob"]:
        assert hidden(server, session_for(server, who), "/g1/sub", who), who
    admin = session_for(server, "admin")
    assert repos_on(admin.get(server.url + "/g1/sub", timeout=30).text) == {"g1/sub/deep"}


def test_repository_grid_lists_administered_repositories(server):
    populate(server)
    for who, expected in ADMINISTERED.items():
        s = session_for(server, who)
        grid = s.get(server.url + "/_admin/repos", timeout=30)
        assert grid.status_code == 200, who
        assert repos_on(grid.text) == expected, who
    r = requests.get(server.url + "/_admin/repos", allow_redirects=False, timeout=30)
    assert r.status_code == 302
    assert "/_admin/login" in r.headers["Location"]


def test_group_page_offers_creation_with_group_write(server):
    populate(server)
    grant(server, "repo_group", "g1", "user", "alice", "group.write")
    alice = session_for(server, "alice")
    assert 'data-action="create-repository"' in alice.get(server.url + "/g1", timeout=30).text
    nina = session_for(server, "nina")
    assert 'data-action="create-repository"' not in nina.get(server.url + "/g1", timeout=30).text


def test_inactive_user_group_and_later_changes(server):
    populate(server)
    carol = session_for(server, "carol")
    assert "hidden" not in repos_on(carol.get(server.url + "/", timeout=30).text)
    # Activating the group grants its rows.
    db = server.db()
    db.execute("UPDATE users_groups SET users_group_active = 1 WHERE users_group_name = 'old'")
    db.commit()
    home = carol.get(server.url + "/", timeout=30).text
    assert "hidden" in repos_on(home)
    assert "g2" in groups_on(home)
    assert repos_on(carol.get(server.url + "/_admin/repos", timeout=30).text) == {"g1/inner"}
    # Making a repository private hides it from those who only had the default row.
    db.execute("UPDATE repositories SET private = 1 WHERE repo_name = 'pub'")
    db.commit()
    alice = session_for(server, "alice")
    assert repos_on(alice.get(server.url + "/", timeout=30).text) == {"nina-none"}
    # ... but not from an explicit grant (carol has write on pub).
    assert "pub" in repos_on(carol.get(server.url + "/", timeout=30).text)


def test_anonymous_access_off(private_server):
    srv = private_server
    populate(srv)
    r = requests.get(srv.url + "/", allow_redirects=False, timeout=30)
    assert r.status_code == 302
    r = requests.get(srv.url + "/g1", allow_redirects=False, timeout=30)
    assert r.status_code == 302
    # The `default` user's rows stay everyone's baseline for logged-in users.
    alice = session_for(srv, "alice")
    home = alice.get(srv.url + "/", timeout=30)
    assert home.status_code == 200
    assert repos_on(home.text) == {"pub", "nina-none"}
    assert groups_on(home.text) == {"g1"}
