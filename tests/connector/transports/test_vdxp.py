"""The VDXP transport against a real hub process over HTTP (``vanban serve --role hub``,
its ``/vdxp`` endpoint), each agency with the system id and secret the hub issued: what
the hub accepts and refuses, what arrives and how it is acknowledged, the sent list as a
timeline; and an office (this process) pulling through it."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from testkit import hub as testing
from vanban import edxml
from vanban.connector import accounts, inbox
from vanban.connector.errors import PackageUnreadable
from vanban.connector.models import OutboxItem, ReceivedPackage
from vanban.connector.transports import VdxpTransport

SNV, SKHCN, XA = "000.00.02.H99", "000.00.03.H99", "000.00.20.H99"
numbers = itertools.count(3000)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def vdxp_hub(tmp_path_factory, office_pki):
    work = tmp_path_factory.mktemp("vdxp-hub")
    node = testing.Node("truc", work, "hub", env={"VANBAN_TRUST_ROOTS": str(office_pki.root_pem)})
    try:
        testing.prepare(node, [(SNV, "Sở Nội vụ"), (SKHCN, "Sở Khoa học và Công nghệ"), (XA, "UBND xã")])
        systems = {code: json.loads(node.cli("hub", "systems", "issue", code, "--json")) for code in (SNV, SKHCN)}
        node.start()
        node.systems = systems
        yield node
    finally:
        node.close()


def transport(hub, code: str, secret: str | None = None) -> VdxpTransport:
    system = hub.systems[code]
    return VdxpTransport(hub.url + "vdxp", system["systemid"], secret or system["secret"], code)


def document(office_pki, to=(SKHCN,), **kw) -> tuple[edxml.Envelope, bytes]:
    env = testing.envelope(SNV, list(to), next(numbers), **kw)
    return env, testing.signed(env, office_pki.certs[SNV])


def listed(hub, code: str) -> dict[str, str]:
    return {item.package_id: item.kind for item in transport(hub, code).arrivals().items}


def test_a_document_sent_is_accepted_under_an_id_safe_as_a_file_name(vdxp_hub, office_pki):
    _, data = document(office_pki)

    sent = transport(vdxp_hub, SNV).send_package(data)

    assert sent.accepted and re.fullmatch(r"[A-Za-z0-9-]+", sent.package_id)


def test_the_same_document_sent_twice_is_accepted_once(vdxp_hub, office_pki):
    _, data = document(office_pki)
    hub = transport(vdxp_hub, SNV)

    first, again = hub.send_package(data), hub.send_package(data)

    assert first.accepted and again.accepted and again.package_id == first.package_id
    assert list(listed(vdxp_hub, SKHCN)).count(first.package_id) == 1


def test_a_document_for_an_unknown_recipient_is_refused_for_good_with_the_hubs_reason(vdxp_hub, office_pki):
    _, data = document(office_pki, to=("000.00.77.H99",))

    sent = transport(vdxp_hub, SNV).send_package(data)

    assert (sent.accepted, sent.code, sent.permanent) == (False, "unknown_recipient", True)
    assert "000.00.77.H99" in sent.message_vi and sent.message_en


def test_a_wrong_secret_is_refused_and_left_to_retry_once_the_account_is_fixed(vdxp_hub, office_pki):
    _, data = document(office_pki)

    sent = transport(vdxp_hub, SNV, secret="khong-dung-khoa-bi-mat").send_package(data)

    assert (sent.accepted, sent.code, sent.permanent) == (False, "bad_hmac", False)
    assert "HMAC" in sent.message_vi


def test_a_document_arrives_as_its_sender_signed_it_and_leaves_the_list_once_acknowledged(vdxp_hub, office_pki):
    _, data = document(office_pki)
    package_id = transport(vdxp_hub, SNV).send_package(data).package_id
    hub = transport(vdxp_hub, SKHCN)

    [item] = [i for i in hub.arrivals().items if i.package_id == package_id]
    fetched = hub.fetch(package_id)
    hub.ack([package_id])

    assert item.kind == "envelope" and fetched == data
    assert package_id not in listed(vdxp_hub, SKHCN)


def test_a_batch_is_fetched_ahead_only_up_to_its_byte_budget(vdxp_hub, office_pki, monkeypatch):
    from vanban.connector.transports import vdxp

    for _ in range(vdxp.CONCURRENCY + 1):
        transport(vdxp_hub, SNV).send_package(document(office_pki)[1])
    monkeypatch.setattr(vdxp, "PREFETCH_BYTES", 1)  # the first group passes it

    items = transport(vdxp_hub, SKHCN).arrivals().items

    assert [i.data is not None for i in items] == [True] * vdxp.CONCURRENCY + [False] * (len(items) - vdxp.CONCURRENCY)


def test_a_status_sent_arrives_at_the_original_sender_as_a_status(vdxp_hub, office_pki):
    env, data = document(office_pki)
    transport(vdxp_hub, SNV).send_package(data)
    status = testing.signed(testing.status(SKHCN, SNV, env.document_id, "03"), office_pki.certs[SKHCN])

    sent = transport(vdxp_hub, SKHCN).send_status(status)

    assert sent.accepted and listed(vdxp_hub, SNV).get(sent.package_id) == "status"
    parsed = edxml.parse(transport(vdxp_hub, SNV).fetch(sent.package_id))
    assert (parsed.status_code, parsed.response_for.document_id) == ("03", env.document_id)


def test_a_package_refused_as_unreadable_is_not_listed_again(vdxp_hub, office_pki):
    _, data = document(office_pki)
    package_id = transport(vdxp_hub, SNV).send_package(data).package_id

    transport(vdxp_hub, SKHCN).refuse(package_id, PackageUnreadable("Gói tin không đọc được."))

    assert package_id not in listed(vdxp_hub, SKHCN)


def test_the_sent_list_gives_each_recipients_timeline(vdxp_hub, office_pki):
    _, data = document(office_pki, to=(SKHCN, XA))
    package_id = transport(vdxp_hub, SNV).send_package(data).package_id
    transport(vdxp_hub, SKHCN).ack([package_id])

    timeline = transport(vdxp_hub, SNV).timeline(package_id)

    events = {d["recipient_code"]: [e["event"] for e in d["events"]] for d in timeline["deliveries"]}
    assert events == {SKHCN: ["accepted", "acked"], XA: ["accepted"]}
    states = {d["recipient_code"]: d["state"] for d in timeline["deliveries"]}
    assert states == {SKHCN: "acked", XA: "waiting"}


@pytest.fixture
def vdxp_office(vdxp_hub, office_pki, personas, settings, tmp_path):
    """This process as the office of Sở KH&CN, its hub account on VDXP."""
    settings.VANBAN_TRUST_ROOTS = str(office_pki.root_pem)
    settings.FILES_DIR = tmp_path / "files"
    system = vdxp_hub.systems[SKHCN]
    return accounts.set_account(
        None,
        personas.so_khcn,
        hub_url=vdxp_hub.url + "vdxp",
        protocol="vdxp",
        system_id=system["systemid"],
        secret=system["secret"],
        signing_key_path=str(office_pki.p12[SKHCN]),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_office_pulling_through_vdxp_verifies_stores_once_and_answers_01(
    vdxp_hub, vdxp_office, office_pki, personas
):
    account = vdxp_office
    env, data = document(office_pki, pdf=office_pki.pdf)
    transport(vdxp_hub, SNV).send_package(data)

    first, second = inbox.pull(account), inbox.pull(account)

    row = ReceivedPackage.objects.get(document_id=env.document_id)
    assert (row.verified, row.state, row.agency_id) == (True, "new", personas.so_khcn.pk)
    assert first.received >= 1 and not first.errors and second.received == 0
    assert ReceivedPackage.objects.filter(document_id=env.document_id).count() == 1
    [answer] = OutboxItem.objects.filter(kind="status", document_id=env.document_id)
    assert answer.document_ref == "status:01" and answer.recipients == [SNV]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_secret_document_pulled_through_vdxp_is_refused_at_the_hub_and_answered_02(vdxp_hub, vdxp_office, office_pki):
    from vanban.signing import KeyFileSigner, make_sample_pdf, seal_pdf

    stamped = seal_pdf(make_sample_pdf(extra_lines=("MẬT",)).pdf, KeyFileSigner(office_pki.certs[SNV]))
    env, data = document(office_pki, pdf=stamped)
    package_id = transport(vdxp_hub, SNV).send_package(data).package_id

    inbox.pull(vdxp_office)

    row = ReceivedPackage.objects.get(document_id=env.document_id)
    assert row.state == "secret" and row.secret_reported_at is not None and inbox.package_bytes(row) is None
    assert OutboxItem.objects.get(kind="status", document_id=env.document_id).document_ref == "status:02"
    assert package_id not in listed(vdxp_hub, SKHCN)
    [delivery] = transport(vdxp_hub, SNV).timeline(package_id)["deliveries"]
    assert delivery["state"] == "acked" and delivery["events"][-1]["event"] == "recipient_failed"
