"""The văn thư seals with the agency's USB token through the local signing agent: a SoftHSM2
token holds Sở Nội vụ's key (and, for the refusals, a leader's and another agency's), the agent
serves real HTTP on 127.0.0.1, and the test plays the page as static/web/tokensign.js does.
The sealed PDF validates (the project's check and pdfsig) with the signer's signature and the
seal naming the agency; a person's or another agency's certificate is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from testkit.softhsm import softhsm_token
from tests.web.test_token_signing_pages import PIN, PinPad, _agent, _pdfsig, approved, login, to_agent
from vanban.audit.models import AuditEvent
from vanban.registry import services
from vanban.registry.models import OutgoingDocument, PendingSignature
from vanban.signing import load_pkcs12, load_trust_roots, validate_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def token(tmp_path_factory, registry_pki) -> Iterator[str]:
    """Sở Nội vụ's agency key, the leader Trần Quang Minh's, and Sở KH&CN's agency key."""
    keys = [(load_pkcs12(registry_pki.files[name][0]), name) for name in ("snv", "minh", "skhcn")]
    with softhsm_token(tmp_path_factory.mktemp("agency-token"), "token-co-quan", PIN, keys) as label:
        yield label


@pytest.fixture
def pinpad() -> PinPad:
    return PinPad()


def numbered(office, sample_pdf) -> OutgoingDocument:
    doc = approved(office, sample_pdf)
    services.sign_document(office.minh.user, doc)
    return services.number_document(office.lan.user, doc)


def seal_with_token(client, agent, doc):
    """What static/web/tokensign.js does for the seal block; the server's last answer."""
    cert = to_agent(agent, "GET", "/v1/certificate")
    prepared = client.post(reverse("web:token_seal_prepare", args=[doc.pk]), cert, content_type="application/json")
    if prepared.status_code != 200:
        return prepared
    (item,) = prepared.json()["items"]
    signed = to_agent(
        agent,
        "POST",
        "/v1/sign",
        {"digest_algorithm": prepared.json()["digest_algorithm"], "digests": [item["digest"]]},
    )
    return client.post(
        reverse("web:token_seal_finish"),
        {"signatures": {item["token"]: signed["signatures"][0]}},
        content_type="application/json",
    )


def test_the_seal_form_offers_the_agencys_token(client, office, sample_pdf) -> None:
    doc = numbered(office, sample_pdf)
    page = login(client, "lan").get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    assert "Thiết bị ký số (USB token) của cơ quan" in page and "Ký số cơ quan" in page
    assert reverse("web:token_seal_prepare", args=[doc.pk]) in page and reverse("web:token_seal_finish") in page


def test_the_clerk_seals_with_the_agency_token_and_both_signatures_are_valid(
    client, office, sample_pdf, token, pinpad, settings, tmp_path
) -> None:
    doc = numbered(office, sample_pdf)
    with _agent(token, "snv", pinpad) as agent:
        done = seal_with_token(login(client, "lan"), agent, doc)
    assert done.status_code == 200 and done.json()["redirect"] == reverse("web:outgoing", args=[doc.pk])
    doc.refresh_from_db()
    assert doc.state == "da-dong-dau" and pinpad.asked == 1
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([settings.VANBAN_TRUST_ROOTS]))
    assert result.verdict == "valid", result.report_vi()
    assert [(s.signer_name, s.kind) for s in result.signatures] == [
        ("Trần Quang Minh", "person"),
        ("Sở Nội vụ", "agency"),
    ]
    out = _pdfsig(doc.signed_file.read(), tmp_path)
    assert out.count("Signature Validation: Signature is Valid.") == 2 and "Sở Nội vụ" in out, out
    event = AuditEvent.objects.filter(action="registry.outgoing.sealed").get()
    assert event.after["key"] == "usb-token" and "Sở Nội vụ" in event.after["certificate"]
    assert "Đã ký số của cơ quan (đóng dấu)." in client.get(done.json()["redirect"]).content.decode()
    assert not PendingSignature.objects.exists()


def test_the_token_seal_looks_as_the_server_seal(client, office, sample_pdf, token, pinpad) -> None:
    from vanban.signing import signature_boxes

    by_token, by_server = numbered(office, sample_pdf), numbered(office, sample_pdf)
    with _agent(token, "snv", pinpad) as agent:
        seal_with_token(login(client, "lan"), agent, by_token)
    services.seal_document(office.lan.user, by_server)
    by_token.refresh_from_db()
    by_server.refresh_from_db()
    assert signature_boxes(by_token.signed_file.read()) == signature_boxes(by_server.signed_file.read())


def test_a_persons_certificate_on_the_token_is_refused(client, office, sample_pdf, token, pinpad) -> None:
    doc = numbered(office, sample_pdf)
    with _agent(token, "minh", pinpad) as agent:  # the leader's own certificate, same agency
        answer = seal_with_token(login(client, "lan"), agent, doc)
    assert answer.status_code == 409 and answer.json()["error"] == "certificate_kind"
    assert "Cần chứng thư số của cơ quan" in answer.json()["message"]
    doc.refresh_from_db()
    assert doc.state == "da-cap-so" and pinpad.asked == 0 and not PendingSignature.objects.exists()


def test_another_agencys_certificate_is_refused(client, office, sample_pdf, token, pinpad) -> None:
    doc = numbered(office, sample_pdf)
    with _agent(token, "skhcn", pinpad) as agent:  # Sở Khoa học và Công nghệ's seal
        answer = seal_with_token(login(client, "lan"), agent, doc)
    assert answer.status_code == 409 and answer.json()["error"] == "certificate_not_owner"
    doc.refresh_from_db()
    assert doc.state == "da-cap-so" and pinpad.asked == 0


def test_a_signers_pending_signature_cannot_finish_a_seal(client, office, sample_pdf, token, pinpad) -> None:
    doc = approved(office, sample_pdf)
    with _agent(token, "minh", pinpad) as agent:
        cert = to_agent(agent, "GET", "/v1/certificate")
    office.minh.roles.add(*office.lan.roles.all())  # a leader who is also the clerk
    client = login(client, "minh")
    items = client.post(reverse("web:token_prepare", args=[doc.pk]), cert, content_type="application/json").json()
    answer = client.post(
        reverse("web:token_seal_finish"),
        {"signatures": {items["items"][0]["token"]: "AAAA"}},
        content_type="application/json",
    )
    assert answer.status_code == 409 and answer.json()["error"] == "pending_unknown"
    assert OutgoingDocument.objects.get(pk=doc.pk).state == "da-duyet"


def test_a_document_with_attachments_is_sealed_with_the_servers_key_not_the_token(
    client, office, sample_pdf, token, pinpad
) -> None:
    from tests.registry.test_outgoing_flow import draft

    doc = draft(office, sample_pdf)
    services.add_attachment(office.tuan.user, doc, sample_pdf, "phu-luc.pdf")
    services.submit(office.tuan.user, doc)
    services.approve(office.minh.user, doc)
    services.sign_document(office.minh.user, doc)
    services.number_document(office.lan.user, doc)
    with _agent(token, "snv", pinpad) as agent:
        answer = seal_with_token(login(client, "lan"), agent, doc)
    assert answer.status_code == 409 and answer.json()["error"] == "token_seal_attachments"
    assert "phụ lục" in answer.json()["message"] and OutgoingDocument.objects.get(pk=doc.pk).state == "da-cap-so"
