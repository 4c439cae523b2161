"""``vanban demo``, ``vanban serve`` and ``vanban worker``: the processes of a deployment.

``serve`` runs the WSGI application under waitress (a production server, not Django's
development server); ``worker`` runs the background task worker (django-tasks database
backend); ``demo`` does both in one process on the embedded default (SQLite under
./var), after migrating and seeding the demo province.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from vanban.cli import CommandError, django_setup

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# How often an idle worker looks for tasks: an issued document waits for it to be sent.
WORKER_INTERVAL = 0.25


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="run the demo: SQLite under ./var, demo province seeded, web server and worker in one process",
    )
    demo.add_argument("--host", default=DEFAULT_HOST)
    demo.add_argument("--port", type=int, default=DEFAULT_PORT)
    demo.add_argument("--seed-only", action="store_true", help="migrate and seed, then exit")
    demo.set_defaults(func=run_demo)

    serve = subparsers.add_parser("serve", help="serve the web pages and API with waitress")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--threads", type=int, default=8, help="threads of each server process (default 8)")
    serve.add_argument(
        "--processes", type=int, default=1, help="server processes sharing the port, to use several cores (default 1)"
    )
    serve.add_argument("--migrate", action="store_true", help="apply migrations first")
    serve.add_argument(
        "--role",
        choices=["office", "hub", "all"],
        default=None,
        help="serve the office pages, the hub API, or both (default: $VANBAN_ROLE or all)",
    )
    serve.add_argument(
        "--sandbox",
        action="store_true",
        help="hub: the VDXP conformance sandbox (test systems accepted, every request recorded; docs/vdxp.md)",
    )
    serve.set_defaults(func=run_serve)

    worker = subparsers.add_parser("worker", help="run the background task worker")
    worker.add_argument("--batch", action="store_true", help="run the waiting tasks, then exit")
    worker.add_argument(
        "--interval", type=float, default=WORKER_INTERVAL, help=f"seconds between polls (default {WORKER_INTERVAL:g})"
    )
    worker.add_argument("--queue", action="append", default=None, help="queue name(s); default all")
    worker.set_defaults(func=run_worker)


def _make_worker(batch: bool, interval: float, queues: list[str] | None, exclude: tuple[str, ...] = ()):
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=queues or ["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"vanban-{os.getpid()}-{get_random_string(6)}",
        excluded_queue_names=list(exclude),
    )


def run_worker(args: argparse.Namespace) -> int:
    django_setup.setup()
    from vanban.connector.listener import Listeners
    from vanban.periodic import PeriodicScheduler

    worker = _make_worker(args.batch, args.interval, args.queue)
    worker.configure_signals()
    scheduler = listeners = None
    if not args.batch:
        scheduler, listeners = PeriodicScheduler(), Listeners()
        scheduler.start()
        listeners.start()  # long-polls each hub account (VANBAN_CONNECTOR_LONG_POLL)
    try:
        run_until_stopped(worker)
    finally:
        if scheduler is not None:
            scheduler.stop()
        if listeners is not None:
            listeners.stop()
    return 0


def run_until_stopped(worker, first_pause: float = 0.5, longest_pause: float = 10.0) -> None:
    """Run the task worker; when its database goes away (connection cut, server restarted:
    ``OperationalError``/``InterfaceError``) wait, doubling the pause, reconnect and go on
    instead of dying. A task cut short that way stays claimed; the periodic tasks (pull,
    flush, sync) are idempotent and do its work again at their next run."""
    import logging
    import time

    from django.db import InterfaceError, OperationalError, close_old_connections

    log = logging.getLogger("vanban.worker")
    pause = first_pause
    while worker.running:
        try:
            worker.run()
            return
        except (OperationalError, InterfaceError) as exc:
            log.warning("worker: database unavailable (%s); retrying in %.1f s", exc, pause)
            worker.running_task = False
            time.sleep(pause)
            pause = min(longest_pause, pause * 2)
            try:
                close_old_connections()
            except (OperationalError, InterfaceError):  # closing a dead connection
                pass


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop_on_signals(signums) -> None:
    """Make each signal raise KeyboardInterrupt in the main thread, whatever its disposition
    was: a process started in the background by a shell inherits SIGINT ignored, and Python
    then leaves it ignored, so Ctrl-C would not stop it."""
    for signum in signums:
        signal.signal(signum, _raise_keyboard_interrupt)


def _threads(threads: int) -> int:
    """A hub's server gets one more thread per inbox request that may wait (long polling)."""
    from django.conf import settings

    from vanban.exchange import conf

    if settings.VANBAN_ROLE == "office" or conf.max_wait() <= 0:
        return threads
    return threads + conf.waiters()


def _serve_until_interrupted(host: str, port: int, threads: int, on_ready=None) -> None:
    from vanban.cli import httpserver
    from vanban.wsgi import application

    server = httpserver.create(application, host=host, port=port, threads=threads)
    stopping = _release_waiting_requests()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: (stopping(), _raise_keyboard_interrupt(signum, frame)))
    if on_ready:
        on_ready(server)
    try:
        server.run()  # waitress stops its threads itself on KeyboardInterrupt (up to 5 s each)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _release_waiting_requests():
    """What a stop signal does before waitress waits for its threads: a hub's long polls in
    progress answer at once, so stopping does not wait for them (nothing for an office)."""
    from django.conf import settings

    if settings.VANBAN_ROLE == "office":
        return lambda: None
    from vanban.exchange.wakeup import release_all

    return release_all


def run_serve(args: argparse.Namespace) -> int:
    if args.role:
        os.environ["VANBAN_ROLE"] = args.role
    if args.sandbox:
        if (args.role or os.environ.get("VANBAN_ROLE", "all")) == "office":
            raise CommandError("--sandbox chỉ dùng cho trục (--role hub).", 2)
        os.environ["VANBAN_HUB_SANDBOX"] = "1"
    django_setup.setup()
    if args.migrate:
        django_setup.migrate()
    from django.conf import settings

    def ready(port: int) -> None:
        print(
            f"vanban ({settings.VANBAN_ROLE}) đang phục vụ tại http://{args.host}:{port}/ (Ctrl-C để dừng)", flush=True
        )

    threads = _threads(args.threads)
    if args.processes > 1:
        from django.db import connections

        from vanban.cli import prefork

        sock = prefork.listen(args.host, args.port)
        print(f"{args.processes} tiến trình phục vụ, mỗi tiến trình {threads} luồng", flush=True)

        def before_fork() -> None:
            # Load the application and every URL module once, before the children share
            # them (copy on write); a child must open its own database connections.
            from django.urls import get_resolver

            import vanban.wsgi  # noqa: F401

            get_resolver().url_patterns  # noqa: B018
            connections.close_all()

        prefork.run(
            sock, args.processes, threads, before_fork=before_fork, on_started=lambda: ready(sock.getsockname()[1])
        )
        return 0
    _serve_until_interrupted(args.host, args.port, threads, on_ready=lambda server: ready(server.effective_port))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    # Ctrl-C (SIGINT) and SIGTERM stop the demo at any stage, even when it was started with
    # SIGINT ignored; while it stops, a second signal does not cut the worker's shutdown short.
    _stop_on_signals([signal.SIGINT, signal.SIGTERM])
    try:
        return _run_demo(args)
    except KeyboardInterrupt:
        print("Đã dừng bản demo.", flush=True)
        return 0


def _run_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("VANBAN_VAR_DIR", "var")
    django_setup.setup()
    from django.conf import settings

    settings.FILES_DIR.mkdir(parents=True, exist_ok=True)
    django_setup.migrate()
    from vanban.demo import seed_demo

    logins = seed_demo()
    from vanban.scanning.consume import prepare_folders

    prepare_folders()  # the scanners' folders, one per agency (docs/digitizing.md)
    if args.seed_only:
        _print_logins(logins, None)
        return 0
    from vanban.connector.listener import Listeners
    from vanban.periodic import PeriodicScheduler
    from vanban.scanning.tasks import QUEUE as SCANNING_QUEUE

    # digitizing takes seconds a page: its own worker thread, so the hub's work never waits for OCR
    worker = _make_worker(batch=False, interval=WORKER_INTERVAL, queues=None, exclude=(SCANNING_QUEUE,))
    ocr_worker = _make_worker(batch=False, interval=WORKER_INTERVAL, queues=[SCANNING_QUEUE])
    thread = threading.Thread(target=worker.run, name="vanban-worker", daemon=True)
    ocr_thread = threading.Thread(target=ocr_worker.run, name="vanban-ocr-worker", daemon=True)
    scheduler, listeners = PeriodicScheduler(), Listeners()

    def ready(server):
        # the port is known (and bound) now: point the offices at it, then start the work
        from vanban.demo.hub import point_accounts_to

        point_accounts_to(f"http://127.0.0.1:{server.effective_port}/hub/v1/")
        thread.start()
        ocr_thread.start()
        scheduler.start()
        listeners.start()
        _print_logins(logins, f"http://{args.host}:{server.effective_port}/")

    try:
        _serve_until_interrupted(args.host, args.port, _threads(8), on_ready=ready)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        scheduler.stop()
        listeners.stop()
        worker.running = ocr_worker.running = False
        for t in (thread, ocr_thread):
            if t.is_alive():
                t.join(timeout=5)
    print("Đã dừng bản demo. Dữ liệu vẫn được giữ trong ./var.", flush=True)
    return 0


def _print_logins(logins, url: str | None) -> None:
    out = sys.stdout
    if url:
        out.write(f"\nvanban demo đang chạy tại {url}\n")
    out.write(f"Tài khoản demo (mật khẩu chung: {logins.password}):\n")
    for row in logins.rows:
        out.write(f"  {row.username:<22} {row.role:<18} {row.full_name} – {row.agency}\n")
    if url:
        out.write("Nhấn Ctrl-C để dừng.\n")
    out.flush()
