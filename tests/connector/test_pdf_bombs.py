"""A package from the hub carrying a decompression bomb (testkit.hostile) is refused with
its reason before any PDF reader sees it: no arrival row, nothing in the store, the hub
is told (it delivers it no more), and the worker goes on to take the next package."""

from __future__ import annotations

import itertools

from testkit import hub as testing
from testkit.hostile import bomb_pdf
from vanban.connector import outbox
from vanban.connector.models import ReceivedPackage
from vanban.connector.tasks import pull_inbox

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"
numbers = itertools.count(5000)


def _send(personas, office_pki, pdf: bytes) -> str:
    env = testing.envelope(SNV, [SKHCN], next(numbers), pdf=pdf)
    data = testing.signed(env, office_pki.certs[SNV])
    item = outbox.enqueue_outgoing(
        personas.so_noi_vu, f"registry.outgoing:{env.document_id}", env.document_id, [SKHCN], data
    )
    assert outbox.send_item(item.pk) == "sent"  # the hub reads no PDF: it takes it
    return env.document_id or ""


def _stored_files(settings) -> list[str]:
    from pathlib import Path

    root = Path(settings.FILES_DIR)
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_package_carrying_a_bomb_is_refused_and_the_next_one_is_taken(office, personas, office_pki, settings):
    bomb_id = _send(personas, office_pki, bomb_pdf())
    good_id = _send(personas, office_pki, office_pki.pdf)
    before = _stored_files(settings)

    totals = pull_inbox.call()

    assert totals["received"] == 1 and totals["errors"] == 1
    good = ReceivedPackage.objects.get(agency=personas.so_khcn, document_id=good_id)
    assert good.verified and good.state == "new"
    assert not ReceivedPackage.objects.filter(document_id=bomb_id).exists()
    stored = set(_stored_files(settings)) - set(before)
    assert len(stored) == 2  # the good package and its PDF; nothing of the bomb
    from vanban.connector.models import HubAccount

    account = HubAccount.objects.get(agency=personas.so_khcn)
    assert "bị từ chối: Tệp PDF giải nén quá lớn" in account.last_pull_error
    # refused at the hub: not delivered again, and its sender's timeline says why
    again = pull_inbox.call()
    assert again["received"] == 0 and again["errors"] == 0
    from vanban.connector import transports
    from vanban.connector.models import OutboxItem

    sender = HubAccount.objects.get(agency=personas.so_noi_vu)
    hub_id = OutboxItem.objects.get(document_id=bomb_id).hub_package_id
    [delivery] = transports.for_account(sender).timeline(hub_id)["deliveries"]
    event, detail = delivery["events"][-1]["event"], delivery["events"][-1]["detail"]
    assert event == "recipient_failed" and detail.endswith("[attachment_refused]")
    assert "Tệp PDF giải nén quá lớn" in detail


def test_the_refusal_names_the_attachment_and_the_pdf_code(office, personas, office_pki):
    import pytest

    from vanban.connector.arrival import verify
    from vanban.connector.errors import AttachmentRefused

    env = testing.envelope(SNV, [SKHCN], next(numbers), pdf=bomb_pdf())
    with pytest.raises(AttachmentRefused) as refused:
        verify(testing.signed(env, office_pki.certs[SNV]))
    name = env.attachments[0].name
    assert refused.value.code == "attachment_refused"
    assert refused.value.details == {"attachment": name, "pdf_code": "pdf_too_large_inflated"}
    assert refused.value.message_vi.startswith(f"Tệp đính kèm “{name}” bị từ chối: Tệp PDF giải nén quá lớn")
