"""A TCP proxy that can misbehave on purpose (tests/faults; not used by the app).

Put it between processes and a server (the hub's HTTP port, PostgreSQL) and switch it, while
they run, between:

- ``pass``: bytes both ways, unchanged;
- ``cut``: every open connection is closed at once and new ones are accepted and closed
  (the peer sees "connection reset" / "server closed the connection unexpectedly");
- ``slow``: each new connection, and each request on one already open, waits ``delay``
  seconds before it goes on;
- ``error500``: each request, on a new connection or one already open (kept alive), gets
  ``HTTP/1.1 500``, then its connection is closed.

:attr:`FaultProxy.counts` says how many connections (and, for ``slow`` and ``error500``,
requests on open connections) each mode met: the retries the tests print. Threads only; stop with :meth:`close`.
"""

from __future__ import annotations

import collections
import socket
import threading
import time

__all__ = ["FaultProxy"]


def _answer_500() -> bytes:
    body = "lỗi máy chủ (thử nghiệm)".encode()
    head = (
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


class FaultProxy:
    """Listen on 127.0.0.1:``port`` (0: any free port) and forward to ``target``."""

    def __init__(self, target_host: str, target_port: int, port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.mode = "pass"
        self.delay = 0.0
        self.counts: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closed = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, name=f"faultproxy-{self.port}", daemon=True).start()

    # -- switching ----------------------------------------------------------------------

    def set(self, mode: str, delay: float = 0.0) -> None:
        if mode not in ("pass", "cut", "slow", "error500"):
            raise ValueError(mode)
        self.mode, self.delay = mode, delay
        if mode == "cut":
            self.cut_open()

    def cut_open(self) -> int:
        """Close every connection in flight; returns how many."""
        with self._lock:
            socks, self._open = list(self._open), set()
        for s in socks:
            _close(s)
        return len(socks) // 2

    def close(self) -> None:
        self._closed.set()
        _close(self._listener)
        self.cut_open()

    # -- work ---------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            mode, delay = self.mode, self.delay
            self.counts[mode] += 1
            threading.Thread(target=self._serve, args=(client, mode, delay), daemon=True).start()

    def _serve(self, client: socket.socket, mode: str, delay: float) -> None:
        if mode == "cut":
            _close(client)
            return
        if mode == "error500":
            self._answer_500(client, b"")
            return
        if mode == "slow" and delay > 0:
            time.sleep(delay)
        try:
            upstream = socket.create_connection(self.target, timeout=10)
        except OSError:
            _close(client)
            return
        upstream.settimeout(None)
        client.settimeout(None)
        with self._lock:
            self._open.update((client, upstream))
        threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()
        self._pump(client, upstream, True)

    def _answer_500(self, client: socket.socket, seen: bytes) -> None:
        """Read the request's head, answer 500 and close (the connection is not kept)."""
        client.settimeout(10)
        try:
            while b"\r\n\r\n" not in seen and len(seen) < 65536:
                chunk = client.recv(65536)
                if not chunk:
                    break
                seen += chunk
            client.sendall(_answer_500())
        except OSError:
            pass
        _close(client)

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        """Copy ``src`` to ``dst``; what a client sends meets the mode of the moment, so a
        kept-alive connection (the office's HTTP pool) is slowed or answered 500 too."""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client and self.mode == "slow" and self.delay > 0:
                    self.counts["slow"] += 1
                    time.sleep(self.delay)
                if from_client and self.mode == "error500":
                    self.counts["error500"] += 1
                    with self._lock:
                        self._open.discard(src)
                        self._open.discard(dst)
                    _close(dst)
                    self._answer_500(src, data)
                    return
                dst.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._open.discard(src)
            self._open.discard(dst)
        _close(src)
        _close(dst)


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass
