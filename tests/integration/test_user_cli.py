"""user-create, user-set-password, user-list and repo-create options of the CLI."""
import requests

from conftest import ADMIN_PASSWORD, Server, make_instance, make_user, run_cli, try_login


def logged_in(srv, username, password):
    s, _ = try_login(srv.url, username, password)
    return f'data-username="{username}"' in s.get(srv.url + "/").text


def one_line_error(proc):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1, proc.stderr
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_user_create_then_login(tmp_path):
    ini, port = make_instance(tmp_path)
    proc = run_cli("user-create", "-c", ini, "--username", "alice", "--password", "alice-pass-1",
                   "--email", "alice@example.com", "--firstname", "Alice", "--lastname", "A")
    assert "alice" in proc.stdout
    srv = Server(tmp_path, ini, port).start()
    try:
        db = srv.db()
        row = db.execute("SELECT active, admin, firstname, lastname, email, extern_type FROM users "
                         "WHERE username='alice'").fetchone()
        assert row == (1, 0, "Alice", "A", "alice@example.com", "internal")
        assert logged_in(srv, "alice", "alice-pass-1")
        assert not logged_in(srv, "alice", "wrong-pass-1")
    finally:
        srv.stop()


def test_user_create_admin_flag(tmp_path):
    ini, _ = make_instance(tmp_path)
    run_cli("user-create", "-c", ini, "--username", "boss", "--password", "boss-pass-1",
            "--email", "boss@example.com", "--admin")
    import sqlite3
    db = sqlite3.connect(tmp_path / "kallithea.db")
    assert db.execute("SELECT admin FROM users WHERE username='boss'").fetchone()[0] == 1


def test_user_create_errors(tmp_path):
    ini, _ = make_instance(tmp_path)
    base = ["user-create", "-c", ini]
    dup = run_cli(*base, "--username", "admin", "--password", "secret-pass",
                  "--email", "other@example.com", check=False)
    assert "already exists" in one_line_error(dup)
    bad_email = run_cli(*base, "--username", "bob", "--password", "secret-pass",
                        "--email", "not-an-email", check=False)
    assert "email" in one_line_error(bad_email)
    short = run_cli(*base, "--username", "bob", "--password", "abc",
                    "--email", "bob@example.com", check=False)
    assert "6 characters" in one_line_error(short)
    reserved = run_cli(*base, "--username", "default", "--password", "secret-pass",
                       "--email", "bob@example.com", check=False)
    one_line_error(reserved)
    dup_email = run_cli(*base, "--username", "bob", "--password", "secret-pass",
                        "--email", "admin@example.com", check=False)
    assert "already exists" in one_line_error(dup_email)
    usage = run_cli(*base, "--username", "bob", check=False)
    assert usage.returncode == 2
    import sqlite3
    db = sqlite3.connect(tmp_path / "kallithea.db")
    assert db.execute("SELECT count(*) FROM users WHERE username='bob'").fetchone()[0] == 0


def test_user_set_password(tmp_path):
    ini, port = make_instance(tmp_path)
    run_cli("user-create", "-c", ini, "--username", "carol", "--password", "old-pass-1",
            "--email", "carol@example.com")
    run_cli("user-set-password", "-c", ini, "--username", "carol", "--password", "new-pass-1")
    unknown = run_cli("user-set-password", "-c", ini, "--username", "nobody",
                      "--password", "new-pass-1", check=False)
    assert "nobody" in one_line_error(unknown)
    short = run_cli("user-set-password", "-c", ini, "--username", "carol", "--password", "x",
                    check=False)
    one_line_error(short)
    srv = Server(tmp_path, ini, port).start()
    try:
        assert not logged_in(srv, "carol", "old-pass-1")
        assert logged_in(srv, "carol", "new-pass-1")
    finally:
        srv.stop()


def test_user_list(tmp_path):
    ini, _ = make_instance(tmp_path)
    run_cli("user-create", "-c", ini, "--username", "dave", "--password", "dave-pass-1",
            "--email", "dave@example.com")
    out = run_cli("user-list", "-c", ini).stdout
    lines = out.splitlines()
    assert "username" in lines[0] and "email" in lines[0] and "last login" in lines[0]
    dave = next(line for line in lines if " dave " in line)
    assert "dave@example.com" in dave and "yes" in dave and "never" in dave
    assert any("default *" in line for line in lines)
    assert any(" admin " in line and "admin@example.com" in line for line in lines)


def test_repo_create_private_with_owner(tmp_path):
    ini, port = make_instance(tmp_path)
    run_cli("user-create", "-c", ini, "--username", "erin", "--password", "erin-pass-1",
            "--email", "erin@example.com")
    run_cli("repo-create", "-c", ini, "--name", "team/secret", "--type", "git", "--private",
            "--owner", "erin")
    import sqlite3
    db = sqlite3.connect(tmp_path / "kallithea.db")
    row = db.execute("SELECT r.private, u.username, r.repo_type FROM repositories r JOIN users u "
                     "ON u.user_id = r.user_id WHERE repo_name='team/secret'").fetchone()
    assert row == (1, "erin", "git")
    assert (tmp_path / "repos" / "team" / "secret").is_dir()
    unknown = run_cli("repo-create", "-c", ini, "--name", "other", "--owner", "ghost",
                      check=False)
    one_line_error(unknown)
    assert db.execute("SELECT count(*) FROM repositories WHERE repo_name='other'").fetchone()[0] == 0
    hg = run_cli("repo-create", "-c", ini, "--name", "merc", "--type", "hg", check=False)
    assert "Mercurial" in one_line_error(hg)
    bad_type = run_cli("repo-create", "-c", ini, "--name", "x", "--type", "svn", check=False)
    assert bad_type.returncode == 2
