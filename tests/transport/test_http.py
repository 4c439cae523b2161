"""vanban.transport.http against a real HTTP/1.1 server on loopback: connections are kept
between requests, a connection the server closed is replaced, no answer is an error."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest

from vanban.transport import http as client


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    peers: list[int] = []
    close_after: bool = False

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.peers.append(self.client_address[1])
        answer = b'{"got": %d, "auth": "%s"}' % (len(body), self.headers["Authorization"].encode())
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        if self.close_after:  # as a server's idle timeout does, without telling the client
            self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    handler = type("Handler", (_Handler,), {"peers": [], "close_after": False})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv, handler
    client.close_connections()
    srv.shutdown()
    srv.server_close()


def _post(srv, data=b"<edXML/>"):
    return client.request("POST", f"http://127.0.0.1:{srv.server_address[1]}/hub/v1/packages", token="t.s", data=data)


def test_requests_in_a_row_share_one_connection(server):
    srv, handler = server
    answers = [_post(srv, b"x" * n) for n in (10, 20, 30)]
    assert [a.json()["got"] for a in answers] == [10, 20, 30]
    assert answers[0].status == 202 and answers[0].json()["auth"] == "Bearer t.s"
    assert len(set(handler.peers)) == 1


def test_a_connection_the_server_closed_is_replaced_and_the_request_sent_again(server):
    srv, handler = server
    handler.close_after = True
    assert [_post(srv).status for _ in range(3)] == [202, 202, 202]
    assert len(handler.peers) == 3 and len(set(handler.peers)) == 3


def test_no_server_is_a_transport_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(client.TransportError):
            client.request("GET", f"http://127.0.0.1:{port}/hub/v1/inbox", token="t.s")
