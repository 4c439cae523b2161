"""The ``vanban`` command: one entry point, one module per group of subcommands.

Each module named in ``COMMAND_MODULES`` exposes ``register(subparsers)``, which adds
its sub-parser(s) and sets ``func`` (called with the parsed namespace, returning the
exit code). Commands that need Django call :func:`vanban.cli.django_setup.setup`
themselves, so ``vanban edxml ...`` and the other pure-library commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from vanban import __version__

__all__ = ["main", "build_parser", "CommandError"]

# Order is the order shown by ``vanban --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "vanban.cli.server",
    "vanban.cli.directory_cmd",
    "vanban.cli.audit_cmd",
    "vanban.cli.edxml_cmd",
    "vanban.cli.pki_cmd",
    "vanban.cli.sign_cmd",
    "vanban.cli.hub_cmd",
    "vanban.cli.registry_cmd",
)


class CommandError(Exception):
    """A failure the CLI reports as one line; ``exit_code`` is the process exit status."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanban",
        description="vanban: electronic official documents for Vietnamese state agencies.",
    )
    parser.add_argument("--version", action="version", version=f"vanban {__version__}")
    parser.add_argument("--verbose", action="store_true", help="show full tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # the command module is not written yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        code = func(args)
    except CommandError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"vanban: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
