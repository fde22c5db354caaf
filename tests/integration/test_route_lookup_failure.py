# A database failure while resolving {repo:path} / {group:path} names answers 503 and logs it.
import requests

from conftest import make_repo, wait_until


def test_name_lookup_failure_is_503_and_logged(server):
    make_repo(server, "alpha")
    assert requests.get(server.url + "/alpha").status_code == 200
    # The name query reads `repositories`; without the table it fails inside the server.
    with server.db() as db:
        db.execute("ALTER TABLE repositories RENAME TO repositories_away")
    try:
        r = requests.get(server.url + "/alpha/files/tip/", allow_redirects=False)
        assert r.status_code == 503
        request_id = r.headers["X-Request-Id"]
        wait_until(lambda: "route names" in server.log(), timeout=10, what="log line")
        line = next(l for l in server.log().splitlines() if "route names" in l)
        assert request_id in line
    finally:
        with server.db() as db:
            db.execute("ALTER TABLE repositories_away RENAME TO repositories")
    assert requests.get(server.url + "/alpha").status_code == 200
