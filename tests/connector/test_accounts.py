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


def test_an_xml_signing_key_sealed_by_the_server_signs_and_a_wrong_kek_is_refused_clearly(
    personas, office_pki, settings, tmp_path
):
    from vanban.keystore import write_key
    from vanban.secretbox import generate_kek_text, is_sealed

    settings.VANBAN_KEY_ENCRYPTION_KEY = generate_kek_text()
    sealed = write_key(tmp_path / "snv.p12", office_pki.p12["000.00.02.H99"].read_bytes())
    assert is_sealed(sealed.read_bytes())
    account = accounts.set_account(
        None, personas.so_noi_vu, hub_url=ENDPOINT, token="id.bi-mat", signing_key_path=str(sealed)
    )
    identity = accounts.signing_identity(account)
    assert identity.certificates[0] == office_pki.certs["000.00.02.H99"].cert

    settings.VANBAN_KEY_ENCRYPTION_KEY = generate_kek_text()
    with pytest.raises(ConnectorError) as caught:
        accounts.signing_identity(account)
    assert caught.value.code == "kek_wrong" and "không phải khóa KEK đang dùng" in caught.value.message_vi


def test_a_hub_token_sealed_by_an_older_version_still_opens(personas, settings):
    import base64

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    account = accounts.set_account(None, personas.so_noi_vu, hub_url=ENDPOINT, token="id.moi")
    assert account.token_sealed.startswith("v2:")
    # what vanban.connector.secrets_box wrote before (Fernet under the same derived key)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vanban.connector.hub-token").derive(
        settings.SECRET_KEY.encode()
    )
    HubAccount.objects.filter(pk=account.pk).update(
        token_sealed=Fernet(base64.urlsafe_b64encode(key)).encrypt(b"id.cu").decode()
    )
    account.refresh_from_db()
    assert accounts.hub_token(account) == "id.cu"
