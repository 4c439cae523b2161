"""The hash chain: how an event's digest is computed, and walking the chain to verify it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def _iso_utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _content(
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
    """The event's canonical JSON content (what the hash covers)."""
    return json.dumps(
        {
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
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def event_digest(
    *,
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
    content = _content(seq, at, actor_id, actor_username, action, object_type, object_id, object_label, before, after)
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def content_around_seq(
    *,
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
    content = _content(0, at, actor_id, actor_username, action, object_type, object_id, object_label, before, after)
    # "seq" sorts last among the keys, so its value ends the text
    assert content.endswith(',"seq":0}')
    return content[: -len("0}")], "}"


def digest_of(event) -> str:
    return event_digest(
        seq=event.seq,
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
    """Result of :func:`verify_chain`: ``ok`` and, when broken, where and why."""

    ok: bool
    events: int
    broken_seq: int | None = None
    reason_vi: str = ""
    reason_en: str = ""


def verify_chain() -> ChainReport:
    """Walk every event in order; stop at the first broken link."""
    from vanban.audit.models import AuditChainHead, AuditEvent

    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(
                False,
                count,
                expected_seq,
                f"Thiếu sự kiện số {expected_seq} (gặp số {event.seq}).",
                f"Event {expected_seq} is missing (found {event.seq}).",
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                False,
                count,
                event.seq,
                f"Sự kiện số {event.seq} không nối với sự kiện trước (mã băm trước không khớp).",
                f"Event {event.seq} does not link to the previous one (previous hash differs).",
            )
        if digest_of(event) != event.hash:
            return ChainReport(
                False,
                count,
                event.seq,
                f"Nội dung sự kiện số {event.seq} đã bị thay đổi (mã băm không khớp).",
                f"Event {event.seq} was altered (its hash does not match its content).",
            )
        prev_hash = event.hash
        expected_seq += 1
        count += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != count or (count and head.last_hash != prev_hash)):
        return ChainReport(
            False,
            count,
            count + 1,
            f"Đầu chuỗi ghi {head.seq} sự kiện nhưng chỉ còn {count}: sự kiện cuối đã bị xóa.",
            f"The chain head records {head.seq} events but {count} remain: the last ones were removed.",
        )
    return ChainReport(True, count)
