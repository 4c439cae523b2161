"""Signing with a USB token through the local signing agent: a SoftHSM2 token holds the
leader's key, the agent serves real HTTP on 127.0.0.1, and the test plays the page (the
agent's certificate, the server's digest, the agent's value, the server's finish). The
signed PDF validates (the project's check and pdfsig) and names the leader; the flow goes on
as with a key on the server."""

from __future__ import annotations

import base64
import http.client
import json
import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from django.urls import reverse

from testkit.softhsm import SOFTHSM_MODULE, softhsm_token
from tests.registry.test_outgoing_flow import draft
from vanban.audit.models import AuditEvent
from vanban.registry import services
from vanban.registry.models import OutgoingDocument, PendingSignature
from vanban.signagent import AgentConfig, SigningAgent, TokenKey
from vanban.signing import load_pkcs12, load_trust_roots, validate_pdf

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
PIN = "112233"
SITE = "http://testserver"  # the Django test client's origin
PAIRING = "424242"


@pytest.fixture(scope="module")
def token(tmp_path_factory, registry_pki) -> Iterator[str]:
    """The leader Trần Quang Minh's key and the colleague Vũ Anh Tuấn's, each on its own label."""
    minh = load_pkcs12(registry_pki.files["minh"][0])
    tuan = load_pkcs12(registry_pki.files["tuan"][0])
    folder = tmp_path_factory.mktemp("leader-token")
    with softhsm_token(folder, "token-snv", PIN, [(minh, "minh"), (tuan, "tuan")]) as label:
        yield label


class PinPad:
    def __init__(self) -> None:
        self.asked, self.counts = 0, []

    def __call__(self, count: int) -> str:
        self.asked += 1
        self.counts.append(count)
        return PIN


def _agent(token: str, key_label: str, pinpad: PinPad) -> SigningAgent:
    return SigningAgent(AgentConfig(TokenKey(SOFTHSM_MODULE, token, key_label), (SITE,), pinpad, PAIRING, port=0))


@pytest.fixture
def pinpad() -> PinPad:
    return PinPad()


@pytest.fixture
def agent(token, pinpad) -> Iterator[SigningAgent]:
    with _agent(token, "minh", pinpad) as running:
        yield running


def to_agent(agent: SigningAgent, method: str, path: str, body: object = None) -> dict:
    """The page's fetch() to the agent: real HTTP, the page's Origin and the pairing code."""
    conn = http.client.HTTPConnection("127.0.0.1", int(agent.url.rsplit(":", 1)[1]), timeout=30)
    headers = {"Origin": SITE, "X-Vanban-Agent": PAIRING, "Content-Type": "application/json"}
    conn.request(method, path, body=None if body is None else json.dumps(body).encode(), headers=headers)
    resp = conn.getresponse()
    reply = json.loads(resp.read())
    conn.close()
    assert resp.status == 200, reply
    return reply


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def approved(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    return services.approve(office.minh.user, doc)


def sign_with_token(client, agent, prepare_url: str, extra: dict | None = None):
    """What static/web/tokensign.js does, step by step; the server's last answer."""
    cert = to_agent(agent, "GET", "/v1/certificate")
    prepared = client.post(
        prepare_url, {**cert, **(extra or {})}, content_type="application/json"
    )  # the certificate and chain
    if prepared.status_code != 200:
        return prepared
    items = prepared.json()["items"]
    signed = to_agent(
        agent,
        "POST",
        "/v1/sign",
        {"digest_algorithm": prepared.json()["digest_algorithm"], "digests": [i["digest"] for i in items]},
    )
    values = {i["token"]: v for i, v in zip(items, signed["signatures"])}
    return client.post(reverse("web:token_finish"), {"signatures": values}, content_type="application/json")


def _pdfsig(pdf: bytes, tmp_path) -> str:
    tool = shutil.which("pdfsig")
    if tool is None:
        pytest.skip("pdfsig is not installed (Debian package poppler-utils)")
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path)], capture_output=True, text=True).stdout


def test_the_leader_signs_with_the_usb_token_and_the_pdf_names_him(
    client, office, sample_pdf, agent, pinpad, settings, tmp_path
) -> None:
    doc = approved(office, sample_pdf)
    page = login(client, "minh").get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    assert "Ký bằng USB token" in page and reverse("web:token_prepare", args=[doc.pk]) in page
    done = sign_with_token(client, agent, reverse("web:token_prepare", args=[doc.pk]))
    assert done.status_code == 200 and done.json()["redirect"] == reverse("web:outgoing", args=[doc.pk])
    doc.refresh_from_db()
    assert doc.state == "da-ky" and pinpad.asked == 1
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([settings.VANBAN_TRUST_ROOTS]))
    assert result.verdict == "valid", result.report_vi()
    assert (result.signatures[0].signer_name, result.signatures[0].kind) == ("Trần Quang Minh", "person")
    out = _pdfsig(doc.signed_file.read(), tmp_path)
    assert "Signature Validation: Signature is Valid." in out and "Trần Quang Minh" in out, out
    event = AuditEvent.objects.filter(action="registry.outgoing.signed").get()
    assert event.object_id == str(doc.pk) and "Trần Quang Minh" in event.after["certificate"]
    assert event.after["key"] == "usb-token"
    assert "Đã ký số văn bản." in client.get(done.json()["redirect"]).content.decode()
    assert not PendingSignature.objects.exists()


def test_the_clerk_numbers_and_seals_what_the_token_signed(client, office, sample_pdf, agent, settings) -> None:
    doc = approved(office, sample_pdf)
    sign_with_token(login(client, "minh"), agent, reverse("web:token_prepare", args=[doc.pk]))
    services.number_document(office.lan.user, doc)
    doc = services.seal_document(office.lan.user, doc)
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([settings.VANBAN_TRUST_ROOTS]))
    assert result.verdict == "valid", result.report_vi()
    assert [s.signer_name for s in result.signatures] == ["Trần Quang Minh", "Sở Nội vụ"]


def test_a_colleagues_token_is_refused_before_anything_is_signed(client, office, sample_pdf, token, pinpad) -> None:
    doc = approved(office, sample_pdf)
    with _agent(token, "tuan", pinpad) as colleague:  # Vũ Anh Tuấn's certificate, same agency
        answer = sign_with_token(login(client, "minh"), colleague, reverse("web:token_prepare", args=[doc.pk]))
    assert answer.status_code == 409 and answer.json()["error"] == "certificate_not_holder"
    assert "không phải của Trần Quang Minh" in answer.json()["message"]
    doc.refresh_from_db()
    assert doc.state == "da-duyet" and pinpad.asked == 0 and not PendingSignature.objects.exists()


def test_a_value_not_from_the_token_is_refused(client, office, sample_pdf, agent) -> None:
    doc = approved(office, sample_pdf)
    client = login(client, "minh")
    cert = to_agent(agent, "GET", "/v1/certificate")
    items = client.post(reverse("web:token_prepare", args=[doc.pk]), cert, content_type="application/json").json()
    forged = base64.b64encode(b"\x30\x06\x02\x01\x01\x02\x01\x01").decode()
    answer = client.post(
        reverse("web:token_finish"),
        {"signatures": {items["items"][0]["token"]: forged}},
        content_type="application/json",
    )
    assert answer.status_code == 409
    doc.refresh_from_db()
    assert doc.state == "da-duyet" and not AuditEvent.objects.filter(action="registry.outgoing.signed").exists()


def test_another_persons_pending_signature_cannot_be_finished(client, office, sample_pdf, agent) -> None:
    doc = approved(office, sample_pdf)
    cert = to_agent(agent, "GET", "/v1/certificate")
    items = login(client, "minh").post(
        reverse("web:token_prepare", args=[doc.pk]), cert, content_type="application/json"
    )
    value = base64.b64encode(b"x" * 64).decode()
    office.tuan.roles.add(*office.minh.roles.all())  # another leader of the agency
    answer = login(client, "tuan").post(
        reverse("web:token_finish"),
        {"signatures": {items.json()["items"][0]["token"]: value}},
        content_type="application/json",
    )
    assert answer.status_code == 409 and answer.json()["error"] == "pending_unknown"
    assert OutgoingDocument.objects.get(pk=doc.pk).state == "da-duyet"


def test_batch_signing_with_the_token_takes_one_pin(client, office, sample_pdf, agent, pinpad) -> None:
    docs = [approved(office, sample_pdf) for _ in range(3)]
    client = login(client, "minh")
    page = client.get(reverse("web:batch_sign")).content.decode()
    assert "Ký các văn bản đã chọn bằng USB token" in page
    done = sign_with_token(client, agent, reverse("web:batch_token_prepare"), {"documents": [docs[0].pk, docs[2].pk]})
    assert done.status_code == 200 and sorted(done.json()["signed"]) == sorted([docs[0].pk, docs[2].pk])
    assert pinpad.counts == [2]  # one PIN entry for the two documents
    states = {d.pk: d.state for d in OutgoingDocument.objects.all()}
    assert [states[d.pk] for d in docs] == ["da-ky", "da-duyet", "da-ky"]
    events = AuditEvent.objects.filter(action="registry.outgoing.signed")
    assert sorted(int(e.object_id) for e in events) == sorted([docs[0].pk, docs[2].pk])
    assert "Đã ký số 2 văn bản." in client.get(done.json()["redirect"]).content.decode()


def test_the_page_may_reach_the_agent_and_nothing_else(client, office, sample_pdf) -> None:
    doc = approved(office, sample_pdf)
    page = login(client, "minh").get(reverse("web:outgoing", args=[doc.pk]))
    policy = page["Content-Security-Policy"]
    connect = re.search(r"connect-src ([^;]*)", policy)
    assert connect is not None and connect.group(1).split() == ["'self'", "http://127.0.0.1:8765"]
    assert "<script>" not in page.content.decode()
