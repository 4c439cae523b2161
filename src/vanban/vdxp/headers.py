"""The signed headers of a VDXP request: built as the vendor client builds them, and verified.

Every parameter ``k`` travels as header ``XroadVnpt-k``; ``XroadVnpt-sign-header`` is a JSON
object of those headers, ``XroadVnpt-sign-header-key`` their keys joined by ``;`` and
``XroadVnpt-hash-header`` the lowercase hex HMAC-SHA256 of the sign-header string, keyed with
the system's secret. Verifying recomputes the HMAC over the sign-header string *exactly as
received*, then checks that each signed header was received with the same value. Only signed
values are parameters: an ``XroadVnpt-`` header outside the sign-header is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from vanban.vdxp.errors import VdxpError

__all__ = [
    "PREFIX",
    "SignedRequest",
    "USER_AGENT",
    "VERSION",
    "format_timestamp",
    "hmac_hex",
    "normalize_name",
    "parse_timestamp",
    "read_signed_headers",
    "sign_headers",
    "verify_headers",
]

PREFIX = "XroadVnpt-"
USER_AGENT = "JAVASDKAgent/1.0.0 XRoad/VPCP"
VERSION = "3.0.201608"
_META = {"sign-header", "sign-header-key", "hash-header", "version"}
_TIMESTAMP = re.compile(r"^(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})\+(\d{4})$")

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


@functools.lru_cache(maxsize=2048)
def normalize_name(name: str) -> str:
    """A header name compared case-insensitively, ``_`` read as ``-`` (WSGI spells it so).
    Kept for the names seen (the same few dozen on every request, each compared several
    times; bounded, so unusual names cannot fill memory)."""
    return name.strip().lower().replace("_", "-")


def format_timestamp(moment: datetime) -> str:
    """``ddMMyyyy'T'HHmmss+SSSS``: the four digits after ``+`` are milliseconds, not a zone."""
    return moment.strftime("%d%m%YT%H%M%S") + f"+{moment.microsecond // 1000:04d}"


def parse_timestamp(value: str) -> datetime | None:
    """The naive local time a timestamp names, or ``None`` when it is not in that form."""
    m = _TIMESTAMP.match(value.strip())
    if not m:
        return None
    day, month, year, hour, minute, second, millis = (int(g) for g in m.groups())
    try:
        return datetime(year, month, day, hour, minute, second, min(millis, 999) * 1000)
    except ValueError:
        return None


def hmac_hex(secret: str, sign_header: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``sign_header`` keyed with ``secret`` (both UTF-8)."""
    return hmac.new(secret.encode("utf-8"), sign_header.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_headers(
    systemid: str,
    secret: str,
    params: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    *,
    content_type: str = "application/json",
    timestamp: str | None = None,
) -> list[tuple[str, str]]:
    """The headers the vendor client sends for ``params`` (without ``Content-Length``/``Host``).

    The signed keys are ``systemid``, the params in the order given, ``timestamp`` and
    ``Content-Type`` (sent as ``XroadVnpt-Content-Type``), as the client orders them.
    """
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    stamp = timestamp or format_timestamp(datetime.now())
    signed: list[tuple[str, str]] = [
        ("systemid", systemid),
        *pairs,
        ("timestamp", stamp),
        ("Content-Type", content_type),
    ]
    sign_header = json.dumps({PREFIX + k: v for k, v in signed}, ensure_ascii=False, separators=(",", ":"))
    headers = [("Content-Type", content_type)]
    headers += [(PREFIX + k, v) for k, v in signed]
    headers += [
        (PREFIX + "sign-header-key", ";".join(k for k, _ in signed)),
        (PREFIX + "sign-header", sign_header),
        (PREFIX + "hash-header", hmac_hex(secret, sign_header)),
        ("User-Agent", USER_AGENT),
        (PREFIX + "version", VERSION),
    ]
    return headers


@dataclass
class SignedRequest:
    """What the signed headers of one request say.

    ``params`` maps each signed key without the prefix (as spelled by the client) to its value;
    ``notes`` names the tolerated quirks seen (see :func:`vanban.vdxp.notes`).
    """

    systemid: str
    timestamp: str
    sign_header: str
    hash_header: str
    params: dict[str, str]
    sign_header_key: str = ""
    notes: list[str] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        """The signed value of ``name``: the exact spelling first, then any letter case."""
        if name in self.params:
            return self.params[name]
        wanted = normalize_name(name)
        for key, value in self.params.items():
            if normalize_name(key) == wanted:
                self.note("header_case")
                return value
        return default

    def has(self, name: str) -> bool:
        wanted = normalize_name(name)
        return any(normalize_name(k) == wanted for k in self.params)

    def note(self, name: str) -> None:
        if name not in self.notes:
            self.notes.append(name)

    def note_timestamp(self, now: datetime, minutes: int = 5) -> None:
        """Record ``bad_timestamp`` or ``stale_timestamp`` (never refused: the client sets it once)."""
        moment = parse_timestamp(self.timestamp)
        if moment is None:
            self.note("bad_timestamp")
        elif abs((now - moment).total_seconds()) > minutes * 60:
            self.note("stale_timestamp")

    def verify(self, secret: str) -> None:
        """Raise ``bad_hmac`` unless the hash-header is the HMAC of the sign-header as received."""
        if not hmac.compare_digest(hmac_hex(secret, self.sign_header), self.hash_header.strip().lower()):
            raise VdxpError("bad_hmac")

    def extra_params(self, taken: Iterable[str]) -> list[str]:
        """Signed params an operation taking ``taken`` does not use (accumulated from earlier calls)."""
        known = {normalize_name(k) for k in (*taken, "systemid", "timestamp", "Content-Type")}
        return [k for k in self.params if normalize_name(k) not in known]


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return list(headers.items()) if isinstance(headers, Mapping) else list(headers)


_LOWER_PREFIX = PREFIX.lower()
_PREFIX_LEN = len(PREFIX)


def read_signed_headers(headers: Headers) -> SignedRequest:
    """Parse and cross-check the signed headers, *without* the HMAC (that needs the secret).

    Refuses (``VdxpError``) a missing header, a non-ASCII value (``non_ascii_header``: such a
    value can never verify), a sign-header that is not a JSON object of strings, and a signed
    header received with another value (``header_mismatch``). Runs for every request: each
    name is normalized once.
    """
    received: dict[str, list[str]] = {}
    for name, value in _pairs(headers):
        normalized = normalize_name(name)
        if normalized.startswith(_LOWER_PREFIX) and not value.isascii():
            raise VdxpError("non_ascii_header", normalized[_PREFIX_LEN:])
        values = received.get(normalized)
        if values is None:
            received[normalized] = [value]
        else:
            values.append(value)

    def one(key: str) -> str:
        values = received.get(_LOWER_PREFIX + key)
        if not values or not values[0].strip():
            raise VdxpError("missing_header", PREFIX + key)
        return values[0]

    sent_systemid = one("systemid")
    sign_header = one("sign-header")
    hash_header = one("hash-header")
    try:
        decoded = json.loads(sign_header)
    except ValueError:
        raise VdxpError("bad_sign_header") from None
    if not isinstance(decoded, dict) or not all(isinstance(v, str) for v in decoded.values()):
        raise VdxpError("bad_sign_header")
    params: dict[str, str] = {}
    signed_names: set[str] = set()
    for key, value in decoded.items():
        normalized = normalize_name(key)
        if not key.lower().startswith(_LOWER_PREFIX):
            raise VdxpError("bad_sign_header", key)
        if not value.isascii():
            raise VdxpError("non_ascii_header", key[_PREFIX_LEN:])
        got = received.get(normalized, [])
        # a header sent twice in two letter cases arrives as one list or one joined value
        if value not in got and value.strip() not in [p.strip() for v in got for p in v.split(",")]:
            raise VdxpError("header_mismatch", key)
        params[key[_PREFIX_LEN:]] = value
        signed_names.add(normalized)
    systemid = params.get("systemid", "")
    if not systemid:
        raise VdxpError("missing_header", PREFIX + "systemid")
    if systemid != sent_systemid:
        raise VdxpError("header_mismatch", PREFIX + "systemid")
    names = {k: normalize_name(k) for k in params}
    signed = SignedRequest(
        systemid=systemid,
        timestamp=params.get("timestamp", ""),
        sign_header=sign_header,
        hash_header=hash_header,
        params={k: v for k, v in params.items() if names[k] not in _META},
        sign_header_key=(received.get(_LOWER_PREFIX + "sign-header-key") or [""])[0],
    )
    if not signed.timestamp:
        raise VdxpError("missing_header", PREFIX + "timestamp")
    keys = {normalize_name(k) for k in signed.sign_header_key.split(";") if k}
    if keys != set(names.values()):
        signed.note("sign_header_key_mismatch")
    if any(n.startswith(_LOWER_PREFIX) and n[_PREFIX_LEN:] not in _META and n not in signed_names for n in received):
        signed.note("unsigned_header")
    return signed


def verify_headers(headers: Headers, secret: str) -> SignedRequest:
    """:func:`read_signed_headers` then the HMAC with ``secret``: the request as signed."""
    signed = read_signed_headers(headers)
    signed.verify(secret)
    return signed
