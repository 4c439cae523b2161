"""An office with something in every part that a backup must carry: directory, documents
issued and received (with their PDFs, signed versions, attachments), the connector's
packages, the hub's copy, the search index, the audit chains, and key files kept in the
data folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Populated:
    var: Path
    personas: object
    outgoing: object
    incoming: object


@pytest.fixture
def var_dir(tmp_path, settings) -> Path:
    var = tmp_path / "var"
    var.mkdir()
    settings.VAR_DIR = var
    return var


def key_files_in(var: Path, registry_pki, names=("snv", "skhcn", "minh", "tuan")) -> dict[str, tuple[Path, str]]:
    """The session's test keys (those of ``names``) copied into the data folder, as an
    installation keeps them, with the root certificate it trusts."""
    keys = var / "pki" / "keys"
    keys.mkdir(parents=True)
    shutil.copy(registry_pki.root_pem, var / "pki" / "root.pem")
    out = {}
    for name in names:
        p12, pem = registry_pki.files[name]
        out[name] = (Path(shutil.copy(p12, keys / p12.name)), pem)
    return out


@pytest.fixture
def populated(personas, registry_pki, sample_pdf, var_dir, settings) -> Populated:
    from vanban.connector.accounts import set_account
    from vanban.connector.arrival import receive_package
    from vanban.connector.models import OutboxItem
    from vanban.directory.models import DocumentType
    from vanban.exchange import services as hub
    from vanban.exchange.auth import Caller
    from vanban.registry import services
    from vanban.registry.models import IncomingDocument
    from vanban.registry.services import DraftData, RecipientData, incoming
    from vanban.registry.setup import ensure_registers, register_key_file
    from vanban.search import process_queue
    from vanban.signing import make_seal_image, make_signature_image

    p = personas
    keys = key_files_in(var_dir, registry_pki)
    settings.VANBAN_TRUST_ROOTS = str(var_dir / "pki" / "root.pem")
    for agency in (p.so_noi_vu, p.so_khcn):
        ensure_registers(agency)
    register_key_file(p.so_noi_vu, keys["snv"][0], keys["snv"][1], make_seal_image("Sở Nội vụ"))
    for name in ("minh", "tuan"):
        person = getattr(p, name)
        register_key_file(person, keys[name][0], keys[name][1], make_signature_image(person.full_name))
    for key, agency in (("snv", p.so_noi_vu), ("skhcn", p.so_khcn)):
        set_account(
            None, agency, hub_url="http://127.0.0.1:9/hub/v1/", token="id.bi-mat", signing_key_path=str(keys[key][0])
        )
    doc = services.create_draft(
        p.tuan.user,
        DraftData(
            subject="V/v sao lưu và khôi phục dữ liệu văn bản điện tử",
            document_type=DocumentType.objects.get(code="cong-van"),
            signer=p.minh,
            main_file=sample_pdf,
            main_file_name="du-thao.pdf",
            recipients=[RecipientData(agency_code=p.so_khcn.code), RecipientData(unit_id=p.lan.unit.pk)],
        ),
    )
    services.submit(p.tuan.user, doc)
    services.approve(p.minh.user, doc)
    services.sign_document(p.minh.user, doc)
    services.number_document(p.lan.user, doc)
    services.seal_document(p.lan.user, doc)
    services.issue(p.lan.user, doc)
    package = bytes(OutboxItem.objects.get(document_ref=f"registry.outgoing:{doc.pk}").package)
    hub.receive(Caller("snv-1", agency_code=p.so_noi_vu.code), package, kind="envelope")  # the hub's copy
    receive_package(p.so_khcn, package)
    assert incoming.take_received_packages() == 1
    process_queue()
    doc.refresh_from_db()
    return Populated(var_dir, p, doc, IncomingDocument.objects.get())
