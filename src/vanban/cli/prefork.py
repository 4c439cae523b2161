"""Several server processes on one listening socket (``vanban serve --processes N``).

Python runs one thread at a time in a process, so a server that is busy with CPU work (a
hub checking signatures for hundreds of packages a second) uses more than one core only
with more processes. The parent binds the socket, forks N children that each run a
waitress server with its own threads on that socket (the kernel hands each connection to
one of them), restarts a child that dies, and stops them all on Ctrl-C or SIGTERM.

Each child listens on its own socket bound to the same port with ``SO_REUSEPORT``, so the
kernel spreads new connections over the children; with one shared socket, the child that
woke first took every connection of a few busy clients. The parent keeps a bound socket
that does not listen: it holds the port (also when port 0 chose it) and takes no
connections.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import socket
import sys
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

__all__ = ["listen", "run"]


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def listen(host: str, port: int) -> socket.socket:
    """The parent's socket: bound (port 0: any free port), not listening."""
    return _socket(host, port)


def _child(sock: socket.socket, threads: int, ready_fd: int) -> None:
    from vanban.cli import httpserver
    from vanban.wsgi import application

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    host, port = sock.getsockname()[:2]
    own = _socket(host, port)
    own.listen(1024)
    server = httpserver.create(application, sockets=[own], threads=threads)
    os.write(ready_fd, b".")  # listening: the parent may announce the address
    os.close(ready_fd)
    try:
        server.run()
    finally:
        server.close()


def _fork(sock: socket.socket, threads: int, ready_fd: int) -> int:
    pid = os.fork()
    if pid == 0:  # the child never returns
        code = 0
        try:
            _child(sock, threads, ready_fd)
        except BaseException:  # noqa: BLE001 - report and leave; the parent restarts us
            logger.exception("server process failed")
            code = 1
        finally:
            sys.stdout.flush()
            os._exit(code)
    return pid


def run(
    sock: socket.socket,
    processes: int,
    threads: int,
    before_fork: Callable[[], None],
    on_started: Callable[[], None] = lambda: None,
) -> None:
    """Serve with ``processes`` children until interrupted; restart any child that exits."""
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    before_fork()  # e.g. close database connections: a child must open its own
    ready_r, ready_w = os.pipe()
    children = {_fork(sock, threads, ready_w) for _ in range(processes)}
    started = b""
    deadline = time.monotonic() + 60
    while len(started) < processes and time.monotonic() < deadline:
        if select.select([ready_r], [], [], 1.0)[0]:
            started += os.read(ready_r, processes - len(started))
    on_started()
    while not stopping:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            pid = 0
        if pid and pid in children:
            children.discard(pid)
            if not stopping:
                logger.warning("server process %s ended (status %s): starting another", pid, status)
                children.add(_fork(sock, threads, ready_w))
        else:
            time.sleep(0.2)
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 20
    while children and time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid:
            children.discard(pid)
        else:
            time.sleep(0.1)
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    sock.close()
