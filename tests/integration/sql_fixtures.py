"""The integration suite's only raw SQL writes: seeding needs that no `kallithea` command covers
yet. Each function names the command that would replace it; everything else is seeded through
the binary (see conftest.make_repo / make_user)."""


def set_user_active(srv, username, active):
    """Marks an account (in)active. Replace with `kallithea user-update --active/--no-active`
    once such a command exists (today only the admin web form does it)."""
    db = srv.db()
    db.execute("UPDATE users SET active=? WHERE username=?", (1 if active else 0, username))
    db.commit()


def make_user_group(srv, name, members=(), active=True, owner="admin"):
    """Creates a user group with the given member usernames; returns its id. Replace with
    `kallithea user-group-create --name N --member U ... [--inactive]` once it exists."""
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
    obj_kind: repo | repo_group | user_group; grantee_kind: user | group. Replace with
    `kallithea permission-grant --repo/--repo-group/--user-group NAME --user/--group WHO
    --permission P` once it exists (today only the permission editors in the web UI do it)."""
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


def set_default_permission(srv, permission):
    """Replaces the `default` user's global grant of the same kind (e.g. hg.register.none for
    any hg.register.*). Replace with `kallithea permission-set-default PERMISSION` once it
    exists (today the /_admin/permissions form does it)."""
    kind = permission.rsplit(".", 1)[0]
    db = srv.db()
    db.execute("DELETE FROM user_to_perm WHERE user_id=(SELECT user_id FROM users WHERE "
               "username='default') AND permission_id IN (SELECT permission_id FROM permissions "
               "WHERE permission_name LIKE ?)", (kind + ".%",))
    db.execute("INSERT INTO user_to_perm (user_id, permission_id) SELECT (SELECT user_id FROM "
               "users WHERE username='default'), permission_id FROM permissions WHERE "
               "permission_name=?", (permission,))
    db.commit()


def make_user_with_hash(srv, username, password_hash, active=True, email=None):
    """A user row holding a ready-made password hash (another bcrypt implementation, a legacy
    format). No command takes a hash: `kallithea user-create` hashes the password itself; a
    `--password-hash` option would replace this."""
    db = srv.db()
    db.execute("INSERT INTO users (username, password, active, admin, firstname, lastname, email, "
               "extern_type, extern_name, api_key, created_on) VALUES "
               "(?, ?, ?, 0, 'F', 'L', ?, 'internal', ?, ?, '2024-01-01 00:00:00.000000')",
               (username, password_hash, 1 if active else 0, email or f"{username}@example.com",
                username, username.ljust(40, "0")[:40]))
    db.commit()


def make_bulk_users(srv, names):
    """Many users that never log in (no usable password), for listing tests. One
    `kallithea user-create` per user costs ~0.2 s each; a bulk import command would replace
    this."""
    db = srv.db()
    for i, name in enumerate(names):
        db.execute("INSERT INTO users (username, password, active, admin, firstname, lastname, "
                   "email, api_key, extern_type, extern_name, created_on) VALUES (?, 'x', 1, 0, "
                   "'', '', ?, ?, 'internal', 'internal', '2024-01-01 00:00:00.000000')",
                   (name, f"{name}@example.com", f"{i:040d}"))
    db.commit()


def add_user_ip(srv, username, network):
    """Adds network to username's IP whitelist. Replace with `kallithea user-ip-add` once it
    exists (today the user's admin page does it)."""
    db = srv.db()
    db.execute("INSERT INTO user_ip_map (user_id, ip_addr, active) SELECT user_id, ?, 1 FROM "
               "users WHERE username=?", (network, username))
    db.commit()


def add_user_email(srv, user_id, email):
    """Adds an extra email address to the user; returns its row id. Replace with
    `kallithea user-email-add` once it exists (today My Account and the admin pages do it)."""
    db = srv.db()
    cur = db.execute("INSERT INTO user_email_map (user_id, email) VALUES (?, ?)", (user_id, email))
    db.commit()
    return cur.lastrowid


def add_following(srv, user_id, repo_name):
    """Makes the user follow (watch) the repository. Replace with a `kallithea` command once one
    exists (today the repository page's Follow button does it)."""
    db = srv.db()
    db.execute("INSERT INTO user_followings (user_id, follows_repository_id, follows_from) "
               "SELECT ?, repo_id, '2024-01-01 00:00:00' FROM repositories WHERE repo_name=?",
               (user_id, repo_name))
    db.commit()


def set_user_extern(srv, username, extern_type, extern_name=None):
    """Marks an account as managed by an authentication plugin (e.g. ldap). Replace with the
    plugin itself (the authentication-plugins issue) or a `kallithea user-update` option."""
    db = srv.db()
    db.execute("UPDATE users SET extern_type=?, extern_name=COALESCE(?, extern_name) WHERE "
               "username=?", (extern_type, extern_name, username))
    db.commit()
