"""Telling the administrators about damaged or missing files, by e-mail (Django's mail,
as the lock-out notice does): one message per agency to its administrators
(``quan-tri-co-quan``) with the files its rows name; files of no agency (the hub's
packages), or of an agency whose administrators have no e-mail address, go to the
superusers and the provincial administrators (``quan-tri-tinh``)."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from vanban.directory.models import Person
from vanban.directory.services import AGENCY_ADMIN, PROVINCE_ADMIN
from vanban.fixity.services import Finding

__all__ = ["notify_findings", "agency_admin_emails", "system_admin_emails"]

log = logging.getLogger(__name__)


def agency_admin_emails(code: str) -> list[str]:
    return sorted(
        set(
            Person.objects.filter(agency__code=code, roles__code=AGENCY_ADMIN, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def system_admin_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    supers = set(users.filter(is_superuser=True).values_list("email", flat=True))
    province = set(
        Person.objects.filter(roles__code=PROVINCE_ADMIN, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(supers | province)


def _send(recipients: list[str], findings: list[Finding], whose: str) -> None:
    lines = "\n".join(f"- {f.line_vi()}" for f in findings)
    send_mail(
        f"[vanban] Kiểm tra toàn vẹn: {len(findings)} tệp lưu trữ bị hỏng hoặc bị mất",
        f"Lần kiểm tra định kỳ kho tệp lưu trữ phát hiện {len(findings)} tệp {whose}không còn nguyên vẹn:\n\n"
        f"{lines}\n\n"
        "Hãy khôi phục các tệp này từ bản sao lưu (vanban restore) hoặc từ nơi gửi, rồi kiểm tra lại "
        "bằng lệnh “vanban storage fixity --all”. Chi tiết có trong nhật ký kiểm tra (audit).",
        None,
        recipients,
        fail_silently=True,
    )


def notify_findings(findings: list[Finding]) -> None:
    by_agency: dict[str, list[Finding]] = defaultdict(list)
    unowned: list[Finding] = []
    for f in findings:
        for code in f.agencies:
            by_agency[code].append(f)
        if not f.agencies:
            unowned.append(f)
    fallback: list[Finding] = list(unowned)
    for code, items in sorted(by_agency.items()):
        recipients = agency_admin_emails(code)
        if recipients:
            _send(recipients, items, f"của cơ quan {code} ")
        else:
            fallback += [f for f in items if f not in fallback]
    if fallback:
        recipients = system_admin_emails()
        if recipients:
            _send(recipients, fallback, "")  # no agency, or its administrators have no address
        else:
            log.warning("fixity: %d damaged or missing files and no administrator has an e-mail address", len(fallback))
