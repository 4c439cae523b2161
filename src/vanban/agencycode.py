"""Agency identifier codes ("mã định danh", Quyết định 20/2020/QĐ-TTg, QCVN 102:2016).

A state body's code is ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` (e.g. ``000.00.12.H53``): four
segments from level 4 down to level 1, a segment of zeros meaning "no unit at this
level", levels contiguous. The level numbers are structural only; the administrative
tier (tỉnh, xã, ...) is data kept elsewhere. Pure module: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanban.errors import DomainError

__all__ = [
    "AgencyCode",
    "AgencyCodeProblem",
    "InvalidAgencyCode",
    "check_agency_code",
    "parse_agency_code",
    "parent_code",
    "is_valid_agency_code",
]

_SEGMENTS = re.compile(r"^(?P<l4>[^.]*)\.(?P<l3>[^.]*)\.(?P<l2>[^.]*)\.(?P<l1>[^.]*)$")
_L1 = re.compile(r"^[A-Z]\d{2}$")
_DIGITS = {"l2": 2, "l3": 2, "l4": 3}
_LEVEL_NAMES_VI = {"l1": "cấp 1", "l2": "cấp 2", "l3": "cấp 3", "l4": "cấp 4"}


@dataclass(frozen=True)
class AgencyCodeProblem:
    """One thing wrong with a code: a stable machine code and messages in vi and en."""

    code: str
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return self.message_vi


class InvalidAgencyCode(DomainError, ValueError):
    """Raised by :func:`parse_agency_code`; ``problems`` lists every fault found."""

    code = "invalid_agency_code"

    def __init__(self, value: str, problems: list[AgencyCodeProblem]) -> None:
        super().__init__(
            "; ".join(p.message_vi for p in problems),
            "; ".join(p.message_en for p in problems),
            details=[{"code": p.code, "message_vi": p.message_vi, "message_en": p.message_en} for p in problems],
        )
        self.value = value
        self.problems = problems


@dataclass(frozen=True)
class AgencyCode:
    """A valid code split into its segments (level 1 is the ministry/province part)."""

    value: str
    l1: str
    l2: str
    l3: str
    l4: str

    @property
    def depth(self) -> int:
        """How many levels are used: 1 for ``000.00.00.H49``, 2 for ``000.00.12.H53``."""
        return 1 + sum(1 for seg in (self.l2, self.l3, self.l4) if int(seg) != 0)

    @property
    def parent(self) -> str | None:
        """The code of the parent unit (lowest non-zero segment set to zeros), or None."""
        if int(self.l4):
            return f"000.{self.l3}.{self.l2}.{self.l1}"
        if int(self.l3):
            return f"000.00.{self.l2}.{self.l1}"
        if int(self.l2):
            return f"000.00.00.{self.l1}"
        return None

    def __str__(self) -> str:
        return self.value


def _problem(code: str, vi: str, en: str) -> AgencyCodeProblem:
    return AgencyCodeProblem(code, vi, en)


def check_agency_code(value: str) -> list[AgencyCodeProblem]:
    """Every problem with ``value`` as a state body's code; empty when it is valid."""
    if not isinstance(value, str) or not value.strip():
        return [_problem("empty", "Mã định danh trống.", "The identifier code is empty.")]
    if value != value.strip():
        return [
            _problem(
                "whitespace",
                f"Mã định danh “{value}” có khoảng trắng ở đầu hoặc cuối.",
                f"The identifier code '{value}' has leading or trailing spaces.",
            )
        ]
    m = _SEGMENTS.match(value)
    if not m:
        n = value.count(".") + 1
        return [
            _problem(
                "segments",
                f"Mã định danh “{value}” phải có 4 phần ngăn bởi dấu chấm (dạng 000.00.00.H49), nhưng có {n} phần.",
                f"The identifier code '{value}' must have 4 dot-separated parts (like 000.00.00.H49) but has {n}.",
            )
        ]
    problems: list[AgencyCodeProblem] = []
    l1 = m.group("l1")
    if not _L1.match(l1):
        problems.append(
            _problem(
                "level1",
                f"Phần cấp 1 “{l1}” của mã “{value}” phải là một chữ cái in hoa và hai chữ số (ví dụ H49, G22).",
                f"The level-1 part '{l1}' of '{value}' must be one upper-case letter and two digits (e.g. H49, G22).",
            )
        )
    for key, width in _DIGITS.items():
        seg = m.group(key)
        if not (len(seg) == width and seg.isascii() and seg.isdigit()):
            problems.append(
                _problem(
                    key.replace("l", "level"),
                    f"Phần {_LEVEL_NAMES_VI[key]} “{seg}” của mã “{value}” phải gồm đúng {width} chữ số.",
                    f"The level-{key[1]} part '{seg}' of '{value}' must be exactly {width} digits.",
                )
            )
    if problems:
        return problems
    l2, l3, l4 = (int(m.group(k)) for k in ("l2", "l3", "l4"))
    if (l3 and not l2) or (l4 and not l3):
        problems.append(
            _problem(
                "contiguity",
                f"Mã “{value}” không liền cấp: một cấp dưới khác 0 trong khi cấp trên của nó bằng 0.",
                f"The code '{value}' skips a level: a lower level is non-zero under a zero higher level.",
            )
        )
    return problems


def is_valid_agency_code(value: str) -> bool:
    return not check_agency_code(value)


def parse_agency_code(value: str) -> AgencyCode:
    """Split a valid code into segments; raise :class:`InvalidAgencyCode` otherwise."""
    problems = check_agency_code(value)
    if problems:
        raise InvalidAgencyCode(value, problems)
    l4, l3, l2, l1 = value.split(".")
    return AgencyCode(value=value, l1=l1, l2=l2, l3=l3, l4=l4)


def parent_code(value: str) -> str | None:
    """Parent code of a valid code, or None for a level-1 code."""
    return parse_agency_code(value).parent
