"""Wrong passwords: an account, and an address, refused for a while after five; every failure
in the audit log (never the password); the administrators told by e-mail."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from vanban.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
LOCKED = "Tạm khóa đăng nhập"


def _login(client, username, password, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _wrong(client, username, times, address="10.0.0.7"):
    for _ in range(times):
        response = _login(client, username, "sai-mat-khau", address)
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(client, office):
    _wrong(client, "lan", 4)
    response = _login(client, "lan", "sai-mat-khau")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    response = _login(client, "lan", PASSWORD, address="10.0.0.99")  # from anywhere: the account is locked
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_account_from_another_address_still_logs_in(client, office):
    _wrong(client, "lan", 4)
    assert _login(client, "lan", "sai-mat-khau").status_code == 429
    response = _login(client, "tuan", PASSWORD, address="10.0.0.8")
    assert response.status_code == 302 and client.session["_auth_user_id"]


def test_an_address_trying_many_accounts_is_refused(client, office):
    for name in ("an", "binh", "chi", "dung", "em"):
        _login(client, name, "sai-mat-khau", address="10.0.0.9")
    assert _login(client, "lan", PASSWORD, address="10.0.0.9").status_code == 429
    assert _login(client, "lan", PASSWORD, address="10.0.0.10").status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(client, office):
    _wrong(client, "lan", 4)
    assert _login(client, "lan", PASSWORD).status_code == 302
    client.logout()
    _wrong(client, "lan", 4)
    assert _login(client, "lan", PASSWORD).status_code == 302


def test_every_failure_is_in_the_audit_log_without_the_password(client, office):
    _wrong(client, "lan", 2)
    events = AuditEvent.objects.filter(action="auth.login.failed")
    assert [(e.object_label, e.after["address"]) for e in events] == [("lan", "10.0.0.7")] * 2
    assert not any("sai-mat-khau" in str(e.after) + e.object_label + e.object_id for e in AuditEvent.objects.all())


def test_the_administrators_are_told_of_a_lock_out(client, office):
    get_user_model().objects.create_superuser("quantri", "quantri@sonoivu.gov.vn", PASSWORD)
    _wrong(client, "lan", 4)
    assert mail.outbox == []
    _login(client, "lan", "sai-mat-khau")
    assert [m.to for m in mail.outbox] == [["quantri@sonoivu.gov.vn"]]
    assert "lan" in mail.outbox[0].subject and "10.0.0.7" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="auth.login.locked_out", object_label="lan").count() == 1
