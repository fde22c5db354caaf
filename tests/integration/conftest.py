"""Fixtures for the black-box integration suite: the real kallithea binary, started on an
ephemeral port in a temporary directory, driven over HTTP."""
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("KALLITHEA_BIN", str(ROOT / "build/debug/src/app/kallithea"))
REFERENCE = Path(os.environ.get("KALLITHEA_REFERENCE", str(ROOT.parent / "shared/reference")))
ADMIN_PASSWORD = "admin-secret-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, cwd=None, check=True):
    """Runs the binary with args; returns the CompletedProcess."""
    proc = subprocess.run([BIN, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}): {proc.stderr}")
    return proc


def git_env(home):
    """An environment for the real git client: no GIT_* variables from outside, `home` as HOME
    (no user or system configuration), no prompts, a fixed author and committer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0",
               GIT_AUTHOR_NAME="Ann Author", GIT_AUTHOR_EMAIL="ann@example.com",
               GIT_COMMITTER_NAME="Ann Author", GIT_COMMITTER_EMAIL="ann@example.com")
    return env


def git(env, *args, cwd=None, check=True, extra_env=None, timeout=300):
    """Runs git (new repositories on branch master); raises on failure unless check=False."""
    e = dict(env)
    if extra_env:
        e.update(extra_env)
    proc = subprocess.run(["git", "-c", "init.defaultBranch=master", *map(str, args)], cwd=cwd,
                          env=e, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {args} failed ({proc.returncode}): {proc.stderr}")
    return proc


def wait_until(predicate, timeout=30.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Server:
    """A running `kallithea serve` process."""

    def __init__(self, workdir, ini, port):
        self.workdir = Path(workdir)
        self.ini = ini
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = self.workdir / "server.log"
        self.proc = None

    def start(self, extra_args=()):
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BIN, "serve", "-c", str(self.ini), "--port",
                                      str(self.port), *extra_args],
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        wait_until(lambda: port_open(self.port) or self.proc.poll() is not None,
                   what="server to listen")
        if self.proc.poll() is not None:
            raise AssertionError(f"server exited: {self.log()}")
        return self

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log_file.close()
        return self.proc.returncode if self.proc else None

    def db(self):
        import sqlite3
        return sqlite3.connect(str(self.workdir / "kallithea.db"))


def make_instance(tmp_path, public_access=True, extra_config=()):
    """config-create + db-create in tmp_path; returns (ini path, port)."""
    port = free_port()
    ini = tmp_path / "kallithea.ini"
    run_cli("config-create", ini, "host=127.0.0.1", f"port={port}", *extra_config)
    repos = tmp_path / "repos"
    repos.mkdir()
    args = ["db-create", "-c", ini, "--user", "admin", "--password", ADMIN_PASSWORD,
            "--email", "admin@example.com", "--repos", repos, "--force-yes"]
    if not public_access:
        args.append("--no-public-access")
    run_cli(*args)
    return ini, port


@pytest.fixture
def server(tmp_path):
    ini, port = make_instance(tmp_path)
    srv = Server(tmp_path, ini, port).start()
    yield srv
    srv.stop()


@pytest.fixture
def private_server(tmp_path):
    ini, port = make_instance(tmp_path, public_access=False)
    srv = Server(tmp_path, ini, port).start()
    yield srv
    srv.stop()


def login(base_url, username, password, session=None):
    """Logs in through the form (with its pre-login cookie and token); returns the
    requests.Session (cookie set on success)."""
    s = session or requests.Session()
    post_form(s, f"{base_url}/_admin/login", {"username": username, "password": password})
    return s


def csrf_token(html):
    m = re.search(r'name="_session_csrf_secret_token" value="([^"]+)"', html)
    return m.group(1) if m else None


def form_token(session, url):
    """GETs the form page at url with session (which keeps the pre-login cookie the page sets
    for anonymous visitors) and returns the page's CSRF token."""
    return csrf_token(session.get(url, timeout=30).text)


def post_form(session, url, data, form_url=None, **kwargs):
    """POSTs data to url as a browser would after showing the form at form_url (default: url
    without its query): with the form's CSRF token and the session's cookies. No redirects
    followed unless allow_redirects is given."""
    data = dict(data)
    if "_session_csrf_secret_token" not in data:
        token = form_token(session, form_url or url.split("?")[0])
        if token is None:  # a page without a form (e.g. "disabled"): any page's token will do
            origin = re.match(r"https?://[^/]+", url).group(0)
            token = form_token(session, origin + "/_admin/login")
        data["_session_csrf_secret_token"] = token or ""
    kwargs.setdefault("allow_redirects", False)
    kwargs.setdefault("timeout", 30)
    return session.post(url, data=data, **kwargs)


def make_repo(srv, name, private=False, description="", owner="admin", downloads=True):
    """Creates a bare Git repository `name` (groups from its path) straight in the database and
    on disk, as `kallithea repo-create` would; returns its directory."""
    db = srv.db()
    root = db.execute("SELECT ui_value FROM ui WHERE ui_section='paths' AND ui_key='/'").fetchone()[0]
    owner_id = db.execute("SELECT user_id FROM users WHERE username=?", (owner,)).fetchone()[0]
    now = "2024-01-01 00:00:00.000000"
    parent = None
    parts = name.split("/")
    for i in range(1, len(parts)):
        group = "/".join(parts[:i])
        row = db.execute("SELECT group_id FROM groups WHERE group_name=?", (group,)).fetchone()
        if row:
            parent = row[0]
            continue
        cur = db.execute("INSERT INTO groups (group_name, group_parent_id, group_description, "
                         "user_id, created_on) VALUES (?, ?, '', ?, ?)",
                         (group, parent, owner_id, now))
        parent = cur.lastrowid
        # Every group has a row for the `default` user, as Kallithea writes it.
        db.execute("INSERT INTO user_repo_group_to_perm (user_id, group_id, permission_id) "
                   "SELECT (SELECT user_id FROM users WHERE username='default'), ?, "
                   "permission_id FROM permissions WHERE permission_name='group.read'", (parent,))
        Path(root, group).mkdir(parents=True, exist_ok=True)
    path = Path(root, name)
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    cur = db.execute(
        "INSERT INTO repositories (repo_name, repo_state, repo_type, user_id, private, statistics, "
        "downloads, description, created_on, updated_on, landing_revision, group_id) VALUES "
        "(?, 'repo_state_created', 'git', ?, ?, 0, ?, ?, ?, ?, 'rev:tip', ?)",
        (name, owner_id, 1 if private else 0, 1 if downloads else 0, description, now, now,
         parent))
    repo_id = cur.lastrowid
    perm = "repository.none" if private else "repository.read"
    db.execute("INSERT INTO repo_to_perm (user_id, permission_id, repository_id) SELECT "
               "(SELECT user_id FROM users WHERE username='default'), permission_id, ? "
               "FROM permissions WHERE permission_name=?", (repo_id, perm))
    db.commit()
    return path


def make_user(srv, username, password="secret-pass-1", admin=False, email=None, active=True,
              firstname="", lastname=""):
    """Creates a user straight in the database (bcrypt hash of low cost); returns its id."""
    import bcrypt
    import secrets
    db = srv.db()
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode()
    cur = db.execute(
        "INSERT INTO users (username, password, active, admin, firstname, lastname, email, api_key, "
        "extern_type, extern_name, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'internal', "
        "'internal', '2024-01-01 00:00:00.000000')",
        (username, hashed, 1 if active else 0, 1 if admin else 0, firstname, lastname,
         email or f"{username}@example.com", secrets.token_hex(20)))
    db.commit()
    return cur.lastrowid


def make_user_group(srv, name, members=(), active=True, owner="admin"):
    """Creates a user group with the given member usernames; returns its id."""
    db = srv.db()
    owner_id = db.execute("SELECT user_id FROM users WHERE username=?", (owner,)).fetchone()[0]
    cur = db.execute(
        "INSERT INTO users_groups (users_group_name, user_group_description, users_group_active, "
        "user_id, created_on) VALUES (?, '', ?, ?, '2024-01-01 00:00:00.000000')",
        (name, 1 if active else 0, owner_id))
    group_id = cur.lastrowid
    for member in members:
        db.execute("INSERT INTO users_groups_members (users_group_id, user_id) SELECT ?, user_id "
                   "FROM users WHERE username=?", (group_id, member))
    db.commit()
    return group_id


_GRANT_TABLES = {
    ("repo", "user"): ("repo_to_perm", "repository_id", "user_id"),
    ("repo", "group"): ("users_group_repo_to_perm", "repository_id", "users_group_id"),
    ("repo_group", "user"): ("user_repo_group_to_perm", "group_id", "user_id"),
    ("repo_group", "group"): ("users_group_repo_group_to_perm", "group_id", "users_group_id"),
    ("user_group", "user"): ("user_user_group_to_perm", "user_group_id", "user_id"),
    ("user_group", "group"): ("user_group_user_group_to_perm", "target_user_group_id",
                              "user_group_id"),
}


def grant(srv, obj_kind, obj_name, grantee_kind, grantee_name, permission):
    """Writes one grant row, replacing the grantee's previous one on that object.
    obj_kind: repo | repo_group | user_group; grantee_kind: user | group."""
    db = srv.db()
    table, obj_col, who_col = _GRANT_TABLES[(obj_kind, grantee_kind)]
    obj_id = {
        "repo": lambda: db.execute("SELECT repo_id FROM repositories WHERE repo_name=?",
                                   (obj_name,)).fetchone()[0],
        "repo_group": lambda: db.execute("SELECT group_id FROM groups WHERE group_name=?",
                                         (obj_name,)).fetchone()[0],
        "user_group": lambda: db.execute("SELECT users_group_id FROM users_groups WHERE "
                                         "users_group_name=?", (obj_name,)).fetchone()[0],
    }[obj_kind]()
    who_id = (db.execute("SELECT user_id FROM users WHERE username=?",
                         (grantee_name,)).fetchone()[0] if grantee_kind == "user" else
              db.execute("SELECT users_group_id FROM users_groups WHERE users_group_name=?",
                         (grantee_name,)).fetchone()[0])
    db.execute(f"DELETE FROM {table} WHERE {obj_col}=? AND {who_col}=?", (obj_id, who_id))
    db.execute(f"INSERT INTO {table} ({obj_col}, {who_col}, permission_id) SELECT ?, ?, "
               "permission_id FROM permissions WHERE permission_name=?",
               (obj_id, who_id, permission))
    db.commit()
