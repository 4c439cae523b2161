"""The fuzz targets of :mod:`testkit.fuzz` (issue 19): every crash the fuzzer ever found is
replayed and must now be a refusal (a :class:`~vanban.errors.DomainError`) or a success; a
short coverage-guided run of each target finds no new crash; and the harness does report a
crash when a target has one (or the two checks above could never fail)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.fuzz import REGRESSIONS, TARGETS, replay

ROOT = Path(__file__).resolve().parent.parent

PENDING: dict[tuple[str, str], str] = {}
"""Regression files whose fix has not landed yet, by (target, name): each an xfail(strict=True)."""


def _cases():
    for target in sorted(TARGETS):
        folder = REGRESSIONS / target
        for path in sorted(folder.glob("[!.]*")) if folder.is_dir() else []:
            reason = PENDING.get((target, path.name))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(target, path, id=f"{target}/{path.name}", marks=marks)


@pytest.mark.parametrize(("target", "path"), list(_cases()))
def test_a_crash_once_found_is_now_refused_or_read(target, path):
    replay(target, path.read_bytes())  # a DomainError is swallowed by the target; anything else fails


def test_every_target_has_its_regression_folder():
    assert sorted(p.name for p in REGRESSIONS.iterdir() if p.is_dir()) == sorted(TARGETS)


ATHERIS_MISSING = importlib.util.find_spec("atheris") is None
needs_atheris = pytest.mark.skipif(
    ATHERIS_MISSING, reason="atheris is not installed (it is in the test extra: scripts/install --test)"
)


SEED = 20261203
"""libFuzzer's seed in these runs: the same inputs on every machine, so a failure here is a
crash anyone can reproduce (``--seed``), not the luck of one run. Searching with new seeds,
for longer, is ``python -m testkit.fuzz TARGET`` (see docs/reliability.md)."""


def _fuzz(target: str, crash_dir: Path, runs: int, seconds: int = 20) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(p for p in (str(ROOT / "src"), str(ROOT), str(ROOT / "tests")) if p)
    return subprocess.run(
        [sys.executable, "-m", "testkit.fuzz", target, f"--runs={runs}", f"--seconds={seconds}", "--max-len=16384"]
        + [f"--crash-dir={crash_dir}", f"--seed={SEED}"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=600,
    )


@needs_atheris
@pytest.mark.parametrize(
    "target",
    [
        "edxml",
        "email",
        "pdf_intake",
    ],
)
def test_a_short_fuzz_run_finds_no_crash(target, tmp_path):
    done = _fuzz(target, tmp_path, runs=3000)
    crashes = sorted(p.name for p in tmp_path.iterdir())
    assert done.returncode == 0 and not crashes, done.stderr[-3000:]


def target_always_crashes(data: bytes) -> None:
    """A target with a crash on every input: what the harness must report."""
    raise ValueError(f"not a DomainError ({len(data)} bytes)")


@needs_atheris
def test_the_harness_reports_a_crash_and_keeps_the_input(tmp_path):
    done = _fuzz(f"{__name__}:target_always_crashes", tmp_path, runs=100)
    assert done.returncode != 0
    assert "ValueError: not a DomainError" in done.stdout + done.stderr
    assert [p.name.startswith("crash-") for p in tmp_path.iterdir()] == [True]


def test_replay_swallows_only_domain_errors():
    replay("edxml", b"<not-edxml/>")  # refused with an EdxmlError: fine
    with pytest.raises(ValueError):
        replay(f"{__name__}:target_always_crashes", b"x")
