"""VDXP system ids: issue (the secret shown once), revoke, and authenticate a request.

A request names its ``systemid``; the hub unseals that system's secret, recomputes the HMAC
over the sign-header as received (:meth:`vanban.vdxp.SignedRequest.verify`) and acts for the
agency codes bound to the system. Valid systems are kept a few seconds
(:mod:`vanban.exchange.cache`); the HMAC is checked on every request.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vanban import audit
from vanban.audit.actions import AuditAction
from vanban.exchange import cache, conf
from vanban.exchange.auth import Caller
from vanban.exchange.errors import HubError
from vanban.exchange.models import VdxpSystem
from vanban.exchange.vdxp.sealing import seal, unseal
from vanban.vdxp import SignedRequest, VdxpError

logger = logging.getLogger(__name__)
SYSTEMID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class System:
    """An authenticated VDXP system: its id and the agency codes it acts for."""

    systemid: str
    codes: tuple[str, ...]
    sandbox: bool = False

    def caller(self, code: str) -> Caller:
        """The hub caller for one of its agencies (the same checks as ``/hub/v1/``)."""
        return Caller(f"vdxp:{self.systemid}", agency_code=code, via=self.systemid)

    def callers(self) -> list[Caller]:
        return [self.caller(c) for c in self.codes]


def _check_codes(codes: list[str]) -> list[str]:
    from vanban.directory.models import Agency

    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not wanted:
        raise HubError("Cần ít nhất một mã cơ quan.", "Give at least one agency code.", code="invalid_parameters")
    known = set(Agency.objects.filter(code__in=wanted).values_list("code", flat=True))
    missing = [c for c in wanted if c not in known]
    if missing:
        raise HubError(
            f"Không có cơ quan mã {', '.join(missing)} trong danh bạ.",
            f"No agency {', '.join(missing)} in the directory.",
            code="not_found",
            http_status=404,
        )
    return wanted


def issue_system(
    actor, codes: list[str], *, systemid: str = "", secret: str = "", sandbox: bool = False, label: str = ""
) -> tuple[VdxpSystem, str]:
    """A new system id bound to ``codes`` and its secret (returned once, stored sealed).

    ``systemid`` and ``secret`` may be chosen only for a sandbox system (a vendor's test
    configuration); otherwise both are random.
    """
    if (systemid or secret) and not sandbox:
        raise HubError(
            "Chỉ hệ thống thử nghiệm (--sandbox) mới được tự chọn mã hệ thống hoặc khóa bí mật.",
            "Only a sandbox system may have a chosen system id or secret.",
            code="invalid_parameters",
        )
    systemid = systemid or "vb." + base64.b32encode(os.urandom(10)).decode().lower()
    if not SYSTEMID.match(systemid):
        raise HubError(
            "Mã hệ thống chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới (tối đa 40 ký tự).",
            "A system id is letters, digits, '.', '-', '_' (at most 40).",
            code="invalid_parameters",
        )
    if secret and not secret.isascii():
        raise HubError("Khóa bí mật phải là ký tự ASCII.", "The secret must be ASCII.", code="invalid_parameters")
    secret = secret or secrets.token_urlsafe(32)
    bound = _check_codes(codes)
    with transaction.atomic():
        if VdxpSystem.objects.filter(pk=systemid).exists():
            raise HubError(
                f"Mã hệ thống {systemid} đã có.", f"System id {systemid} exists.", code="conflict", http_status=409
            )
        system = VdxpSystem.objects.create(
            systemid=systemid, secret_sealed=seal(secret), agency_codes=bound, sandbox=sandbox, label=label
        )
        audit.record(
            actor,
            AuditAction.HUB_CREDENTIAL_ISSUED,
            system,
            after={"vdxp_systemid": systemid, "agency_codes": bound, "sandbox": sandbox, "label": label},
        )
        cache.credentials.invalidate()
    return system, secret


def revoke_system(actor, systemid: str) -> VdxpSystem:
    with transaction.atomic():
        system = VdxpSystem.objects.select_for_update().filter(pk=systemid).first()
        if system is None:
            raise HubError("Không có mã hệ thống này.", "No such system id.", code="not_found", http_status=404)
        if system.revoked_at is None:
            system.revoked_at = timezone.now()
            system.save(update_fields=["revoked_at"])
            audit.record(actor, AuditAction.HUB_CREDENTIAL_REVOKED, system, after={"vdxp_systemid": systemid})
        cache.credentials.invalidate()
    return system


def set_codes(systemid: str, codes: list[str]) -> None:
    """Bind the system to exactly ``codes`` (registerAgency / deleteAgency)."""
    VdxpSystem.objects.filter(pk=systemid).update(agency_codes=list(dict.fromkeys(codes)))
    cache.credentials.invalidate()


def _load(systemid: str) -> tuple[str, str | None, tuple[str, ...], bool] | None:
    """(state, secret, codes, sandbox); state is ``ok``, ``revoked`` or ``unsealed``."""
    system = VdxpSystem.objects.filter(pk=systemid).first()
    if system is None:
        return None
    if system.revoked_at is not None:
        return "revoked", None, (), system.sandbox
    secret = unseal(system.secret_sealed)
    return ("ok" if secret is not None else "unsealed"), secret, tuple(system.agency_codes), system.sandbox


def authenticate(signed: SignedRequest) -> System:
    """The system that signed ``signed``, or a :class:`VdxpError` saying why not."""
    found = cache.credentials.get(f"vdxp:{signed.systemid}", lambda: _load(signed.systemid))
    if found is None:
        raise VdxpError("unknown_system", signed.systemid[:40])
    state, secret, codes, sandbox = found
    if state == "revoked":
        raise VdxpError("system_revoked", signed.systemid)
    if sandbox and not conf.sandbox():
        raise VdxpError(
            "unknown_system",
            f"{signed.systemid} là hệ thống thử nghiệm, chỉ dùng được trên trục chạy --sandbox",
            f"{signed.systemid} is a sandbox system, accepted only by a hub run with --sandbox",
        )
    if secret is None:
        logger.error("vdxp: the secret of %s cannot be unsealed (VANBAN_VDXP_SECRET_KEY changed?)", signed.systemid)
        raise VdxpError("internal_error")
    signed.verify(secret)
    return System(signed.systemid, codes, sandbox)
