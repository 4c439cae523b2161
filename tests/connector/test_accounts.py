"""Hub accounts: which protocol the agency's hub speaks, and its credential sealed at rest."""

from __future__ import annotations

import json

import pytest

from vanban.audit.models import AuditEvent
from vanban.connector import accounts, transports
from vanban.connector.errors import ConnectorError
from vanban.connector.models import HubAccount

ENDPOINT = "https://truc.tinh.gov.vn/vdxp"
SECRET = "k7Qm2ZsV9pXw4rTn8bYc"


def test_a_vdxp_account_keeps_its_secret_sealed_and_out_of_the_audit_log(personas):
    account = accounts.set_account(
        None, personas.so_noi_vu, hub_url=ENDPOINT, protocol="vdxp", system_id="snv.qlvb", secret=SECRET
    )

    assert SECRET not in json.dumps(list(HubAccount.objects.values()), default=str)
    assert SECRET not in json.dumps(list(AuditEvent.objects.values("after")), default=str)
    assert accounts.hub_token(account) == SECRET
    assert AuditEvent.objects.filter(action="connector.account.set").latest("seq").after["protocol"] == "vdxp"


def test_a_vdxp_account_is_reached_through_the_vdxp_transport_as_its_agency(personas):
    account = accounts.set_account(
        None, personas.so_noi_vu, hub_url=ENDPOINT, protocol="vdxp", system_id="snv.qlvb", secret=SECRET
    )

    hub = transports.for_account(account)

    assert isinstance(hub, transports.VdxpTransport)
    assert (hub.endpoint, hub.system_id, hub.secret, hub.agency_code) == (ENDPOINT, "snv.qlvb", SECRET, "000.00.02.H99")


def test_an_account_set_without_a_protocol_speaks_the_native_api(personas):
    account = accounts.set_account(None, personas.so_khcn, hub_url="https://truc.tinh.gov.vn/hub/v1/", token="id.s")

    assert account.protocol == "native" and isinstance(transports.for_account(account), transports.NativeTransport)


@pytest.mark.parametrize(
    "system_id, secret, code",
    [
        ("", SECRET, "vdxp_credentials_missing"),
        ("snv.qlvb", "", "vdxp_credentials_missing"),
        ("snv.qlvb", "khóa-bí-mật", "vdxp_credentials_not_ascii"),
    ],
)
def test_a_vdxp_account_without_a_usable_system_id_and_secret_is_refused_and_nothing_stored(
    personas, system_id, secret, code
):
    with pytest.raises(ConnectorError) as caught:
        accounts.set_account(
            None, personas.so_noi_vu, hub_url=ENDPOINT, protocol="vdxp", system_id=system_id, secret=secret
        )

    assert caught.value.code == code and "VDXP" in caught.value.message_vi
    assert not HubAccount.objects.exists() and not AuditEvent.objects.filter(action="connector.account.set").exists()


def test_an_unknown_protocol_is_refused(personas):
    with pytest.raises(ConnectorError) as caught:
        accounts.set_account(None, personas.so_noi_vu, hub_url=ENDPOINT, protocol="soap", token="t")

    assert caught.value.code == "invalid_protocol" and "native hoặc vdxp" in caught.value.message_vi
