#!/usr/bin/env python3
"""Fills a fresh instance's SQLite database (after `db-create`) with a permission-heavy data
set for bench/permissions.sh, straight through sqlite3 (seconds, not hours of HTTP).

    bench/seed_permissions.py DB --repos 10000 --groups 500 --users 5000 --user-groups 200

Deterministic (fixed random seed). Shape, like real installations:
- repository groups: a fifth at top level, the rest nested one or two levels below them;
- TOP_REPOS repositories (default 200) at top level, the rest spread over the groups;
- ~10% of repositories private (the `default` row is repository.none), the rest repository.read;
  every group has a `default` row (group.read, 5% group.none);
- user groups of MEMBERS members (5% inactive); grants: repository rows for users (2 per user)
  and user groups (25 per group), repository-group rows for users and user groups;
- the benchmark user `bench` (password `benchpass1`): member of 3 active user groups, owner of
  20 repositories, explicit grants (read/write/admin) on 40 more.
No repository directories are created (the listings read database rows only); the script prints
the names the benchmark needs as `key=value` lines.
"""
import argparse
import json
import random
import sqlite3
import sys

NOW = "2024-01-01 00:00:00.000000"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--repos", type=int, default=10000)
    ap.add_argument("--groups", type=int, default=500)
    ap.add_argument("--users", type=int, default=5000)
    ap.add_argument("--user-groups", type=int, default=200)
    ap.add_argument("--members", type=int, default=25)
    ap.add_argument("--top-repos", type=int, default=200)
    ap.add_argument("--bench-password-hash", required=True)
    args = ap.parse_args()
    rnd = random.Random(20261128)
    db = sqlite3.connect(args.db)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA journal_mode = MEMORY")
    perm = dict(db.execute("SELECT permission_name, permission_id FROM permissions"))
    default_id = db.execute("SELECT user_id FROM users WHERE username='default'").fetchone()[0]
    admin_id = db.execute("SELECT user_id FROM users WHERE admin = 1 ORDER BY user_id").fetchone()[0]

    # Users (a placeholder hash: only `bench` logs in).
    db.execute(
        "INSERT INTO users (username, password, active, admin, firstname, lastname, email, "
        "api_key, extern_type, extern_name, created_on) VALUES ('bench', ?, 1, 0, 'Bench', "
        "'User', 'bench@example.com', ?, 'internal', 'internal', ?)",
        (args.bench_password_hash, "b" * 40, NOW))
    bench_id = db.execute("SELECT user_id FROM users WHERE username='bench'").fetchone()[0]
    db.executemany(
        "INSERT INTO users (username, password, active, admin, firstname, lastname, email, "
        "api_key, extern_type, extern_name, created_on) VALUES (?, '!', 1, 0, '', '', ?, ?, "
        "'internal', 'internal', ?)",
        [(f"user{i:05d}", f"user{i:05d}@example.com", f"{i:040x}", NOW)
         for i in range(args.users - 1)])
    user_ids = [r[0] for r in db.execute(
        "SELECT user_id FROM users WHERE username LIKE 'user%' ORDER BY user_id")]

    # Repository groups: a fifth at top level, the others one or two levels down.
    top_groups = max(1, args.groups // 5)
    groups = []  # (id, name)
    for i in range(args.groups):
        if i < top_groups:
            parent, name = None, f"team{i:03d}"
        else:
            parent_id, parent_name = groups[rnd.randrange(min(len(groups), top_groups * 3))]
            parent, name = parent_id, f"{parent_name}/sub{i:03d}"
        cur = db.execute(
            "INSERT INTO groups (group_name, group_parent_id, group_description, user_id, "
            "created_on) VALUES (?, ?, ?, ?, ?)", (name, parent, f"Group {name}", admin_id, NOW))
        groups.append((cur.lastrowid, name))
    db.executemany(
        "INSERT INTO user_repo_group_to_perm (user_id, group_id, permission_id) VALUES (?, ?, ?)",
        [(default_id, gid, perm["group.none" if rnd.random() < 0.05 else "group.read"])
         for gid, _ in groups])

    # Repositories.
    repos = []  # (id, name, private)
    cache = json.dumps({"raw_id": "1" * 40, "short_id": "111111111111", "revision": 41,
                        "message": "Latest change", "date": "2024-05-06T07:08:09",
                        "author": "Someone <someone@example.com>"})
    rows = []
    for i in range(args.repos):
        if i < args.top_repos:
            gid, name = None, f"repo{i:05d}"
        else:
            gid, gname = groups[rnd.randrange(len(groups))]
            name = f"{gname}/repo{i:05d}"
        private = rnd.random() < 0.10
        owner = bench_id if i % (args.repos // 20 or 1) == 7 else rnd.choice(user_ids + [admin_id])
        rows.append((name, owner, 1 if private else 0, f"Repository {name}", gid, private))
    for name, owner, private, desc, gid, is_private in rows:
        cur = db.execute(
            "INSERT INTO repositories (repo_name, repo_state, repo_type, user_id, private, "
            "statistics, downloads, description, created_on, updated_on, landing_revision, "
            "group_id, changeset_cache) VALUES (?, 'repo_state_created', 'git', ?, ?, 0, 1, ?, "
            "?, ?, 'rev:tip', ?, ?)",
            (name, owner, private, desc, NOW, NOW, gid, cache))
        repos.append((cur.lastrowid, name, is_private))
    db.executemany(
        "INSERT INTO repo_to_perm (user_id, permission_id, repository_id) VALUES (?, ?, ?)",
        [(default_id, perm["repository.none" if p else "repository.read"], rid)
         for rid, _, p in repos])

    # User groups and their members.
    ugroups = []
    for i in range(args.user_groups):
        active = 0 if rnd.random() < 0.05 else 1
        cur = db.execute(
            "INSERT INTO users_groups (users_group_name, user_group_description, "
            "users_group_active, user_id, created_on) VALUES (?, '', ?, ?, ?)",
            (f"ugroup{i:03d}", active, admin_id, NOW))
        ugroups.append((cur.lastrowid, active))
        members = rnd.sample(user_ids, min(args.members, len(user_ids)))
        db.executemany("INSERT INTO users_groups_members (users_group_id, user_id) VALUES (?, ?)",
                       [(cur.lastrowid, m) for m in members])
    bench_groups = [g for g, active in ugroups if active][:3]
    db.executemany("INSERT INTO users_groups_members (users_group_id, user_id) VALUES (?, ?)",
                   [(g, bench_id) for g in bench_groups])

    levels = ["read", "read", "read", "write", "admin"]
    # Repository grants to users (2 per user) and user groups (25 per group), unique pairs.
    user_rows = set()
    for uid in user_ids:
        for rid in rnd.sample(range(len(repos)), 2):
            user_rows.add((uid, repos[rid][0]))
    bench_repos = rnd.sample(range(len(repos)), 40)
    for rid in bench_repos:
        user_rows.add((bench_id, repos[rid][0]))
    db.executemany(
        "INSERT INTO repo_to_perm (user_id, permission_id, repository_id) VALUES (?, ?, ?)",
        [(u, perm["repository." + rnd.choice(levels)], r) for u, r in sorted(user_rows)])
    group_rows = set()
    for gid, _ in ugroups:
        for rid in rnd.sample(range(len(repos)), min(25, len(repos))):
            group_rows.add((gid, repos[rid][0]))
    db.executemany(
        "INSERT INTO users_group_repo_to_perm (users_group_id, permission_id, repository_id) "
        "VALUES (?, ?, ?)",
        [(g, perm["repository." + rnd.choice(levels)], r) for g, r in sorted(group_rows)])
    # Repository-group grants: users (one per 5 users), user groups (3 per group).
    rg_user = {(rnd.choice(user_ids), groups[rnd.randrange(len(groups))][0])
               for _ in range(max(1, len(user_ids) // 5))}
    db.executemany(
        "INSERT INTO user_repo_group_to_perm (user_id, group_id, permission_id) VALUES (?, ?, ?)",
        [(u, g, perm["group." + rnd.choice(levels)]) for u, g in sorted(rg_user)])
    rg_group = {(g, groups[rnd.randrange(len(groups))][0]) for g, _ in ugroups for _ in range(3)}
    db.executemany(
        "INSERT INTO users_group_repo_group_to_perm (users_group_id, group_id, permission_id) "
        "VALUES (?, ?, ?)", [(u, g, perm["group." + rnd.choice(levels)]) for u, g in
                             sorted(rg_group)])
    db.commit()

    # What the benchmark requests: the top-level group with the most direct repositories, and
    # one public repository inside a group.
    page_group = db.execute(
        "SELECT g.group_name FROM groups g JOIN repositories r ON r.group_id = g.group_id "
        "WHERE g.group_parent_id IS NULL GROUP BY g.group_id ORDER BY count(*) DESC, "
        "g.group_name LIMIT 1").fetchone()[0]
    in_group = db.execute(
        "SELECT count(*) FROM repositories r JOIN groups g ON g.group_id = r.group_id "
        "WHERE g.group_name = ?", (page_group,)).fetchone()[0]
    public_repo = next(name for _, name, p in repos if "/" in name and not p)
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
              ["repositories", "groups", "users", "users_groups", "users_groups_members",
               "repo_to_perm", "users_group_repo_to_perm", "user_repo_group_to_perm",
               "users_group_repo_group_to_perm"]}
    print(f"group={page_group}")
    print(f"group_repos={in_group}")
    print(f"repo={public_repo}")
    print("counts=" + ",".join(f"{k}:{v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
