"""Bad input, unexpected errors and graceful shutdown against the real server."""
import re
import signal
import socket
import threading
import time

import requests

from conftest import Server, make_instance, port_open, wait_until


def raw(port, data, timeout=10):
    """Sends raw bytes; returns the status code of the reply (or None when closed silently)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        reply = b""
        try:
            while b"\r\n" not in reply:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    m = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    return int(m.group(1)) if m else None


def still_serving(srv):
    assert requests.get(srv.url + "/_admin/login", timeout=10).status_code == 200


def test_malformed_request_line(server):
    assert raw(server.port, b"GARBAGE\r\n\r\n") == 400
    assert raw(server.port, b"GET\r\n\r\n") == 400
    still_serving(server)


def test_oversized_headers(server):
    big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (200 * 1024) + b"\r\n\r\n"
    assert raw(server.port, big) == 431
    still_serving(server)


def test_unknown_and_unrouted_methods(server):
    for method in (b"PUT", b"DELETE", b"PATCH", b"FOO"):
        assert raw(server.port, method + b" / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n") \
            == 405, method
    still_serving(server)


def test_path_traversal_is_rejected(server):
    for path in (b"/../etc/passwd", b"/%2e%2e/etc/passwd", b"/_static/../../x",
                 b"/_static/%2e%2e/%2e%2e/x", b"/a/%2E%2E/b"):
        status = raw(server.port, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 400, (path, status)
    still_serving(server)


def test_invalid_utf8_in_path(server):
    assert raw(server.port, b"GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n") == 400
    assert raw(server.port, b"GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n") == 400
    still_serving(server)


def test_unknown_page_is_404(server):
    r = requests.get(server.url + "/_admin/no-such-page")
    assert r.status_code == 404
    assert "404" in r.text


def test_too_large_form_body(server):
    r = requests.post(server.url + "/_admin/login", data={"username": "x" * (5 * 1024 * 1024)})
    assert r.status_code == 413
    still_serving(server)


def test_throwing_handler_gives_500_with_request_id_and_logs_throw_site(server):
    r = requests.get(server.url + "/_admin/_test/throw")
    assert r.status_code == 500
    request_id = r.headers["X-Request-Id"]
    assert request_id and request_id in r.text
    wait_until(lambda: "deliberately_failing_test_handler" in server.log(), timeout=10,
               what="stack trace in the log")
    log = server.log()
    assert request_id in log
    still_serving(server)


def test_sigterm_lets_a_streaming_response_finish(tmp_path):
    ini, port = make_instance(tmp_path)
    srv = Server(tmp_path, ini, port).start()
    received = {}

    def download():
        with requests.get(srv.url + "/_admin/_test/stream?mb=48&delay_ms=25", stream=True,
                          timeout=60) as r:
            total = 0
            for chunk in r.iter_content(1 << 16):
                total += len(chunk)
                received["started"] = True
            received["total"] = total
            received["expected"] = int(r.headers["Content-Length"])

    t = threading.Thread(target=download)
    t.start()
    wait_until(lambda: received.get("started"), what="download to start")
    srv.proc.send_signal(signal.SIGTERM)
    # new connections are refused while the response drains
    wait_until(lambda: not port_open(port), timeout=10, what="listener to close")
    t.join(60)
    assert received["total"] == received["expected"] == 48 << 20
    srv.proc.wait(timeout=30)
    assert srv.proc.returncode == 0
    srv.log_file.close()


def test_crash_prints_a_stack_trace(tmp_path):
    ini, port = make_instance(tmp_path)
    srv = Server(tmp_path, ini, port).start()
    try:
        requests.get(srv.url + "/_admin/_test/abort", timeout=120)
    except requests.exceptions.RequestException:
        pass  # the process died mid-request, as intended
    srv.proc.wait(timeout=180)  # symbolising the trace of a sanitizer build can be slow
    srv.log_file.close()
    assert srv.proc.returncode != 0
    log = srv.log()
    # backward-cpp prints the oldest frame first; under the sanitizers the symbolised trace is
    # sometimes cut short before the crashing frame (see the closing note), so the test asks
    # for the trace itself.
    assert "Stack trace (most recent call last)" in log, log[-3000:]
