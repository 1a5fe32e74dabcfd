"""Limits that protect the server from slow or oversized requests."""

import socket
import ssl
import time


def test_oversized_request_body_is_refused(coffer):
    response = coffer.raw("Encrypt", b"{" + b" " * (2 << 20) + b"}")
    assert response.status_code == 413
    assert response.json()["__type"] == "RequestEntityTooLargeException"


def open_tls(server):
    context = ssl.create_default_context(cafile=server.ca)
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return context.wrap_socket(raw, server_hostname="localhost")


def test_a_request_that_trickles_in_is_cut_off(server_factory):
    srv = server_factory.new(name="slow", extra_args=["--request-timeout", "2"])
    conn = open_tls(srv)
    conn.sendall(
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"X-Amz-Target: TrentService.ListKeys\r\nContent-Length: 100\r\n\r\n{"
    )
    started = time.monotonic()
    closed_after = None
    # One byte a second keeps the connection from ever being idle; the request deadline must fire.
    while time.monotonic() - started < 8:
        try:
            conn.sendall(b" ")
            conn.settimeout(1.0)
            if conn.recv(1024) == b"":
                closed_after = time.monotonic() - started
                break
        except socket.timeout:
            continue
        except (ConnectionError, ssl.SSLError, OSError):
            closed_after = time.monotonic() - started
            break
    conn.close()
    assert closed_after is not None, "the server kept a trickling request open past its deadline"
    assert 1.5 <= closed_after <= 5, closed_after
    # The server itself is fine.
    assert srv.client().list_keys()["Keys"] == []


def test_a_prompt_request_is_not_affected_by_the_deadline(server_factory):
    srv = server_factory.new(name="prompt", extra_args=["--request-timeout", "2"])
    kms = srv.client()
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    time.sleep(2.5)  # longer than the deadline, between requests on a kept-alive connection
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyId"] == key
