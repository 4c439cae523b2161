"""The hash chains: how an event's digest is computed, and walking the chains to verify them.

The log is several chains, each verifiable on its own: one per agency (``agency:<code>``),
one for the hub (``hub``) and one for the rest (``system``: reference data, events of no
agency; it is also the single chain the log was before, so its events hash as they did
then). Each chain numbers its events 1..N and links each to the previous one's hash, so
writers of different agencies never wait for each other, and a broken chain blames no
other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
SYSTEM_CHAIN = "system"
HUB_CHAIN = "hub"
AGENCY_CHAIN_PREFIX = "agency:"


def agency_chain(code: str) -> str:
    """The chain key of the agency with this code (mã định danh)."""
    return f"{AGENCY_CHAIN_PREFIX}{code}"


def chain_label_vi(chain: str) -> str:
    """How a chain is named to a person: "chuỗi của cơ quan 000.00.02.H99" and so on."""
    if chain.startswith(AGENCY_CHAIN_PREFIX):
        return f"chuỗi của cơ quan {chain[len(AGENCY_CHAIN_PREFIX) :]}"
    if chain == HUB_CHAIN:
        return "chuỗi của trục liên thông"
    if chain == SYSTEM_CHAIN:
        return "chuỗi hệ thống"
    return f"chuỗi “{chain}”"


def _iso_utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _content(
    chain: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    before: Any,
    after: Any,
) -> str:
    """The event's canonical JSON content (what the hash covers). ``seq`` is the number in
    the chain; the chain's key is part of the content except for the system chain (whose
    events were hashed before there were other chains), so an event moved to another
    chain no longer matches its hash."""
    content = {
        "seq": seq,
        "at": _iso_utc(at),
        "actor_id": actor_id,
        "actor": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_label": object_label,
        "before": before,
        "after": after,
    }
    if chain != SYSTEM_CHAIN:
        content["chain"] = chain
    return json.dumps(
        content,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def event_digest(
    *,
    chain: str = SYSTEM_CHAIN,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the previous hash and the event's canonical JSON content."""
    content = _content(
        chain, seq, at, actor_id, actor_username, action, object_type, object_id, object_label, before, after
    )
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def content_around_seq(
    *,
    chain: str = SYSTEM_CHAIN,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    before: Any,
    after: Any,
) -> tuple[str, str]:
    """The canonical JSON content of :func:`event_digest` in two parts, before and after
    the sequence number (``prefix + str(seq) + suffix``), for a writer that learns the
    number only when it takes the chain head (the database does, in one statement)."""
    content = _content(
        chain, 0, at, actor_id, actor_username, action, object_type, object_id, object_label, before, after
    )
    # "seq" sorts last among the keys, so its value ends the text
    assert content.endswith(',"seq":0}')
    return content[: -len("0}")], "}"


def digest_of(event) -> str:
    return event_digest(
        chain=event.chain,
        seq=event.chain_seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_username=event.actor_username,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_label=event.object_label,
        before=event.before,
        after=event.after,
        prev_hash=event.prev_hash,
    )


@dataclass(frozen=True)
class ChainReport:
    """Result of :func:`verify_chain`: ``ok`` and, when broken, where and why.

    For one chain, ``chain`` is its key and ``broken_seq`` a number in that chain. The
    report on several chains (``chain`` empty) lists each in ``chains``; its ``events``
    is their sum, and its ``broken_seq`` and reasons are those of the first broken chain
    (``broken`` lists them all)."""

    ok: bool
    events: int
    broken_seq: int | None = None
    reason_vi: str = ""
    reason_en: str = ""
    chain: str = ""
    chains: tuple[ChainReport, ...] = ()

    @property
    def broken(self) -> tuple[ChainReport, ...]:
        """The broken chains' reports."""
        if self.chains:
            return tuple(r for r in self.chains if not r.ok)
        return () if self.ok else (self,)


def chain_keys() -> list[str]:
    """Every chain of the log: those with a head and those with events, sorted."""
    from vanban.audit.models import AuditChainHead, AuditEvent

    keys = set(AuditChainHead.objects.values_list("chain", flat=True))
    keys |= set(AuditEvent.objects.order_by().values_list("chain", flat=True).distinct())
    return sorted(keys)


class _Walk:
    """One chain being walked in order: the first broken link, or how many events."""

    def __init__(self, chain: str):
        self.chain = chain
        self.prev_hash = GENESIS_HASH
        self.count = 0
        self.report: ChainReport | None = None

    def _broken(self, seq: int, vi: str, en: str) -> ChainReport:
        self.report = ChainReport(False, self.count, seq, vi, en, chain=self.chain)
        return self.report

    def step(self, event) -> None:
        if self.report is not None:
            return
        expected = self.count + 1
        if event.chain_seq != expected:
            self._broken(
                expected,
                f"Thiếu sự kiện số {expected} (gặp số {event.chain_seq}).",
                f"Event {expected} is missing (found {event.chain_seq}).",
            )
            return
        if event.prev_hash != self.prev_hash:
            self._broken(
                expected,
                f"Sự kiện số {expected} không nối với sự kiện trước (mã băm trước không khớp).",
                f"Event {expected} does not link to the previous one (previous hash differs).",
            )
            return
        if digest_of(event) != event.hash:
            self._broken(
                expected,
                f"Nội dung sự kiện số {expected} đã bị thay đổi (mã băm không khớp).",
                f"Event {expected} was altered (its hash does not match its content).",
            )
            return
        self.prev_hash = event.hash
        self.count += 1

    def finish(self, head) -> ChainReport:
        if self.report is not None:
            return self.report
        n = self.count
        if head is None:
            if n:
                return self._broken(
                    n,
                    f"Chuỗi có {n} sự kiện nhưng không có đầu chuỗi (đầu chuỗi đã bị xóa).",
                    f"The chain has {n} events but no head (the head was removed).",
                )
            return ChainReport(True, 0, chain=self.chain)
        head_seq, head_hash = head
        if head_seq > n or (n and head_seq == n and head_hash != self.prev_hash):
            self._broken(
                n + 1 if head_seq > n else n,
                f"Đầu chuỗi ghi {head_seq} sự kiện nhưng chỉ còn {n}: sự kiện cuối đã bị xóa.",
                f"The chain head records {head_seq} events but {n} remain: the last ones were removed.",
            )
        elif head_seq < n:
            self._broken(
                head_seq + 1,
                f"Đầu chuỗi ghi {head_seq} sự kiện nhưng có {n}: sự kiện số {head_seq + 1} trở đi được thêm ngoài "
                "đường ghi nhật ký.",
                f"The chain head records {head_seq} events but {n} exist: those from {head_seq + 1} on were "
                "added behind the log's back.",
            )
        return self.report or ChainReport(True, n, chain=self.chain)


def verify_chain(chain: str | None = None) -> ChainReport:
    """Walk every chain (or only ``chain``) in order; in each, stop at the first broken
    link. One pass over the events in (chain, number) order, which an index serves."""
    from vanban.audit.models import AuditChainHead, AuditEvent

    heads = {c: (s, h) for c, s, h in AuditChainHead.objects.values_list("chain", "seq", "last_hash")}
    events = AuditEvent.objects.order_by("chain", "chain_seq")
    if chain is not None:
        heads = {c: v for c, v in heads.items() if c == chain}
        events = events.filter(chain=chain)
    reports: list[ChainReport] = []
    walk: _Walk | None = None
    for event in events.iterator(chunk_size=2000):
        if walk is None or event.chain != walk.chain:
            if walk is not None:
                reports.append(walk.finish(heads.pop(walk.chain, None)))
            walk = _Walk(event.chain)
        walk.step(event)
    if walk is not None:
        reports.append(walk.finish(heads.pop(walk.chain, None)))
    for key, head in heads.items():  # heads whose chain has no event left
        reports.append(_Walk(key).finish(head))
    reports.sort(key=lambda r: r.chain)
    if chain is not None:
        if not reports:
            return ChainReport(
                False,
                0,
                None,
                f"Không có {chain_label_vi(chain)} trong nhật ký.",
                f"There is no chain {chain!r} in the log.",
                chain=chain,
            )
        return reports[0]
    total = sum(r.events for r in reports)
    first = next((r for r in reports if not r.ok), None)
    if first is None:
        return ChainReport(True, total, chains=tuple(reports))
    return ChainReport(False, total, first.broken_seq, first.reason_vi, first.reason_en, chains=tuple(reports))
