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

from sql_fixtures import grant, make_user_group, set_user_active  # noqa: F401 (re-exported)

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


def commit(env, work, message, path=None):
    """Writes a file in the work tree `work` (named after message unless path is given), then
    adds and commits everything with that message."""
    Path(work, path or message.replace(" ", "_") + ".txt").write_text(message + "\n")
    git(env, "add", ".", cwd=work)
    git(env, "commit", "-q", "-m", message, cwd=work)


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


def try_login(base_url, username, password, session=None):
    """Posts the login form (with its pre-login cookie and token); returns (requests.Session,
    the form's answer), whether the login worked or not."""
    s = session or requests.Session()
    r = post_form(s, f"{base_url}/_admin/login", {"username": username, "password": password})
    return s, r


def login(base_url, username, password, session=None):
    """Logs in through the form; returns the requests.Session with its login cookie. Fails the
    test when the login does not succeed (only then the form answers 302 away from itself)."""
    s, r = try_login(base_url, username, password, session)
    assert r.status_code == 302 and "/_admin/login" not in r.headers.get("Location", ""), (
        f"login as {username} failed: {r.status_code} {r.text[:300]}")
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
    """Creates a Git repository `name` (and its parent groups) with `kallithea repo-create`;
    returns its directory."""
    args = ["repo-create", "-c", srv.ini, "--name", name, "--owner", owner,
            "--private" if private else "--no-private",
            "--enable-downloads" if downloads else "--no-enable-downloads"]
    if description:
        args += ["--description", description]
    out = run_cli(*args).stdout
    m = re.search(r"^Created repository .* \((.*)\)$", out, re.M)
    assert m, f"repo-create said: {out}"
    return Path(m.group(1))


def make_user(srv, username, password="secret-pass-1", admin=False, email=None, active=True,
              firstname="", lastname=""):
    """Creates a user with `kallithea user-create` (inactive through sql_fixtures, which no
    command does yet); returns its id."""
    args = ["user-create", "-c", srv.ini, "--username", username, "--password", password,
            "--email", email or f"{username}@example.com"]
    if firstname:
        args += ["--firstname", firstname]
    if lastname:
        args += ["--lastname", lastname]
    if admin:
        args.append("--admin")
    out = run_cli(*args).stdout
    m = re.search(r"\(id (\d+)\)", out)
    assert m, f"user-create said: {out}"
    if not active:
        set_user_active(srv, username, False)
    return int(m.group(1))
