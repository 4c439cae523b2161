"""The ``vanban`` command: one entry point, one module per group of subcommands.

Each module named in ``COMMAND_MODULES`` exposes ``register(subparsers)``, which adds
its sub-parser(s) and sets ``func`` (called with the parsed namespace, returning the
exit code). Commands that need Django call :func:`vanban.cli.django_setup.setup`
themselves, so ``vanban edxml ...`` and the other pure-library commands start fast.

Errors are turned into messages and exit codes here, in :func:`main`, and nowhere else:
a :class:`vanban.errors.DomainError` prints one line ``Lỗi: <message> [<code>]`` on stderr,
a :class:`CommandError` (bad usage, a file that does not exist) ``vanban: <message>``;
the traceback only with ``--verbose``. The process umask is 077: what the system writes
(the database, key files, stored files, folders) is readable by its own user only. Exit codes:

* 0: success;
* 1: the operation was refused or failed (an invalid package, rows refused, not found...);
* 2: bad usage, or what was given cannot be used at all (an unreadable or hostile file,
  a bad key file);
* 3: a service is unavailable: trying again later may help (``retryable``);
* 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from vanban import __version__
from vanban.errors import DomainError

__all__ = [
    "main",
    "build_parser",
    "exit_code_for",
    "help_command",
    "CommandError",
    "EXIT_FAILED",
    "EXIT_INPUT",
    "EXIT_RETRY",
]

EXIT_FAILED = 1
EXIT_INPUT = 2
EXIT_RETRY = 3
EXIT_INTERRUPTED = 130
PRIVATE_UMASK = 0o077

# Order is the order shown by ``vanban --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "vanban.cli.server",
    "vanban.cli.directory_cmd",
    "vanban.cli.audit_cmd",
    "vanban.cli.edxml_cmd",
    "vanban.cli.pki_cmd",
    "vanban.cli.sign_cmd",
    "vanban.cli.hub_cmd",
    "vanban.cli.search_cmd",
    "vanban.cli.records_cmd",
    "vanban.cli.ocr_cmd",
    "vanban.cli.backup_cmd",
    "vanban.cli.storage_cmd",
    "vanban.cli.keys_cmd",
    "vanban.cli.signagent_cmd",
    "vanban.cli.report_cmd",
)


class CommandError(Exception):
    """A failure the CLI reports as one line; ``exit_code`` is the process exit status."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def help_command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """A command function for a group given no sub-command: print its help, exit 2."""

    def run(args: argparse.Namespace) -> int:
        parser.print_help()
        return EXIT_INPUT

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanban",
        description="vanban: electronic official documents for Vietnamese state agencies.",
    )
    parser.add_argument("--version", action="version", version=f"vanban {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show full tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def exit_code_for(exc: DomainError) -> int:
    """The exit status for a domain error (see the module docstring)."""
    if exc.retryable:
        return EXIT_RETRY
    # imported here: only a failing command pays for loading these libraries
    from vanban.edxml.errors import EdxmlError
    from vanban.signing.errors import SigningError

    if isinstance(exc, EdxmlError | SigningError):  # the file or key given cannot be used
        return EXIT_INPUT
    return EXIT_FAILED


def error_line(exc: DomainError) -> str:
    """``Lỗi: <message> [<code>]``; further lines of a long message follow, indented."""
    first, *rest = exc.summary_vi().splitlines() or [""]
    return "\n".join([f"Lỗi: {first} [{exc.code}]", *(f"  {line}" for line in rest)])


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)  # every file and folder written from here on is the user's own
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        code = func(args)
    except CommandError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"vanban: {exc}", file=sys.stderr)
        return exc.exit_code
    except DomainError as exc:
        if args.verbose:
            traceback.print_exc()
        print(error_line(exc), file=sys.stderr)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
