"""The demo's interconnection hub: the same process serves it, and every demo agency's
office reaches it over HTTP on loopback with its own credential and XML-signing key."""

from __future__ import annotations

from vanban.connector.accounts import set_account
from vanban.connector.models import HubAccount
from vanban.directory.models import Agency
from vanban.exchange.auth import issue_credential
from vanban.exchange.models import ServedPattern
from vanban.exchange.services import set_served_patterns

PLACEHOLDER_URL = "http://127.0.0.1:8000/hub/v1/"


def connect(agencies: list[Agency], patterns: list[str], key_dir) -> int:
    """Serve ``patterns`` at the local hub and give each agency a hub account, once."""
    if not ServedPattern.objects.exists():
        set_served_patterns(None, patterns)
    made = 0
    for agency in agencies:
        if HubAccount.objects.filter(agency=agency).exists():
            continue
        _, token = issue_credential(None, agency=agency, label="demo")
        set_account(
            None, agency, hub_url=PLACEHOLDER_URL, token=token, signing_key_path=str(key_dir / f"{agency.code}.p12")
        )
        made += 1
    return made


def point_accounts_to(url: str) -> None:
    """The demo's port may change between runs: every local account follows it."""
    HubAccount.objects.filter(hub_url__startswith="http://127.0.0.1").update(hub_url=url)
