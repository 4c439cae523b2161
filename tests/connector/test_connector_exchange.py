"""The office's outbox and inbox against a real hub process over HTTP."""

from __future__ import annotations

import itertools
import json

from testkit import hub as testing
from vanban import edxml
from vanban.audit.models import AuditEvent
from vanban.connector import accounts, inbox, outbox
from vanban.connector.models import HubAccount, OutboxItem, ReceivedPackage, ReceivedStatus
from vanban.connector.tasks import flush_outbox, pull_inbox

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"
numbers = itertools.count(1000)


def outgoing(personas, office_pki, to=(SKHCN,), **kw):
    n = next(numbers)
    env = testing.envelope(SNV, list(to), n, **kw)
    data = testing.signed(env, office_pki.certs[SNV])
    return env, data


def test_enqueue_sends_after_commit_and_records_the_hub_id(
    office, personas, office_pki, django_capture_on_commit_callbacks
):
    env, data = outgoing(personas, office_pki)
    with django_capture_on_commit_callbacks() as callbacks:
        item = outbox.enqueue_outgoing(personas.so_noi_vu, "registry.outgoing:1", env.document_id, [SKHCN], data)
    assert len(callbacks) == 1 and item.state == "pending"
    assert outbox.send_item(item.pk) == "sent"
    item.refresh_from_db()
    assert item.hub_package_id and item.attempts == 1 and item.sent_at
    assert list(
        AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="connector.outbox")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["connector.outbox.enqueued", "connector.outbox.sent"]


def test_hub_down_means_later_not_lost(office, personas, office_pki):
    account = HubAccount.objects.get(agency=personas.so_noi_vu)
    good = account.hub_url
    HubAccount.objects.filter(pk=account.pk).update(hub_url="http://127.0.0.1:9/hub/v1/")
    env, data = outgoing(personas, office_pki)
    item = outbox.enqueue_outgoing(personas.so_noi_vu, "registry.outgoing:2", env.document_id, [SKHCN], data)
    assert outbox.send_item(item.pk) == "pending"
    item.refresh_from_db()
    assert item.attempts == 1 and item.last_error_code == "hub_unavailable" and item.last_error_vi
    assert outbox.send_item(item.pk) == "pending"  # not due yet: untouched
    item.refresh_from_db()
    assert item.attempts == 1
    OutboxItem.objects.filter(pk=item.pk).update(next_attempt_at=item.created_at)
    HubAccount.objects.filter(pk=account.pk).update(hub_url=good)
    assert flush_outbox.call() == 1
    item.refresh_from_db()
    assert item.state == "sent" and item.attempts == 2


def test_a_package_the_hub_refuses_is_failed_with_the_hubs_reason(office, personas, office_pki):
    env, data = outgoing(personas, office_pki, to=("000.00.77.H99",))
    item = outbox.enqueue_outgoing(personas.so_noi_vu, "registry.outgoing:3", env.document_id, ["000.00.77.H99"], data)
    assert outbox.send_item(item.pk) == "failed"
    item.refresh_from_db()
    assert item.last_error_code == "unknown_recipient"
    assert "000.00.77.H99" in item.last_error_vi and item.last_error_en


def test_pull_verifies_stores_once_answers_01_and_statuses_flow_back(office, personas, office_pki):
    env, data = outgoing(personas, office_pki, pdf=office_pki.pdf)
    item = outbox.enqueue_outgoing(personas.so_noi_vu, "registry.outgoing:4", env.document_id, [SKHCN], data)
    assert outbox.send_item(item.pk) == "sent"
    # the same document again under another DocumentId: same business key
    twin = testing.envelope(
        SNV, [SKHCN], int(env.code.code_number), pdf=office_pki.pdf, document_id=env.document_id + "-lan-2"
    )
    twin_item = outbox.enqueue_outgoing(
        personas.so_noi_vu,
        "registry.outgoing:5",
        twin.document_id,
        [SKHCN],
        testing.signed(twin, office_pki.certs[SNV]),
    )
    assert outbox.send_item(twin_item.pk) == "sent"

    totals = pull_inbox.call()  # earlier tests left packages waiting too
    assert totals["duplicates"] == 1 and totals["errors"] == 0
    row = ReceivedPackage.objects.get(agency=personas.so_khcn, code_notation=str(env.code))
    assert row.verified and row.state == "new" and row.document_id == env.document_id
    assert row.verification["signature"]["code"] == "valid"
    assert [p["verdict"] for p in row.verification["pdf"]] == ["valid"]
    assert inbox.package_bytes(row) == data
    # 01 queued in the outbox of the recipient, signed with its key
    answer = OutboxItem.objects.get(agency=personas.so_khcn, kind="status", document_id=env.document_id)
    assert answer.recipients == [SNV] and answer.document_id == env.document_id
    assert pull_inbox.call()["received"] == 0  # everything was acked
    assert ReceivedPackage.objects.filter(code_notation=str(env.code)).count() == 1

    assert flush_outbox.call() >= 1
    assert pull_inbox.call()["statuses"] >= 1
    st = ReceivedStatus.objects.get(agency=personas.so_noi_vu, document_id=env.document_id)
    assert (st.document_id, st.from_code, st.status_code) == (env.document_id, SKHCN, "01")


def test_the_token_is_not_stored_in_clear(office, personas, real_hub):
    account = HubAccount.objects.get(agency=personas.so_noi_vu)
    token = real_hub.tokens[SNV]
    assert token.split(".")[1] not in json.dumps(list(HubAccount.objects.values()), default=str)
    assert accounts.hub_token(account) == token
    assert token.split(".")[1] not in json.dumps(list(AuditEvent.objects.values("after")), default=str)


def test_a_secret_pdf_is_refused_with_02_not_kept_and_reported_to_the_hub(office, personas, office_pki, real_hub):
    from vanban.signing import KeyFileSigner, make_sample_pdf, seal_pdf

    stamped = seal_pdf(make_sample_pdf(extra_lines=("MẬT",)).pdf, KeyFileSigner(office_pki.certs[SNV]))
    env, data = outgoing(personas, office_pki, pdf=stamped)
    item = outbox.enqueue_outgoing(personas.so_noi_vu, "registry.outgoing:9", env.document_id, [SKHCN], data)
    assert outbox.send_item(item.pk) == "sent"  # nothing in the header shows it: the hub takes it

    pull_inbox.call()
    row = ReceivedPackage.objects.get(agency=personas.so_khcn, document_id=env.document_id)
    assert row.state == "secret" and row.secret_reported_at is not None
    assert row.verification["secrecy"]["where"] == "trang 1 của tệp PDF"
    assert inbox.package_bytes(row) is None  # the content is not kept
    answer = OutboxItem.objects.get(agency=personas.so_khcn, kind="status", document_id=env.document_id)
    status = edxml.parse(bytes(answer.package))
    assert status.status_code == "02" and "văn bản mật không được gửi, nhận qua mạng" in status.description
    assert AuditEvent.objects.filter(action="connector.package.secret").count() == 1
    # at the hub: the sender's timeline shows the report, and the content is gone
    item.refresh_from_db()
    at_hub = testing.django_shell(
        real_hub.node,
        (
            "from vanban.exchange.models import Package, SecrecyReport; "
            f"p = Package.objects.get(pk='{item.hub_package_id}'); "
            "r = SecrecyReport.objects.get(package=p); print(p.withdrawn_at is not None, r.reported_by, r.level)"
        ),
    )
    assert at_hub.split() == ["True", SKHCN, "Mật"]
    assert pull_inbox.call()["errors"] == 0  # acked: not fetched again


def test_a_down_hub_gets_one_try_per_agency_per_round_not_the_whole_queue(office, personas, office_pki):
    account = HubAccount.objects.get(agency=personas.so_noi_vu)
    good = account.hub_url
    HubAccount.objects.filter(pk=account.pk).update(hub_url="http://127.0.0.1:9/hub/v1/")
    items = []
    for n in range(5):
        env, data = outgoing(personas, office_pki)
        items.append(
            outbox.enqueue_outgoing(personas.so_noi_vu, f"registry.outgoing:down-{n}", env.document_id, [SKHCN], data)
        )
    assert flush_outbox.call() == 0
    attempts = list(
        OutboxItem.objects.filter(pk__in=[i.pk for i in items]).order_by("id").values_list("attempts", flat=True)
    )
    assert attempts == [1, 0, 0, 0, 0]  # the first one met the down hub; the others waited
    assert flush_outbox.call() == 0  # the first backs off; the next one is tried
    attempts = list(
        OutboxItem.objects.filter(pk__in=[i.pk for i in items]).order_by("id").values_list("attempts", flat=True)
    )
    assert attempts == [1, 1, 0, 0, 0]
    HubAccount.objects.filter(pk=account.pk).update(hub_url=good)
    OutboxItem.objects.filter(pk__in=[i.pk for i in items]).update(next_attempt_at=items[0].created_at)
    assert flush_outbox.call() == 5
    assert set(OutboxItem.objects.filter(pk__in=[i.pk for i in items]).values_list("state", flat=True)) == {"sent"}
