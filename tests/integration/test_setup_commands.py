"""config-create, db-create, db-upgrade and `serve` start-up: the foundation's CLI contract."""
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess

import requests

from conftest import (BIN, REFERENCE, ROOT, Server, free_port, make_instance, run_cli,
                      post_form, wait_until)


def reference_schema():
    """{table: {columns}} from the reference Kallithea 0.7 schema."""
    text = (REFERENCE / "kallithea-schema.sql").read_text()
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", text, re.S):
        cols = set()
        for line in body.splitlines():
            line = line.strip()
            if not line or line.startswith(("CONSTRAINT", "PRIMARY KEY", "UNIQUE", "FOREIGN")):
                continue
            cols.add(line.split()[0])
        tables[name] = cols
    return tables


def test_config_create_writes_a_loadable_ini(tmp_path):
    ini = tmp_path / "my.ini"
    run_cli("config-create", ini, "host=0.0.0.0", "port=5123", "cut_off_limit=1234")
    text = ini.read_text()
    assert re.search(r"^host = 0\.0\.0\.0$", text, re.M)
    assert re.search(r"^port = 5123$", text, re.M)
    assert re.search(r"^cut_off_limit = 1234$", text, re.M)
    assert re.search(r"^app_instance_uuid = [0-9a-f]{32}$", text, re.M)
    assert re.search(r"^session\.secret = [0-9a-f]{32}$", text, re.M)
    assert "sqlalchemy.url = sqlite:///%(here)s/kallithea.db?timeout=60" in text
    # refuses to overwrite
    proc = run_cli("config-create", ini, check=False)
    assert proc.returncode == 1
    assert "already exists" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_db_create_schema_contains_every_reference_table_and_column(tmp_path):
    make_instance(tmp_path)
    db = sqlite3.connect(tmp_path / "kallithea.db")
    ours = {}
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        ours[table] = {row[1] for row in db.execute(f"PRAGMA table_info('{table}')")}
    expected = reference_schema()
    assert len(expected) >= 29
    for table, cols in expected.items():
        assert table in ours, f"missing table {table}"
        assert cols <= ours[table], f"{table}: missing columns {cols - ours[table]}"
    # initial rows
    perms = [r[0] for r in db.execute("SELECT permission_name FROM permissions ORDER BY permission_id")]
    assert len(perms) == 24 and perms[0] == "hg.admin" and perms[-1] == "hg.extern_activate.auto"
    users = dict(db.execute("SELECT username, admin FROM users"))
    assert users == {"default": 0, "admin": 1}
    default_perms = {r[0] for r in db.execute(
        "SELECT p.permission_name FROM user_to_perm u JOIN permissions p USING (permission_id) "
        "JOIN users USING (user_id) WHERE username = 'default'")}
    assert default_perms == {"repository.read", "group.read", "usergroup.read",
                             "hg.create.repository", "hg.fork.repository",
                             "hg.register.manual_activate", "hg.extern_activate.auto"}
    assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "7ba0d2cad930"
    root = db.execute("SELECT ui_value FROM ui WHERE ui_section='paths' AND ui_key='/'").fetchone()
    assert root[0] == str(tmp_path / "repos")


def test_db_create_validates_input(tmp_path):
    ini = tmp_path / "k.ini"
    run_cli("config-create", ini)
    base = ["db-create", "-c", ini, "--user", "admin", "--email", "a@example.com",
            "--repos", tmp_path / "repos"]
    short = run_cli(*base, "--password", "abc", check=False)
    assert short.returncode != 0 and "password" in short.stderr.lower()
    relative = run_cli("db-create", "-c", ini, "--user", "admin", "--password", "secret12",
                       "--email", "a@example.com", "--repos", "relative/path", check=False)
    assert relative.returncode != 0 and "absolute" in relative.stderr
    bad_email = run_cli("db-create", "-c", ini, "--user", "admin", "--password", "secret12",
                        "--email", "not-an-email", "--repos", tmp_path / "r", check=False)
    assert bad_email.returncode != 0 and "email" in bad_email.stderr.lower()
    missing_opt = run_cli("db-create", "-c", ini, check=False)
    assert missing_opt.returncode == 2


def test_db_create_refuses_existing_database_without_force(tmp_path):
    ini, _ = make_instance(tmp_path)
    proc = run_cli("db-create", "-c", ini, "--user", "admin2", "--password", "secret12",
                   "--email", "b@example.com", "--repos", tmp_path / "repos", check=False)
    assert proc.returncode == 1
    assert "already" in proc.stderr
    db = sqlite3.connect(tmp_path / "kallithea.db")
    assert db.execute("SELECT count(*) FROM users WHERE username='admin'").fetchone()[0] == 1


def test_db_upgrade_accepts_a_kallithea_07_database(tmp_path):
    ini = tmp_path / "k.ini"
    run_cli("config-create", ini)
    db = sqlite3.connect(tmp_path / "kallithea.db")
    db.executescript((REFERENCE / "kallithea-schema.sql").read_text())
    db.execute("INSERT INTO alembic_version VALUES ('7ba0d2cad930')")
    db.execute("INSERT INTO users (username, password, active, admin, firstname, lastname, "
               "email, api_key, created_on) VALUES ('olduser', 'x', 1, 0, 'O', 'U', "
               "'old@example.com', 'k', '2020-01-01 00:00:00.000000')")
    db.commit()
    db.close()
    run_cli("db-upgrade", "-c", ini)
    db = sqlite3.connect(tmp_path / "kallithea.db")
    assert db.execute("SELECT firstname FROM users WHERE username='olduser'").fetchone()[0] == "O"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "web_sessions" in tables
    # twice is fine
    run_cli("db-upgrade", "-c", ini)


def test_serve_accepts_the_kallithea_example_ini(tmp_path):
    port = free_port()
    text = (REFERENCE / "kallithea-example.ini").read_text()
    text = re.sub(r"^port = 5000$", f"port = {port}", text, flags=re.M)
    ini = tmp_path / "kallithea.ini"
    ini.write_text(text)
    (tmp_path / "repos").mkdir()
    run_cli("db-create", "-c", ini, "--user", "admin", "--password", "secret12", "--email",
            "admin@example.com", "--repos", tmp_path / "repos")
    srv = Server(tmp_path, ini, port)
    srv.log_file = open(srv.log_path, "ab")
    srv.proc = subprocess.Popen([BIN, "serve", "-c", str(ini)], stdout=srv.log_file,
                                stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: _listening(port) or srv.proc.poll() is not None, what="serve")
        assert srv.proc.poll() is None, srv.log()
        assert requests.get(srv.url + "/", timeout=10).status_code == 200
    finally:
        assert srv.stop() == 0


def _listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def one_line_failure(proc):
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_serve_missing_config_file(tmp_path):
    line = one_line_failure(run_cli("serve", "-c", tmp_path / "nope.ini", check=False))
    assert "nope.ini" in line


def test_serve_unreadable_config_file(tmp_path):
    ini = tmp_path / "k.ini"
    run_cli("config-create", ini)
    ini.chmod(0)
    if os.geteuid() == 0:
        # root reads anything: make it a directory instead, which no one can read as a file
        ini.chmod(0o600)
        ini.unlink()
        ini.mkdir()
    line = one_line_failure(run_cli("serve", "-c", ini, check=False))
    assert "k.ini" in line


def test_serve_bad_database_url(tmp_path):
    ini = tmp_path / "k.ini"
    run_cli("config-create", ini)
    text = re.sub(r"^sqlalchemy\.url = .*$", "sqlalchemy.url = mysql://u:p@localhost/x",
                  ini.read_text(), flags=re.M)
    ini.write_text(text)
    line = one_line_failure(run_cli("serve", "-c", ini, check=False))
    assert "sqlalchemy.url" in line
    assert ":p@" not in line  # the password is not shown


def test_serve_port_in_use(tmp_path):
    ini, port = make_instance(tmp_path)
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", port))
        blocker.listen(1)
        line = one_line_failure(run_cli("serve", "-c", ini, check=False))
        assert str(port) in line


def test_make_run_steps_serve_a_page(tmp_path):
    """What `make run` does (scripts/run-server), with the test build and another port."""
    port = free_port()
    run_dir = tmp_path / "run"
    proc = subprocess.Popen([str(ROOT / "scripts/run-server"), BIN, str(run_dir), "127.0.0.1",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        wait_until(lambda: _listening(port) or proc.poll() is not None, what="run-server")
        assert proc.poll() is None
        page = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 200
        assert (run_dir / "kallithea.ini").exists() and (run_dir / "kallithea.db").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    m = re.search(r"password: (\S+)", out)
    assert m, out
    # the printed password works
    s = requests.Session()
    # a second run reuses what exists and prints no new password
    proc2 = subprocess.Popen([str(ROOT / "scripts/run-server"), BIN, str(run_dir), "127.0.0.1",
                              str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    try:
        wait_until(lambda: _listening(port) or proc2.poll() is not None, what="second run")
        r = post_form(s, f"http://127.0.0.1:{port}/_admin/login",
                      {"username": "admin", "password": m.group(1)})
        assert r.status_code == 302 and "kallithea=" in r.headers.get("Set-Cookie", "")
    finally:
        proc2.send_signal(signal.SIGTERM)
        out2, _ = proc2.communicate(timeout=30)
    assert "password:" not in out2
