"""Fuzz parse() and validate(): any input yields a package, problems, or an EdxmlError.

CI runs a few examples; for a longer run:
``VANBAN_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/edxml/test_fuzz.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vanban.edxml import EdxmlError, build, parse, validate

from .conftest import make_envelope, make_status

EXAMPLES = int(os.environ.get("VANBAN_FUZZ_EXAMPLES", "150"))
SEEDS = [build(make_envelope()), build(make_status())]
SAMPLE_SEEDS = [  # in the interop folder
    "edxml-samples/truclienthong-example/status_inbox_01.edxml",
    "edxml-samples/truclienthong-example/dc0bdef0-c7a3-4aaf-b717-777303442973.edxml",
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.integers(0, 3))
        pos = draw(st.integers(0, len(data)))
        if op == 0 and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif op == 1:
            data[pos:pos] = draw(
                st.binary(max_size=8) | st.sampled_from([b"<", b">", b"&", b"<!DOCTYPE x>", b"</edXML:To>", b"\xff"])
            )
        elif op == 2:
            del data[pos : pos + draw(st.integers(1, 50))]
        else:
            data = data[:pos]
    return bytes(data)


def _check(data: bytes) -> None:
    for fn in (parse, validate):
        try:
            fn(data)
        except EdxmlError as exc:
            assert exc.code and exc.message_vi and exc.message_en


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated(SEEDS))
def test_fuzz_mutated_packages(data: bytes) -> None:
    _check(data)


def test_fuzz_mutated_real_samples(interop: Path) -> None:
    seeds = [(interop / rel).read_bytes() for rel in SAMPLE_SEEDS]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutated(seeds))
    def fuzz(data: bytes) -> None:
        _check(data)

    fuzz()


@settings(max_examples=max(EXAMPLES // 3, 20), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=200))
def test_fuzz_random_bytes(data: bytes) -> None:
    _check(data)
