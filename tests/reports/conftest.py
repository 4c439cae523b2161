"""Documents for the report tests, written as rows (volume, and moments in the past that a
real step cannot take), with their history rows at the moments given; the summary is then
rebuilt, as after an import. The tests of the summary's exactness use the real steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from vanban.directory.models import DocumentType, SecrecyLevel
from vanban.registry.models import (
    IncomingDocument,
    IncomingStateChange,
    OutgoingDocument,
    Recipient,
    StateChange,
    StoredFile,
)
from vanban.registry.states import IncomingSource, IncomingState, OutgoingState, RecipientKind
from vanban.reports.months import LOCAL


def local(y, m, d, hh=10, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=LOCAL)


@dataclass
class Seeder:
    personas: object

    def file(self) -> StoredFile:
        return StoredFile.objects.create(sha256="0" * 64, name="ban-ky-so.pdf", size=1)

    def issued(
        self,
        agency,
        at: dt.datetime,
        *,
        type_code: str = "cong-van",
        recipients: tuple[str, ...] = ("agency",),
        paper_copy: bool = False,
        secret: bool = False,
    ) -> OutgoingDocument:
        """An outgoing document signed, sealed and issued at ``at``."""
        p = self.personas
        doc = OutgoingDocument.objects.create(
            agency=agency,
            drafter=p.tuan,
            signer=p.minh,
            document_type=DocumentType.objects.get(code=type_code),
            subject="V/v thống kê",
            state=OutgoingState.ISSUED,
            secrecy=SecrecyLevel.objects.get(code="mat") if secret else None,
            paper_issue=secret,
            paper_copy=paper_copy,
            signed_file=None if secret else self.file(),
        )
        for kind in recipients:
            if kind == "agency":
                Recipient.objects.create(document=doc, kind=RecipientKind.AGENCY, agency=p.so_khcn, name="Sở KH&CN")
            else:
                Recipient.objects.create(
                    document=doc, kind=RecipientKind.EXTERNAL, name="Công ty X", email="x@example.vn"
                )
        steps = [("issue", OutgoingState.SEALED, OutgoingState.ISSUED)]
        if not secret:
            steps = [
                ("sign", OutgoingState.APPROVED, OutgoingState.SIGNED),
                ("seal", OutgoingState.NUMBERED, OutgoingState.SEALED),
                *steps,
            ]
        for action, old, new in steps:
            row = StateChange.objects.create(document=doc, action=action, old_state=old, new_state=new, actor_name="x")
            StateChange.objects.filter(pk=row.pk).update(at=at)
        OutgoingDocument.objects.filter(pk=doc.pk).update(created_at=at)
        return doc

    def arrived(
        self, agency, at: dt.datetime, source: str = IncomingSource.HUB, *, digitized: bool = False, deadline=None
    ):
        doc = IncomingDocument.objects.create(
            agency=agency,
            source=source,
            sender_name="Bộ Nội vụ",
            subject="V/v thống kê",
            digitized_file=self.file() if digitized else None,
            deadline=deadline,
        )
        IncomingDocument.objects.filter(pk=doc.pk).update(arrived_at=at, registered_at=at)
        doc.refresh_from_db()
        self.step(doc, "receive", "", IncomingState.RECEIVED, at)
        return doc

    def step(self, doc, action: str, old: str, new: str, at: dt.datetime) -> None:
        row = IncomingStateChange.objects.create(
            document=doc, action=action, old_state=old, new_state=new, actor_name="x"
        )
        IncomingStateChange.objects.filter(pk=row.pk).update(at=at)
        IncomingDocument.objects.filter(pk=doc.pk).update(state=new)

    def handled(self, doc, assigned: dt.datetime, done: dt.datetime | None) -> None:
        self.step(doc, "assign", IncomingState.REGISTERED, IncomingState.ASSIGNED, assigned)
        if done is not None:
            self.step(doc, "start", IncomingState.ASSIGNED, IncomingState.IN_PROGRESS, assigned)
            self.step(doc, "finish", IncomingState.IN_PROGRESS, IncomingState.DONE, done)


@pytest.fixture
def seed(personas) -> Seeder:
    return Seeder(personas)
