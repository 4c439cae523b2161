"""Remote signing: the leader's key stays with a provider (the reference service, run here
over HTTP, holding each signature until the leader approves on the phone); the leader
chooses "Ký số từ xa" on the document's page. The signed PDF validates and names him."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
from django.urls import reverse

from tests.registry.test_outgoing_flow import draft
from vanban.audit.models import AuditEvent
from vanban.registry import services
from vanban.registry.models import SigningKey
from vanban.signing import RemoteSigningService, load_pkcs12, load_trust_roots, validate_pdf

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
ACCOUNT_TOKEN = "tai-khoan-ky-so-tu-xa-cua-minh"


@pytest.fixture
def provider(registry_pki) -> Iterator[RemoteSigningService]:
    keys = {
        "minh-01": load_pkcs12(registry_pki.files["minh"][0]),
        "tuan-01": load_pkcs12(registry_pki.files["tuan"][0]),
    }
    with RemoteSigningService(keys, token=ACCOUNT_TOKEN, approval=True) as svc:
        yield svc


@pytest.fixture
def account(office, provider, settings):
    settings.VANBAN_REMOTE_SIGNING_APPROVAL_SECONDS = 10
    return services.register_remote_account(office.khoa.user, office.minh, provider.url, "minh-01", ACCOUNT_TOKEN)


def phone(provider: RemoteSigningService, answer: str) -> threading.Thread:
    """The leader's phone: the request shows up, the leader approves or refuses it."""

    def run() -> None:
        for _ in range(400):
            waiting = provider.pending()
            if waiting:
                req = urllib.request.Request(
                    f"{provider.url}/v1/requests/{waiting[0]}/{answer}",
                    data=b"",
                    method="POST",
                    headers={"Authorization": f"Bearer {ACCOUNT_TOKEN}"},
                )
                urllib.request.urlopen(req, timeout=10).read()
                return
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def approved(office, sample_pdf):
    doc = draft(office, sample_pdf)
    services.submit(office.tuan.user, doc)
    return services.approve(office.minh.user, doc)


def login(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_leader_approves_on_the_phone_and_the_pdf_names_him(
    client, office, sample_pdf, account, provider, settings
):
    doc = approved(office, sample_pdf)
    client = login(client, "minh")
    assert (
        "Ký số từ xa (xác nhận trên điện thoại)" in client.get(reverse("web:outgoing", args=[doc.pk])).content.decode()
    )
    the_phone = phone(provider, "approve")
    page = client.post(reverse("web:outgoing_action", args=[doc.pk, "ky"]), {"source": "remote"}, follow=True)
    the_phone.join(5)
    assert "Đã ký số văn bản." in page.content.decode()
    doc.refresh_from_db()
    assert doc.state == "da-ky" and provider.requests_signed == 1
    result = validate_pdf(doc.signed_file.read(), load_trust_roots([settings.VANBAN_TRUST_ROOTS]))
    assert result.verdict == "valid", result.report_vi()
    assert result.signatures[0].signer_name == "Trần Quang Minh"
    event = AuditEvent.objects.filter(action="registry.outgoing.signed", object_id=str(doc.pk)).get()
    assert event.after["key"] == "remote"


def test_a_refusal_on_the_phone_leaves_the_document_unsigned(client, office, sample_pdf, account, provider):
    doc = approved(office, sample_pdf)
    the_phone = phone(provider, "deny")
    page = login(client, "minh").post(
        reverse("web:outgoing_action", args=[doc.pk, "ky"]), {"source": "remote"}, follow=True
    )
    the_phone.join(5)
    assert "Dịch vụ ký số từ xa từ chối yêu cầu" in page.content.decode()
    doc.refresh_from_db()
    assert doc.state == "da-duyet" and not AuditEvent.objects.filter(action="registry.outgoing.signed").exists()


def test_the_account_token_is_sealed_at_rest(account):
    row = SigningKey.objects.get(pk=account.pk)
    assert row.kind == "remote" and row.key_label == "minh-01"
    assert row.service_token and ACCOUNT_TOKEN not in row.service_token


def test_an_account_whose_key_is_a_colleagues_is_refused(office, provider):
    from vanban.registry.errors import SigningFailed

    with pytest.raises(SigningFailed) as err:
        services.register_remote_account(office.khoa.user, office.minh, provider.url, "tuan-01", ACCOUNT_TOKEN)
    assert err.value.code == "certificate_not_holder"
    assert not SigningKey.objects.filter(kind="remote").exists()


def test_without_an_account_the_leader_is_told_so(client, office, sample_pdf):
    doc = approved(office, sample_pdf)
    page = login(client, "minh").post(
        reverse("web:outgoing_action", args=[doc.pk, "ky"]), {"source": "remote"}, follow=True
    )
    assert "Bạn chưa có tài khoản ký số từ xa" in page.content.decode()


def test_the_administrator_registers_the_account_on_the_keys_page(client, office, provider):
    page = login(client, "khoa").post(
        reverse("web:agency_keys") + "?co-quan=000.00.02.H99",
        {
            "tu-xa-person": str(office.minh.pk),
            "tu-xa-service_url": provider.url,
            "tu-xa-key_id": "minh-01",
            "tu-xa-token": ACCOUNT_TOKEN,
        },
        follow=True,
    )
    text = page.content.decode()
    assert "Đã đăng ký tài khoản ký số từ xa của Trần Quang Minh." in text and "Ký số từ xa" in text
    row = SigningKey.objects.get(person=office.minh, kind="remote", active=True)
    assert row.key_label == "minh-01" and ACCOUNT_TOKEN not in row.service_token
    assert SigningKey.objects.filter(person=office.minh, kind="file", active=True).exists()  # both ways stay
    event = AuditEvent.objects.filter(action="registry.key.registered").get()
    assert ACCOUNT_TOKEN not in str(event.after)


def test_a_wrong_account_token_is_said_on_the_keys_page(client, office, provider):
    page = login(client, "khoa").post(
        reverse("web:agency_keys") + "?co-quan=000.00.02.H99",
        {
            "tu-xa-person": str(office.minh.pk),
            "tu-xa-service_url": provider.url,
            "tu-xa-key_id": "minh-01",
            "tu-xa-token": "sai",
        },
    )
    assert "Dịch vụ ký số từ xa từ chối yêu cầu (401" in page.content.decode()
    assert not SigningKey.objects.filter(kind="remote").exists()
