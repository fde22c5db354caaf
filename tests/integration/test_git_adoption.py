"""Adopting repositories Kallithea created: its own Git hooks (recognised by their
KALLITHEA_HOOK_VER line) are retired by repo-scan, db-upgrade and the first push through us,
while hooks the admin wrote stay and keep running."""
import subprocess
from pathlib import Path

import pytest

from conftest import git, git_env, make_repo, run_cli

from test_git_http import commit, url

# What Kallithea 0.7 installs (its template with the shebang filled in), reduced to what shows:
# the line Kallithea recognises its hooks by, and the message pushers saw on every push.
KALLITHEA_POST_RECEIVE = '''#!/usr/bin/python3
"""Kallithea Git hook

This hook is installed and maintained by Kallithea. It will be overwritten
by Kallithea - don't customize it manually!
"""
import os
import sys

KALLITHEA_HOOK_VER = '0.7.0'
os.environ['KALLITHEA_HOOK_VER'] = KALLITHEA_HOOK_VER

sys.stdin.read()
open(os.path.join('hooks', 'kallithea-hook-ran'), 'a').write('ran\\n')
sys.stderr.write('Skipping Kallithea Git post-receive hook %r.\\n' % KALLITHEA_HOOK_VER)
'''

CUSTOM_HOOK = '''#!/bin/sh
# The admin's own hook: records each push.
cat >> "$(pwd)/custom-hook.log"
echo "custom hook ran"
'''


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return git_env(home)


def install(repo_dir, name, text):
    hook = Path(repo_dir, "hooks", name)
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(text)
    hook.chmod(0o755)
    return hook


def first_commit(env, tmp_path, name):
    work = tmp_path / f"work-{name}"
    git(env, "init", "-q", work)
    return work, commit(env, work, f"{name}.txt")


def test_first_push_retires_kallitheas_hooks_and_keeps_custom_ones(server, env, tmp_path):
    kal = make_repo(server, "kal")
    install(kal, "post-receive", KALLITHEA_POST_RECEIVE)
    install(kal, "pre-receive", KALLITHEA_POST_RECEIVE.replace("post-receive", "pre-receive"))
    custom = make_repo(server, "custom")
    install(custom, "post-receive", CUSTOM_HOOK)

    work, _ = first_commit(env, tmp_path, "kal")
    proc = git(env, "push", url(server, "kal"), "master", cwd=work)
    assert "Skipping Kallithea" not in proc.stderr
    assert not (kal / "hooks" / "kallithea-hook-ran").exists()
    assert not (kal / "hooks" / "post-receive").exists()
    assert not (kal / "hooks" / "pre-receive").exists()
    assert "KALLITHEA_HOOK_VER" in (kal / "hooks" / "post-receive.kallithea-bak").read_text()
    assert "retired Kallithea's post-receive hook" in server.log()

    work, head = first_commit(env, tmp_path, "custom")
    proc = git(env, "push", url(server, "custom"), "master", cwd=work)
    assert "custom hook ran" in proc.stderr
    assert (custom / "hooks" / "post-receive").read_text() == CUSTOM_HOOK
    assert f"{head} refs/heads/master" in (custom / "custom-hook.log").read_text()


def test_post_receive_custom_keeps_running(server, env, tmp_path):
    repo = make_repo(server, "withcustom")
    install(repo, "post-receive", KALLITHEA_POST_RECEIVE)
    install(repo, "post-receive-custom", CUSTOM_HOOK)
    work, head = first_commit(env, tmp_path, "withcustom")
    proc = git(env, "push", url(server, "withcustom"), "master", cwd=work)
    assert "Skipping Kallithea" not in proc.stderr
    assert "custom hook ran" in proc.stderr
    assert f"{head} refs/heads/master" in (repo / "custom-hook.log").read_text()


def test_repo_scan_and_db_upgrade_retire_kallitheas_hooks(server, env, tmp_path):
    root = Path(server.db().execute(
        "SELECT ui_value FROM ui WHERE ui_section='paths' AND ui_key='/'").fetchone()[0])
    # Repositories Kallithea left on disk, not yet in our database.
    for name in ("scanned", "admins"):
        subprocess.run(["git", "init", "-q", "--bare", str(root / name)], check=True)
    install(root / "scanned", "post-receive", KALLITHEA_POST_RECEIVE)
    install(root / "admins", "post-receive", CUSTOM_HOOK)
    out = run_cli("repo-scan", "-c", server.ini).stdout
    assert "Retired Kallithea's Git hook: scanned: post-receive" in out
    assert not (root / "scanned" / "hooks" / "post-receive").exists()
    assert (root / "admins" / "hooks" / "post-receive").read_text() == CUSTOM_HOOK

    # A repository already in the database whose hook came back: db-upgrade retires it too.
    install(root / "scanned", "post-receive", KALLITHEA_POST_RECEIVE)
    out = run_cli("db-upgrade", "-c", server.ini).stdout
    assert "retired Kallithea's Git hooks in 1 repositories" in out
    assert not (root / "scanned" / "hooks" / "post-receive").exists()
    assert (root / "admins" / "hooks" / "post-receive").read_text() == CUSTOM_HOOK

    # The admin's hook still runs on pushes.
    work, head = first_commit(env, tmp_path, "admins")
    proc = git(env, "push", url(server, "admins"), "master", cwd=work)
    assert "custom hook ran" in proc.stderr
    assert f"{head} refs/heads/master" in (root / "admins" / "custom-hook.log").read_text()
