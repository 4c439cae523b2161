"""Wrong passwords: throttled by account and by address (django-axes), every failure in the
audit log, the administrators told by e-mail when an account or an address is locked out.

The limits are settings (``VANBAN_LOGIN_FAILURE_LIMIT`` wrong passwords, then
``VANBAN_LOGIN_COOLOFF_MINUTES`` of refusal; see the operator guide). Only the user name and
the address are recorded, never what was typed as the password."""

from __future__ import annotations

import logging
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.mail import send_mail
from django.dispatch import receiver
from django.http import HttpRequest

from vanban import audit
from vanban.audit.actions import AuditAction

__all__ = ["LoginThrottleBackend", "client_address"]

log = logging.getLogger(__name__)


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins through a page (a request); a login without one (a
    command, the test client) has nobody to throttle and is left to the next backend."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The address a login came from (the proxy in front, when there is one, sets it)."""
    return str(request.META.get("REMOTE_ADDR", ""))


@receiver(user_login_failed)
def _record_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        None,
        AuditAction.LOGIN_FAILED,
        object_type="auth.user",
        object_id=username,
        object_label=username,
        after={"address": client_address(request)},
        chain=audit.SYSTEM_CHAIN,
    )


def locked_out(sender: Any, request: HttpRequest, username: str, ip_address: str, **kwargs: Any) -> None:
    """Audit the lock-out and tell the administrators (axes' ``user_locked_out``)."""
    audit.record(
        None,
        AuditAction.LOGIN_LOCKED_OUT,
        object_type="auth.user",
        object_id=username or "",
        object_label=username or "",
        after={"address": ip_address},
        chain=audit.SYSTEM_CHAIN,
    )
    admins = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not admins:
        log.warning("login locked out (%s from %s) and no administrator has an e-mail address", username, ip_address)
        return
    send_mail(
        f"[vanban] Tạm khóa đăng nhập: {username or 'không rõ tài khoản'}",
        f"Đăng nhập sai mật khẩu nhiều lần với tài khoản “{username}” từ địa chỉ {ip_address}: "
        "tài khoản và địa chỉ này tạm thời bị từ chối đăng nhập. Nếu không phải người dùng "
        "quên mật khẩu, hãy kiểm tra nhật ký kiểm tra (audit) và trang quản trị “Axes”.",
        None,
        admins,
        fail_silently=True,
    )
