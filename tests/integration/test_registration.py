"""Self-registration (/_admin/register) and password reset by email."""
import os
import re
import subprocess

import pytest
import requests

from conftest import (ADMIN_PASSWORD, csrf_token, login, make_user, post_form, try_login,
                      wait_until)
from sql_fixtures import set_default_permission, set_user_extern


def set_register(srv, mode):
    set_default_permission(srv, mode)


def register(srv, session=None, **fields):
    data = {"username": "newbie", "password": "newbie-pass-1",
            "password_confirmation": "newbie-pass-1", "email": "newbie@example.com",
            "firstname": "New", "lastname": "Bie"}
    data.update(fields)
    return post_form(session or requests.Session(), srv.url + "/_admin/register", data)


def logged_in(srv, username, password):
    s, _ = try_login(srv.url, username, password)
    return f'data-username="{username}"' in s.get(srv.url + "/").text


def test_registration_disabled(server):
    set_register(server, "hg.register.none")
    r = requests.get(server.url + "/_admin/register")
    assert r.status_code == 404 and "disabled" in r.text
    assert register(server).status_code == 404
    assert server.db().execute("SELECT count(*) FROM users WHERE username='newbie'").fetchone()[0] == 0
    # admins may always use the page
    s = login(server.url, "admin", ADMIN_PASSWORD)
    assert s.get(server.url + "/_admin/register").status_code == 200


def test_manual_activation(server):
    set_register(server, "hg.register.manual_activate")
    page = requests.get(server.url + "/_admin/register")
    assert page.status_code == 200 and 'name="password_confirmation"' in page.text
    r = register(server)
    assert r.status_code == 303 and r.headers["Location"].endswith("/_admin/login")
    row = server.db().execute("SELECT active, admin, email, firstname, lastname FROM users WHERE "
                              "username='newbie'").fetchone()
    assert row == (0, 0, "newbie@example.com", "New", "Bie")
    assert not logged_in(server, "newbie", "newbie-pass-1")
    # the admins were told
    wait_until(lambda: "New user registration: newbie" in server.log(), what="admin mail")
    assert "admin@example.com" in server.log()


def test_flash_after_registration_mentions_activation(server):
    set_register(server, "hg.register.manual_activate")
    s = requests.Session()
    r = register(server, session=s)
    page = s.get(server.url + r.headers["Location"])
    assert "activation" in page.text


def test_auto_activation(server):
    set_register(server, "hg.register.auto_activate")
    r = register(server)
    assert r.status_code == 303
    assert server.db().execute("SELECT active FROM users WHERE username='newbie'").fetchone()[0] == 1
    assert logged_in(server, "newbie", "newbie-pass-1")


def test_works_with_anonymous_access_off(private_server):
    set_register(private_server, "hg.register.auto_activate")
    assert requests.get(private_server.url + "/_admin/register",
                        allow_redirects=False).status_code == 200
    assert register(private_server).status_code == 303
    assert logged_in(private_server, "newbie", "newbie-pass-1")


def test_bad_inputs_are_form_errors(server):
    set_register(server, "hg.register.auto_activate")
    cases = [
        ({"username": "bad name!"}, "username"),
        ({"username": "admin"}, "username"),
        ({"username": "default"}, "username"),
        ({"email": "nope"}, "email"),
        ({"password": "abc", "password_confirmation": "abc"}, "password"),
        ({"password_confirmation": "different-1"}, "password_confirmation"),
    ]
    for fields, field in cases:
        r = register(server, **fields)
        assert r.status_code == 200, fields
        assert f'data-error="{field}"' in r.text, (fields, r.text[:2000])
        # the posted values are kept (not the passwords)
        assert 'value="New"' in r.text
        assert "newbie-pass-1" not in r.text
    assert server.db().execute("SELECT count(*) FROM users WHERE username IN "
                               "('newbie', 'bad name!')").fetchone()[0] == 0


LINK = re.compile(r"(http://[^\s]+/_admin/password_reset_confirmation\?[^\s]+)")


def post_reset(srv, email, session, headers=None, timeout=30):
    """Fills the reset form as a browser would (with its CSRF token when it has one)."""
    page = session.get(srv.url + "/_admin/password_reset", headers=headers, timeout=timeout)
    assert page.status_code == 200
    data = {"email": email}
    token = csrf_token(page.text)
    if token:
        data["_session_csrf_secret_token"] = token
    return session.post(srv.url + "/_admin/password_reset", data=data, allow_redirects=False,
                        headers=headers, timeout=timeout)


def request_reset(srv, email, session, headers=None):
    before = len(LINK.findall(srv.log()))
    r = post_reset(srv, email, session, headers=headers)
    assert r.status_code == 303
    return before


def test_password_reset_flow(server):
    make_user(server, "forgetful", password="old-pass-1", email="forgetful@example.com")
    s = requests.Session()
    before = request_reset(server, "forgetful@example.com", s)
    link = wait_until(lambda: LINK.findall(server.log())[before:], what="reset mail")[0]
    assert "email=forgetful%40example.com" in link
    # also logged in elsewhere: that session ends with the reset
    other = login(server.url, "forgetful", "old-pass-1")
    assert 'data-username="forgetful"' in other.get(server.url + "/").text

    # a tampered token fails
    bad = re.sub(r"token=([0-9a-f])", lambda m: "token=" + ("0" if m.group(1) != "0" else "1"),
                 link)
    r = s.get(bad)
    assert r.status_code == 400 and 'data-error="token"' in r.text
    # the link works in another browser than the one that asked (it is bound to the account)
    assert requests.get(link).status_code == 200

    form = s.get(link)
    assert form.status_code == 200 and 'name="password_confirm"' in form.text
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.text))
    data = {k: v for k, v in hidden.items()
            if k in ("email", "timestamp", "token", "_session_csrf_secret_token")}
    # mismatch and too short are form errors
    r = s.post(server.url + "/_admin/password_reset_confirmation",
               data=dict(data, password="new-pass-1", password_confirm="other-pass-1"))
    assert r.status_code == 200 and 'data-error="password_confirm"' in r.text
    r = s.post(server.url + "/_admin/password_reset_confirmation",
               data=dict(data, password="abc", password_confirm="abc"))
    assert r.status_code == 200 and 'data-error="password"' in r.text
    r = s.post(server.url + "/_admin/password_reset_confirmation",
               data=dict(data, password="new-pass-1", password_confirm="new-pass-1"),
               allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/_admin/login")

    assert 'data-username="forgetful"' not in other.get(server.url + "/").text
    assert not logged_in(server, "forgetful", "old-pass-1")
    assert logged_in(server, "forgetful", "new-pass-1")
    # the link works only once
    assert s.get(link).status_code == 400
    r = s.post(server.url + "/_admin/password_reset_confirmation",
               data=dict(data, password="third-pass-1", password_confirm="third-pass-1"))
    assert r.status_code == 400
    assert logged_in(server, "forgetful", "new-pass-1")


def test_unknown_address_gets_the_same_answer(server):
    make_user(server, "known", email="known@example.com")
    s = requests.Session()
    s.get(server.url + "/_admin/password_reset")
    known = post_form(s, server.url + "/_admin/password_reset", {"email": "known@example.com"},
                      allow_redirects=True)
    unknown = post_form(s, server.url + "/_admin/password_reset", {"email": "ghost@example.com"},
                        allow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda text: text.replace("known@example.com", "").replace("ghost@example.com", "")
    assert strip(known.text) == strip(unknown.text)
    assert "unknown or inactive address ghost@example.com" in server.log()
    # One more request for the known address: once its mail is out, anything queued for the
    # unknown one (in between) would have been sent too.
    post_form(s, server.url + "/_admin/password_reset", {"email": "known@example.com"})
    links = wait_until(lambda: len(LINK.findall(server.log())) >= 2 and LINK.findall(server.log()),
                       what="both mails to the known address")
    assert len(links) == 2
    ghost_lines = [line for line in server.log().splitlines() if "ghost@example.com" in line]
    assert ghost_lines and all("unknown or inactive address" in line for line in ghost_lines)


def test_external_accounts_get_no_link(server):
    make_user(server, "ldapuser", email="ldap@example.com")
    set_user_extern(server, "ldapuser", "ldap")
    s = requests.Session()
    before = len(LINK.findall(server.log()))
    s.get(server.url + "/_admin/password_reset")
    post_form(s, server.url + "/_admin/password_reset", {"email": "ldap@example.com"})
    wait_until(lambda: "managed by an external" in server.log(), what="mail")
    assert len(LINK.findall(server.log())) == before


def reset_link(srv, email, session=None, headers=None):
    """Asks for a reset of `email` and returns the link of the mail written to the log."""
    before = request_reset(srv, email, session or requests.Session(), headers=headers)
    return wait_until(lambda: LINK.findall(srv.log())[before:], what="reset mail")[0]


def confirm_reset(srv, link, password, session):
    """Opens the link in `session` and sets `password` through its form; returns the answer."""
    form = session.get(link)
    assert form.status_code == 200, form.text[:500]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.text))
    data = {k: v for k, v in hidden.items()
            if k in ("email", "timestamp", "token", "_session_csrf_secret_token")}
    return session.post(srv.url + "/_admin/password_reset_confirmation",
                        data=dict(data, password=password, password_confirm=password),
                        allow_redirects=False)


def test_reset_link_ignores_the_host_header(server):
    make_user(server, "victim", password="victim-pass-1", email="victim@example.com")
    # The attacker asks for the victim's reset with a Host of their own.
    link = reset_link(server, "victim@example.com", headers={"Host": "evil.example"})
    assert "evil.example" not in server.log()
    assert link.startswith(server.url + "/_admin/password_reset_confirmation?")


def test_reset_link_requested_in_one_browser_works_in_another(server):
    make_user(server, "roamer", password="roamer-pass-1", email="roamer@example.com")
    browser_a, browser_b = requests.Session(), requests.Session()
    link = reset_link(server, "roamer@example.com", session=browser_a)
    r = confirm_reset(server, link, "roamer-pass-2", browser_b)
    assert r.status_code == 303 and r.headers["Location"].endswith("/_admin/login")
    assert logged_in(server, "roamer", "roamer-pass-2")


def test_attackers_reset_cookie_does_not_pair_with_the_victims_token(server):
    """The attacker's own reset request and the victim's link share nothing the attacker can
    use: a token is valid only for the account and time it was made for."""
    make_user(server, "target", password="target-pass-1", email="target@example.com")
    make_user(server, "mallory", password="mallory-pass-1", email="mallory@example.com")
    attacker = requests.Session()
    own = reset_link(server, "mallory@example.com", session=attacker)
    forged = own.replace("mallory%40example.com", "target%40example.com")
    assert attacker.get(forged).status_code == 400
    assert logged_in(server, "target", "target-pass-1")


def test_reset_token_dies_when_the_password_changes(server):
    make_user(server, "changer", password="changer-pass-1", email="changer@example.com")
    link = reset_link(server, "changer@example.com")
    assert requests.get(link).status_code == 200
    s = login(server.url, "changer", "changer-pass-1")
    page = s.get(server.url + "/_admin/my_account/password")
    r = s.post(server.url + "/_admin/my_account/password",
               data={"_session_csrf_secret_token": csrf_token(page.text),
                     "current_password": "changer-pass-1", "new_password": "changer-pass-2",
                     "new_password_confirmation": "changer-pass-2"}, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    assert requests.get(link).status_code == 400
    assert post_reset_confirmation(server, link) == 400
    assert logged_in(server, "changer", "changer-pass-2")


def post_reset_confirmation(srv, link):
    """POSTs a new password with link's email, timestamp and token, as the link's form would
    (with a valid CSRF token, so that only the reset token decides); returns the status code."""
    params = dict(re.findall(r"(\w+)=([^&]+)", link.split("?", 1)[1]))
    from urllib.parse import unquote
    session = requests.Session()
    r = post_form(session, srv.url + "/_admin/password_reset_confirmation",
                  {"email": unquote(params["email"]), "timestamp": params["timestamp"],
                   "token": params["token"], "password": "evil-pass-1",
                   "password_confirm": "evil-pass-1"},
                  form_url=srv.url + "/_admin/password_reset")
    return r.status_code


def test_no_mail_with_links_without_canonical_url(tmp_path):
    from conftest import Server, make_instance
    ini, port = make_instance(tmp_path)
    text = ini.read_text()
    assert re.search(r"^canonical_url = ", text, re.M)
    ini.write_text(re.sub(r"^canonical_url = .*$", "#canonical_url =", text, flags=re.M))
    srv = Server(tmp_path, ini, port).start()
    try:
        make_user(srv, "nolink", email="nolink@example.com")
        s = requests.Session()
        known = post_reset(srv, "nolink@example.com", s)
        unknown = post_reset(srv, "ghost@example.com", s)
        # The visitor gets the usual answer, and nothing tells known from unknown addresses.
        assert known.status_code == unknown.status_code == 303
        assert known.headers["Location"] == unknown.headers["Location"]
        wait_until(lambda: "canonical_url is not set" in srv.log(), what="log line for the admin")
        set_register(srv, "hg.register.auto_activate")
        assert register(srv).status_code == 303
        # The admin sees why on the pages.
        admin = login(srv.url, "admin", ADMIN_PASSWORD)
        assert 'data-notice="canonical-url-unset"' in admin.get(srv.url + "/_admin/users").text
        user = login(srv.url, "nolink", "secret-pass-1")
        assert 'data-notice="canonical-url-unset"' not in user.get(srv.url + "/").text
        log = srv.log()
        assert not LINK.findall(log) and "/_admin/password_reset_confirmation" not in log
        assert "New user registration: newbie" not in log
    finally:
        srv.stop()


class FakeSmtp:
    """A minimal SMTP server on a thread that records AUTH and the messages it receives.
    tls: None (plain), "ssl" (TLS from the first byte) or "starttls" (offered, then required
    before AUTH), with the certificate and key files in cert."""

    def __init__(self, tls=None, cert=None, port=0, stall=False):
        import socket
        import threading
        self.tls, self.cert, self.stall = tls, cert, stall
        self.auth_over_tls = []
        self.errors = []
        self.held = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.messages = []
        self.auth = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.stall:  # accepts and never answers: a black hole
                self.held.append(conn)
                continue
            try:
                self.session(conn)
            except Exception as e:  # a refused handshake, a closed connection
                self.errors.append(repr(e))
            conn.close()

    def wrap(self, conn):
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*self.cert)
        return context.wrap_socket(conn, server_side=True)

    def session(self, conn):
        import base64
        if self.tls == "ssl":
            conn = self.wrap(conn)
        state = {"conn": conn, "file": conn.makefile("rb"), "tls": self.tls == "ssl"}
        f = lambda: state["file"]
        send = lambda line: state["conn"].sendall(line.encode() + b"\r\n")
        send("220 fake ESMTP")
        rcpt, mail_from = [], None
        while True:
            line = f().readline().decode().rstrip("\r\n")
            if not line:
                break
            cmd = line.upper()
            if cmd.startswith("EHLO"):
                send("250-fake")
                if self.tls == "starttls" and not state["tls"]:
                    send("250-STARTTLS")
                send("250 AUTH LOGIN")
            elif cmd == "STARTTLS":
                send("220 go ahead")
                state["conn"] = self.wrap(state["conn"])
                state["file"] = state["conn"].makefile("rb")
                state["tls"] = True
            elif cmd == "AUTH LOGIN":
                self.auth_over_tls.append(state["tls"])
                send("334 VXNlcm5hbWU6")
                user = base64.b64decode(f().readline().strip()).decode()
                send("334 UGFzc3dvcmQ6")
                password = base64.b64decode(f().readline().strip()).decode()
                self.auth.append((user, password))
                send("235 ok")
            elif cmd.startswith("MAIL FROM:"):
                mail_from = line[10:]
                send("250 ok")
            elif cmd.startswith("RCPT TO:"):
                rcpt.append(line[8:])
                send("250 ok")
            elif cmd == "DATA":
                send("354 go")
                data = []
                while True:
                    l = f().readline().decode()
                    if l in (".\r\n", ""):
                        break
                    data.append(l[1:] if l.startswith("..") else l)
                self.messages.append((mail_from, rcpt, "".join(data)))
                send("250 queued")
            elif cmd == "QUIT":
                send("221 bye")
                break
            else:
                send("500 what")

    def close(self):
        self.sock.close()


def test_mail_goes_through_smtp(tmp_path):
    from conftest import Server, make_instance
    smtp = FakeSmtp()
    try:
        ini, port = make_instance(tmp_path, extra_config=[
            "smtp_server=127.0.0.1", f"smtp_port={smtp.port}", "smtp_username=mailer",
            "smtp_password=pw:1", "app_email_from=Kallithea <noreply@example.com>",
            "email_prefix=[Kallithea]"])
        srv = Server(tmp_path, ini, port).start()
        try:
            make_user(srv, "mailme", email="mailme@example.com")
            s = requests.Session()
            s.get(srv.url + "/_admin/password_reset")
            post_form(s, srv.url + "/_admin/password_reset", {"email": "mailme@example.com"})
            wait_until(lambda: smtp.messages, what="smtp message")
            mail_from, rcpt, data = smtp.messages[0]
            assert mail_from == "<noreply@example.com>"
            assert rcpt == ["<mailme@example.com>"]
            assert smtp.auth == [("mailer", "pw:1")]
            assert "Subject: [Kallithea] Password reset link" in data
            link = LINK.search(data).group(1)
            assert s.get(link).status_code == 200
        finally:
            srv.stop()
    finally:
        smtp.close()


@pytest.fixture(scope="module")
def smtp_cert(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (cert file, key file)."""
    d = tmp_path_factory.mktemp("smtp-tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return str(cert), str(key)


def reset_mail_through(tmp_path, smtp, tls_key, trusted_cert=None):
    """Asks for a password reset on a server configured for smtp; returns the server log."""
    from conftest import Server, make_instance
    ini, port = make_instance(tmp_path, extra_config=[
        "smtp_server=127.0.0.1", f"smtp_port={smtp.port}", "smtp_username=mailer",
        "smtp_password=pw:1", f"{tls_key}=true", "app_email_from=noreply@example.com"])
    old = os.environ.get("SSL_CERT_FILE")
    if trusted_cert:
        os.environ["SSL_CERT_FILE"] = trusted_cert
    else:
        os.environ.pop("SSL_CERT_FILE", None)
    try:
        srv = Server(tmp_path, ini, port).start()
    finally:
        if old is None:
            os.environ.pop("SSL_CERT_FILE", None)
        else:
            os.environ["SSL_CERT_FILE"] = old
    try:
        make_user(srv, "mailme", email="mailme@example.com")
        s = requests.Session()
        s.get(srv.url + "/_admin/password_reset")
        post_form(s, srv.url + "/_admin/password_reset", {"email": "mailme@example.com"})
        wait_until(lambda: smtp.messages or "not sent" in srv.log(), what="mail attempt")
        return srv.log()
    finally:
        srv.stop()


@pytest.mark.parametrize("mode,key", [("starttls", "smtp_use_tls"), ("ssl", "smtp_use_ssl")])
def test_mail_over_tls(tmp_path, smtp_cert, mode, key):
    smtp = FakeSmtp(tls=mode, cert=smtp_cert)
    try:
        reset_mail_through(tmp_path, smtp, key, trusted_cert=smtp_cert[0])
        assert len(smtp.messages) == 1, smtp.errors
        assert smtp.auth == [("mailer", "pw:1")]
        assert smtp.auth_over_tls == [True]  # credentials never cross in the clear
        assert "Password reset link" in smtp.messages[0][2]
    finally:
        smtp.close()


@pytest.mark.parametrize("mode,key", [("starttls", "smtp_use_tls"), ("ssl", "smtp_use_ssl")])
def test_mail_refuses_untrusted_certificate(tmp_path, smtp_cert, mode, key):
    smtp = FakeSmtp(tls=mode, cert=smtp_cert)
    try:
        log = reset_mail_through(tmp_path, smtp, key)
        assert smtp.messages == [] and smtp.auth == []
        assert "is not trusted" in log
    finally:
        smtp.close()


def smtp_instance(tmp_path, smtp_port, *extra):
    """An instance mailing through 127.0.0.1:smtp_port, retrying failed mails after 1 s."""
    from conftest import Server, make_instance
    ini, port = make_instance(tmp_path, extra_config=[
        "smtp_server=127.0.0.1", f"smtp_port={smtp_port}", "mail_retry_delay=1",
        "app_email_from=noreply@example.com", *extra])
    return Server(tmp_path, ini, port)


def queued_mails(srv):
    return srv.db().execute("SELECT count(*) FROM mail_queue").fetchone()[0]


def test_requests_do_not_wait_for_the_mail_server(tmp_path):
    """A mail server that accepts connections and never answers does not hold up the page."""
    smtp = FakeSmtp(stall=True)
    srv = smtp_instance(tmp_path, smtp.port).start()
    try:
        make_user(srv, "patient", email="patient@example.com")
        s = requests.Session()
        for email in ("patient@example.com", "ghost@example.com"):
            r = post_reset(srv, email, s, timeout=10)
            assert r.status_code == 303
        wait_until(lambda: smtp.held, what="the sender to connect")
    finally:
        srv.stop()
        smtp.close()


def test_mail_is_retried_until_the_server_is_up(tmp_path):
    from conftest import free_port
    smtp_port = free_port()  # nothing listens there yet
    srv = smtp_instance(tmp_path, smtp_port).start()
    smtp = None
    try:
        make_user(srv, "retry", email="retry@example.com")
        s = requests.Session()
        assert post_reset(srv, "retry@example.com", s).status_code == 303
        wait_until(lambda: "not sent (attempt 1" in srv.log(), what="a failed attempt")
        assert queued_mails(srv) == 1
        smtp = FakeSmtp(port=smtp_port)
        wait_until(lambda: smtp.messages, what="the retried mail")
        assert smtp.messages[0][1] == ["<retry@example.com>"]
        link = LINK.search(smtp.messages[0][2]).group(1)
        assert requests.get(link).status_code == 200
        wait_until(lambda: queued_mails(srv) == 0, what="the sent mail to leave the queue")
    finally:
        srv.stop()
        if smtp:
            smtp.close()


def test_queued_mail_survives_a_restart(tmp_path):
    from conftest import free_port
    smtp_port = free_port()
    srv = smtp_instance(tmp_path, smtp_port, "mail_retry_delay=3600").start()
    smtp = None
    try:
        make_user(srv, "patient", email="patient@example.com")
        set_register(srv, "hg.register.manual_activate")
        assert post_reset(srv, "patient@example.com", requests.Session()).status_code == 303
        assert register(srv).status_code == 303
        wait_until(lambda: srv.log().count("not sent (attempt 1") >= 2, what="failed attempts")
        assert srv.stop() == 0
        assert queued_mails(srv) == 2
        smtp = FakeSmtp(port=smtp_port)
        srv.start()  # the pending mails are sent by the next run
        wait_until(lambda: len(smtp.messages) == 2, what="both mails after the restart")
        subjects = sorted(m[2].split("Subject: ")[1].split("\r\n")[0] for m in smtp.messages)
        assert subjects == ["New user registration: newbie", "Password reset link"]
        wait_until(lambda: queued_mails(srv) == 0, what="the queue to empty")
    finally:
        srv.stop()
        if smtp:
            smtp.close()
