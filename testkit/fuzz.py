"""Coverage-guided fuzzing (atheris, libFuzzer) of the readers of untrusted bytes (issue 19):
the edXML reader, the e-mail reader and the PDF intake of digitization.

Each target is a plain function of ``bytes`` that calls the real entry point and lets only
the project's :class:`~vanban.errors.DomainError` pass: a refusal with a code and a
Vietnamese message is the right answer to hostile input, any other exception is a crash.
The seeds are the shared hostile corpus (:mod:`testkit.hostile`) and, when present, the
interop samples (``VANBAN_FUZZ_INTEROP``, default ``../shared/interop``). Crashes are
written to ``tests/fuzz_regressions/<target>/``, which the tests replay.

    python -m testkit.fuzz edxml --runs 100000 --max-len 65536 --seconds 300
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from vanban.errors import DomainError

__all__ = ["REGRESSIONS", "TARGETS", "replay", "seeds", "target_edxml", "target_email", "target_pdf_intake"]

REGRESSIONS = Path(__file__).resolve().parent.parent / "tests" / "fuzz_regressions"
"""Where crashes are kept, one folder per target, replayed by tests/test_fuzz_targets.py."""

_INTEROP_DEFAULT = "../shared/interop"


def target_edxml(data: bytes) -> None:
    """The edXML reader as the hub and the connector use it: parse, validate, decode."""
    from vanban.edxml import check, parse

    try:
        parse(data)
    except DomainError:
        pass
    try:
        check(data, decode_attachments=True)
    except DomainError:
        pass


def _django() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanban.settings")
        django.setup()


def target_email(data: bytes) -> None:
    """The e-mail reader of the clerk's ``.eml`` upload (the pipeline's parse step)."""
    _django()
    from vanban.arrival import Arrival
    from vanban.registry.arrival import EMAIL_PIPELINE

    parse = dict(EMAIL_PIPELINE.steps)["parse"]
    try:
        parse(Arrival("email", data))
    except DomainError:
        pass


def target_pdf_intake(data: bytes) -> None:
    """The intake of digitization: what a scan or PDF is, and the text layer of its pages."""
    from vanban.digitize.intake import examine, pdf_text_pages
    from vanban.digitize.model import DigitizeOptions

    try:
        intake = examine(data, DigitizeOptions())
    except DomainError:
        return
    if intake.media_type == "application/pdf":
        pdf_text_pages(intake.pdf)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "edxml": target_edxml,
    "email": target_email,
    "pdf_intake": target_pdf_intake,
}


def resolve(name: str) -> Callable[[bytes], None]:
    """A target by its name, or any function as ``module:function`` (the harness's own test)."""
    if name in TARGETS:
        return TARGETS[name]
    module, _, function = name.partition(":")
    if not function:
        raise SystemExit(f"unknown target {name!r}: one of {', '.join(TARGETS)} or module:function")
    target: Callable[[bytes], None] = getattr(importlib.import_module(module), function)
    return target


def replay(name: str, data: bytes) -> None:
    """Run one input through a target; raises whatever the target does not swallow."""
    resolve(name)(data)


def _plain_pdf() -> bytes:
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def seeds(name: str) -> list[bytes]:
    """The starting inputs of a target: the hostile corpus, the interop samples if present,
    and the regressions already kept."""
    from testkit import hostile

    if name == "edxml":
        found = [case.data for case in hostile.xml_documents()]
    elif name == "email":
        found = [case.data for case in hostile.emails()]
    elif name == "pdf_intake":
        plain = _plain_pdf()
        found = [plain, *(case.data for case in hostile.pdfs(plain))]
    else:
        found = [b""]
    interop = Path(os.environ.get("VANBAN_FUZZ_INTEROP", _INTEROP_DEFAULT))
    if name == "edxml" and interop.is_dir():
        found += [path.read_bytes() for path in sorted(interop.rglob("*.edxml"))]
    kept = REGRESSIONS / name
    if kept.is_dir():
        found += [path.read_bytes() for path in sorted(kept.glob("[!.]*")) if path.is_file()]
    return found


def _exception(spec: str) -> type[BaseException]:
    module, _, name = spec.partition(":")
    found: type[BaseException] = getattr(importlib.import_module(module), name)
    return found


def _tolerating(target: Callable[[bytes], None], known: list[type[BaseException]]) -> Callable[[bytes], None]:
    if not known:
        return target

    def run(data: bytes) -> None:
        try:
            target(data)
        except tuple(known):
            pass

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("target", help=f"{', '.join(TARGETS)} or module:function")
    parser.add_argument("--runs", type=int, default=10_000, help="inputs to try (-1: no bound)")
    parser.add_argument("--max-len", type=int, default=65_536, help="largest input, in bytes")
    parser.add_argument("--seconds", type=int, default=60, help="stop after this long")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="libFuzzer's random seed: the same seed tries the same inputs (0: a new one)",
    )
    parser.add_argument("--crash-dir", type=Path, help="where crashes go (default tests/fuzz_regressions/TARGET)")
    parser.add_argument("--max-seed-bytes", type=int, default=4 << 20, help="seeds larger than this are left out")
    parser.add_argument(
        "--tolerate",
        action="append",
        default=[],
        metavar="MODULE:EXCEPTION",
        help="an exception of a known defect being fixed elsewhere, not reported again (local runs only)",
    )
    args = parser.parse_args(argv)

    import atheris

    with atheris.instrument_imports(include=["vanban"]):
        if args.target == "email" or ":" in args.target:
            _django()
        import vanban.digitize.intake  # noqa: F401
        import vanban.edxml  # noqa: F401

        if args.target == "email":
            import vanban.registry.arrival  # noqa: F401
    target = _tolerating(resolve(args.target), [_exception(spec) for spec in args.tolerate])
    label = args.target.replace(":", "_").replace(".", "_")
    crash_dir: Path = args.crash_dir or REGRESSIONS / label
    crash_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{label}-") as corpus:
        for index, seed in enumerate(seeds(args.target)):
            if len(seed) <= args.max_seed_bytes:
                Path(corpus, f"seed-{index:03d}").write_bytes(seed)
        atheris.Setup(
            [
                sys.argv[0],
                f"-runs={args.runs}",
                f"-max_len={args.max_len}",
                f"-max_total_time={args.seconds}",
                f"-artifact_prefix={crash_dir}/",
                "-timeout=120",
                *([f"-seed={args.seed}"] if args.seed else []),
                "-rss_limit_mb=3072",
                corpus,
            ],
            target,
        )
        atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
