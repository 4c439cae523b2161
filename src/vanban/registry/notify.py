"""Who hears of a step of a document (thông báo): one table, :data:`RULES`, from a flow's
step to the people it concerns and what they read; written in the step's own transaction
(the flow engine calls :func:`on_step` with every history row), mailed after the commit to
those who asked for e-mail. The person who took the step is never told of it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction

from vanban.directory.models import Person
from vanban.registry.states import StepKind

__all__ = ["RULES", "on_step", "unread_count", "recent", "mark_read", "set_email"]

log = logging.getLogger(__name__)


def _role(document, code: str) -> Iterable[Person]:
    return Person.objects.filter(agency_id=document.agency_id, roles__code=code, user__is_active=True)


def _signer(doc) -> Iterable[Person]:
    return [doc.signer] if doc.signer_id else []


def _drafter(doc) -> Iterable[Person]:
    return [doc.drafter] if doc.drafter_id else []


def _assigned(doc) -> Iterable[Person]:
    """Everyone the assignment names: persons, and for a unit its head(s), who give it out
    (a unit without a head: all its people)."""
    from vanban.directory.queries import unit_heads

    people: list[Person] = []
    for a in doc.assignments.select_related("person", "unit"):
        if a.person_id:
            people.append(a.person)
        elif a.unit_id:
            heads = list(unit_heads(a.unit_id))
            people += heads or list(Person.objects.filter(unit_id=a.unit_id, user__is_active=True))
    return people


def _lead(doc) -> Iterable[Person]:
    if doc.lead_person_id:
        return [doc.lead_person]
    if doc.lead_unit_id:
        return Person.objects.filter(unit_id=doc.lead_unit_id, user__is_active=True)
    return []


def _holder(doc) -> Iterable[Person]:
    return [doc.lead_person] if doc.lead_person_id else []


def _last_step_target(kind: str) -> Callable[..., Iterable[Person]]:
    """Whom the latest step of ``kind`` of the chain of assignment went to (a return to no
    one named goes to the agency's leaders)."""

    def who(doc) -> Iterable[Person]:
        step = doc.steps.filter(kind=kind).select_related("to_person").order_by("-pk").first()
        if step is None:
            return []
        if step.to_person_id is None:
            return _role(doc, "lanh-dao")
        return [step.to_person]

    return who


def _given(d, r) -> str:
    return f"Bạn được giao xử lý văn bản đến: {_subject(d)} ({r})"


def _subject(doc) -> str:
    return doc.subject[:200]


def _out(doc) -> str:
    return f"/van-ban-di/{doc.pk}/"


def _in(doc) -> str:
    return f"/van-ban-den/{doc.pk}/"


Rule = tuple[str, Callable[..., Iterable[Person]], Callable[..., str]]

# (flow, step) -> [(kind, who, text)]: text(document, reason)
RULES: dict[tuple[str, str], list[Rule]] = {
    ("outgoing", "submit"): [("cho-duyet", _signer, lambda d, r: f"Dự thảo chờ bạn duyệt: {_subject(d)}")],
    ("outgoing", "return"): [
        ("tra-lai", _drafter, lambda d, r: f"Dự thảo bị trả lại: {_subject(d)}" + (f" – {r}" if r else ""))
    ],
    ("outgoing", "sign"): [
        (
            "cho-cap-so",
            lambda d: _role(d, "van-thu"),
            lambda d, r: f"Văn bản đã ký chờ cấp số, phát hành: {_subject(d)}",
        )
    ],
    ("outgoing", "issue"): [
        ("da-phat-hanh", _drafter, lambda d, r: f"Văn bản {d.so_ky_hieu} đã phát hành: {_subject(d)}")
    ],
    ("incoming", "receive"): [
        (
            "van-ban-den",
            lambda d: _role(d, "van-thu"),
            lambda d, r: f"Văn bản đến mới từ {d.sender_name}: {_subject(d)}",
        )
    ],
    ("incoming", "register"): [
        ("cho-phan-cong", lambda d: _role(d, "lanh-dao"), lambda d, r: f"Văn bản đến chờ phân công: {_subject(d)}")
    ],
    ("incoming", "assign"): [
        (
            "duoc-giao",
            _assigned,
            lambda d, r: (
                f"Bạn được giao văn bản đến: {_subject(d)}"
                + (f" (hạn xử lý {d.deadline:%d/%m/%Y})" if d.deadline else "")
            ),
        )
    ],
    ("incoming", "reassign"): [("duoc-giao", _holder, _given)],
    ("incoming", "forward"): [("duoc-giao", _holder, _given)],
    ("incoming", "return"): [
        ("tra-lai", _last_step_target(StepKind.RETURN), lambda d, r: f"Văn bản đến bị trả lại: {_subject(d)} ({r})")
    ],
    ("incoming", "return_to_leader"): [
        ("tra-lai", _last_step_target(StepKind.RETURN), lambda d, r: f"Văn bản đến bị trả lại: {_subject(d)} ({r})")
    ],
    ("incoming", "consult"): [
        (
            "xin-y-kien",
            _last_step_target(StepKind.CONSULT),
            lambda d, r: f"Xin ý kiến của bạn về văn bản: {_subject(d)}",
        )
    ],
    ("incoming", "answer"): [
        ("cho-y-kien", _last_step_target(StepKind.ANSWER), lambda d, r: f"Đã có ý kiến về văn bản: {_subject(d)} ({r})")
    ],
    ("incoming", "recall"): [
        ("thu-hoi", _lead, lambda d, r: f"Nơi gửi đã thu hồi văn bản: {_subject(d)}" + (f" – {r}" if r else ""))
    ],
}


def on_step(flow_name: str, document, action: str, actor, reason: str = "") -> int:
    """Write the notifications of this step (inside its transaction); how many."""
    from vanban.registry.models import Notification

    rules = RULES.get((flow_name, action))
    if not rules:
        return 0
    acting = getattr(actor, "person", None) if actor is not None else None
    rows: list[Notification] = []
    url = _out(document) if flow_name == "outgoing" else _in(document)
    for kind, who, text in rules:
        seen: set[int] = set()
        message = text(document, reason)[:500]
        for person in who(document):
            if person.pk in seen or (acting is not None and person.pk == acting.pk):
                continue
            seen.add(person.pk)
            rows.append(Notification(person=person, kind=kind, text=message, url=url))
    if rows:
        Notification.objects.bulk_create(rows)
        ids = [n.person_id for n in rows]
        transaction.on_commit(lambda: _mail([(n.person_id, n.text, n.url) for n in rows], ids))
    return len(rows)


def _mail(items: list[tuple[int, str, str]], person_ids: list[int]) -> None:
    """E-mail each notification to a person who asked for it (never fails the step)."""
    from django.core.mail import send_mail

    from vanban.registry.models import NotificationSetting

    wanted = set(
        NotificationSetting.objects.filter(person_id__in=person_ids, email=True)
        .exclude(person__user__email="")
        .values_list("person_id", flat=True)
    )
    if not wanted:
        return
    emails = dict(Person.objects.filter(pk__in=wanted).values_list("pk", "user__email"))
    base = getattr(settings, "VANBAN_SITE_URL", "").rstrip("/")
    for person_id, text, url in items:
        if person_id not in wanted:
            continue
        try:
            send_mail(f"[vanban] {text[:150]}", f"{text}\n\n{base}{url}\n", None, [emails[person_id]])
        except Exception:  # noqa: BLE001 - a mail server down must not undo the step
            log.warning("notification e-mail to person %s not sent", person_id, exc_info=True)


def unread_count(person) -> int:
    from vanban.registry.models import Notification

    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def recent(person, limit: int = 50):
    from vanban.registry.models import Notification

    return Notification.objects.filter(person=person)[:limit]


def mark_read(person, pk: int | None = None) -> int:
    """Mark one notification (or all) of ``person`` read; how many changed."""
    from django.utils import timezone

    from vanban.registry.models import Notification

    rows = Notification.objects.filter(person=person, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())


def set_email(person, wanted: bool) -> None:
    from vanban.registry.models import NotificationSetting

    NotificationSetting.objects.update_or_create(person=person, defaults={"email": wanted})
