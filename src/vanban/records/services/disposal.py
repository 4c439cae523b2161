"""Retention and destruction (spec archive.md §4.1; Luật Lưu trữ 2024 k6 Điều 16, TT
06/2025): the yearly proposal of dossiers whose retention has expired, a destruction batch
through its steps (list and explanation → council review → appraisal → decision →
destruction), holds that stop it, and the transfer mark of a dossier handed to the archive.

A destroyed dossier stays listed with its metadata; its documents are no longer reachable
through it (:func:`vanban.records.queries.open_document`) and each destruction is audited.
When retention counts from: the year after the year the dossier's work ended (its end date;
its year when it has none), as the 2024 law counts transfer deadlines — **not confirmed**."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from vanban.audit import AuditAction
from vanban.directory.models import Agency
from vanban.records.errors import DisposalRefused, DossierRefused
from vanban.records.flow import DISPOSAL_FLOW, DOSSIER_FLOW
from vanban.records.models import DisposalBatch, Dossier
from vanban.records.services._common import date_vi, person_of, require_role
from vanban.records.states import DisposalState, DossierState
from vanban.registry.flow import advance, guard, history, locked, perform

__all__ = [
    "expires_in",
    "expired_dossiers",
    "start_disposal",
    "review_disposal",
    "appraise_disposal",
    "decide_disposal",
    "destroy_disposal",
    "stop_disposal",
    "hold_dossier",
    "release_dossier",
    "mark_transferred",
]


def expires_in(dossier: Dossier) -> int | None:
    """The last year of the dossier's retention (None: vĩnh viễn)."""
    if dossier.retention_years is None:
        return None
    end_year = dossier.end_date.year if dossier.end_date else dossier.year
    return end_year + dossier.retention_years


def expired_dossiers(agency: Agency, year: int) -> list[Dossier]:
    """The yearly proposal: closed or transferred dossiers of ``agency`` whose retention
    ended before ``year``, not on hold and not already in a destruction under way."""
    rows = (
        Dossier.objects.filter(agency=agency, state__in=(DossierState.CLOSED, DossierState.TRANSFERRED), held=False)
        .exclude(retention_years=None)
        .exclude(disposals__state__in=_UNDER_WAY)
        .select_related("retention_class")
        .order_by("year", "number")
    )
    return [d for d in rows if (expires_in(d) or year) < year]


_UNDER_WAY = (DisposalState.LISTED, DisposalState.REVIEWED, DisposalState.APPRAISED, DisposalState.DECIDED)


def _held_refusal(held: list[Dossier]) -> DisposalRefused:
    names = "; ".join(f"“{d.notation}” ({d.hold_reason or 'không ghi lý do'})" for d in held)
    return DisposalRefused(
        f"Hồ sơ đang được giữ lại, không được hủy: {names}.",
        "Some dossiers are on hold.",
        code="dossier_held",
        details=[d.code for d in held],
    )


def start_disposal(user, agency: Agency, year: int, dossiers: list[Dossier], explanation: str) -> DisposalBatch:
    """Step 1: the list of records whose retention expired and its explanation (Danh mục
    tài liệu hết thời hạn lưu trữ, Bản thuyết minh)."""
    require_role(user, agency, ("van-thu",), "lập danh mục tài liệu hết thời hạn lưu trữ")
    if not explanation.strip():
        raise DisposalRefused(
            "Phải có bản thuyết minh tài liệu hết thời hạn lưu trữ.", "An explanation is required.", code="explanation"
        )
    if not dossiers:
        raise DisposalRefused("Danh mục hủy chưa có hồ sơ nào.", "No dossier listed.", code="empty")
    expired = {d.pk for d in expired_dossiers(agency, year)}
    held = [d for d in dossiers if d.held]
    if held:
        raise _held_refusal(held)
    not_due = [d for d in dossiers if d.pk not in expired]
    if not_due:
        raise DisposalRefused(
            "Hồ sơ chưa hết thời hạn lưu trữ (hoặc vĩnh viễn, chưa đóng, đang trong đợt hủy khác): "
            + "; ".join(f"“{d.notation}” ({d.retention_label})" for d in not_due)
            + ".",
            "Some dossiers are not due for destruction.",
            code="not_expired",
            details=[d.code for d in not_due],
        )
    from vanban.audit import record

    with transaction.atomic():
        batch = DisposalBatch.objects.create(agency=agency, year=year, explanation=explanation.strip())
        batch.dossiers.set(dossiers)
        history(DISPOSAL_FLOW, batch, "list", "", actor=user)
        record(user, AuditAction.DISPOSAL_LISTED, batch, after={"dossiers": sorted(d.code for d in dossiers)})
    return batch


def _text_step(user, batch: DisposalBatch, action: str, audit_action, field: str, text: str, what_vi: str):
    if not text.strip():
        raise DisposalRefused(f"Phải ghi {what_vi}.", f"{field} is required.", code=f"{field}_required")

    def change(row: DisposalBatch, _prepared) -> dict:
        setattr(row, field, text.strip())
        return {field: text.strip()[:500]}

    return perform(DISPOSAL_FLOW, batch, action, actor=user, audit_action=audit_action, change=change)


def review_disposal(user, batch: DisposalBatch, minutes: str) -> DisposalBatch:
    """Step 2: the council's view (Hội đồng xét hủy), recorded in its minutes."""
    return _text_step(
        user, batch, "review", AuditAction.DISPOSAL_REVIEWED, "council_minutes", minutes, "biên bản họp Hội đồng"
    )


def appraise_disposal(user, batch: DisposalBatch, appraisal: str) -> DisposalBatch:
    """Step 3: the competent body's written appraisal (thẩm định)."""
    return _text_step(
        user, batch, "appraise", AuditAction.DISPOSAL_APPRAISED, "appraisal", appraisal, "ý kiến thẩm định"
    )


def decide_disposal(user, batch: DisposalBatch, *, number: str, date: dt.date, signer: str) -> DisposalBatch:
    """Step 4: the decision to destroy (quyết định hủy), its number, date and signer."""
    if not number.strip() or not signer.strip():
        raise DisposalRefused(
            "Phải ghi số quyết định hủy và người ký quyết định.",
            "Decision number and signer required.",
            code="decision",
        )

    def change(row: DisposalBatch, _prepared) -> dict:
        row.decision_number, row.decision_date, row.decided_by = number.strip(), date, signer.strip()
        return {"decision": row.decision_number, "date": date.isoformat(), "signer": row.decided_by}

    return perform(DISPOSAL_FLOW, batch, "decide", actor=user, audit_action=AuditAction.DISPOSAL_DECIDED, change=change)


def destroy_disposal(user, batch: DisposalBatch) -> DisposalBatch:
    """Step 5: destroy the batch's dossiers — only after the recorded decision, and none
    of them on hold. Each dossier becomes ``da-huy`` (its own history row and audit event);
    it stays listed with its metadata."""
    person_of(user)
    with transaction.atomic():
        row = locked(DISPOSAL_FLOW, batch)
        if row.state in (DisposalState.LISTED, DisposalState.REVIEWED, DisposalState.APPRAISED) or (
            row.state == DisposalState.DECIDED and not row.decision_number
        ):
            raise DisposalRefused(
                "Chưa có quyết định hủy tài liệu của người có thẩm quyền: không được hủy. "
                f"Đợt hủy đang ở bước “{DisposalState(row.state).label}”.",
                "No recorded decision to destroy.",
                code="no_decision",
            )
        guard(DISPOSAL_FLOW, row, "destroy", actor=user)
        dossiers = list(row.dossiers.order_by("number"))
        held = [d for d in dossiers if d.held]
        if held:
            raise _held_refusal(held)
        now = timezone.now()
        for dossier in dossiers:
            d = locked(DOSSIER_FLOW, dossier)
            guard(DOSSIER_FLOW, d, "destroy", actor=user)
            d.destroyed_at = now
            advance(
                DOSSIER_FLOW,
                d,
                "destroy",
                actor=user,
                audit_action=AuditAction.DOSSIER_DESTROYED,
                reason=f"Quyết định hủy số {row.decision_number} ngày {date_vi(row.decision_date)}",
                after={"disposal": row.pk, "decision": row.decision_number},
            )
        return advance(
            DISPOSAL_FLOW,
            row,
            "destroy",
            actor=user,
            audit_action=AuditAction.DISPOSAL_DESTROYED,
            after={"dossiers": [d.code for d in dossiers]},
        )


def stop_disposal(user, batch: DisposalBatch, reason: str) -> DisposalBatch:
    if not reason.strip():
        raise DisposalRefused("Phải ghi lý do dừng việc hủy.", "A reason is required.", code="reason_required")
    return perform(
        DISPOSAL_FLOW, batch, "stop", actor=user, audit_action=AuditAction.DISPOSAL_STOPPED, reason=reason.strip()
    )


def hold_dossier(user, dossier: Dossier, reason: str) -> Dossier:
    """Keep the dossier from destruction (a dispute, an inspection...) until released."""
    if not reason.strip():
        raise DossierRefused("Phải ghi lý do giữ lại hồ sơ.", "A reason is required.", code="reason_required")

    def change(row: Dossier, _prepared) -> dict:
        row.held, row.hold_reason = True, reason.strip()[:500]
        return {"held": True}

    return perform(
        DOSSIER_FLOW,
        dossier,
        "hold",
        actor=user,
        audit_action=AuditAction.DOSSIER_HELD,
        reason=reason.strip(),
        change=change,
    )


def release_dossier(user, dossier: Dossier) -> Dossier:
    def change(row: Dossier, _prepared) -> dict:
        row.held, row.hold_reason = False, ""
        return {"held": False}

    return perform(
        DOSSIER_FLOW, dossier, "release", actor=user, audit_action=AuditAction.DOSSIER_RELEASED, change=change
    )


def mark_transferred(user, dossier: Dossier, reason: str = "") -> Dossier:
    """The dossier was handed to the agency's archive (lưu trữ hiện hành), once its checks
    pass (:func:`vanban.records.transfer.check_one`): a dossier that is blocked is refused
    with its reasons."""
    from vanban.records.transfer import check_one

    check = check_one(dossier)
    if not check.ready:
        raise DossierRefused(
            f"Hồ sơ “{dossier.notation}” chưa nộp lưu được: " + " ".join(b.message_vi for b in check.blockers),
            "The dossier is not ready for transfer.",
            code="transfer_blocked",
            details=[b.code for b in check.blockers],
        )
    return perform(
        DOSSIER_FLOW, dossier, "transfer", actor=user, audit_action=AuditAction.DOSSIER_TRANSFERRED, reason=reason
    )
