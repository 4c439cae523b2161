"""Every real sample parses, its key fields come out right, and it re-builds to the same objects.

The samples are read from the ``interop`` folder ($VANBAN_INTEROP_DIR, see tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.edxml import (
    Envelope,
    MalformedXmlError,
    StatusMessage,
    build,
    is_zip,
    parse,
    unzip_attachment,
)

# relative path -> envelope: (kind, sender, recipients, "number/notation", BussinessDocType, attachments)
#                  status:   (kind, sender, ResponseFor/DocumentId, StatusCode)
EXPECTED: dict[str, tuple] = {
    "edxml-samples/edoc-integrator/edoc_new.edxml": (
        "envelope",
        "000.00.11.H53",
        ["000.00.01.A53"],
        "2491/STC-BCTC",
        0,
        1,
    ),
    "edxml-samples/edoc-integrator/edoc_update.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H53", "000.00.12.H53", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        2,
        1,
    ),
    "edxml-samples/edoc-integrator/status_processing_05.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "05",
    ),
    "edxml-samples/truclienthong-example/dc0bdef0-c7a3-4aaf-b717-777303442973.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        0,
        1,
    ),
    "edxml-samples/truclienthong-example/edoc_new.edxml": (
        "envelope",
        "000.00.00.A80",
        ["28.22.H17"],
        "74fass22/VPCP-TTĐT",
        0,
        1,
    ),
    "edxml-samples/truclienthong-example/edoc_replacement.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        3,
        1,
    ),
    "edxml-samples/truclienthong-example/edoc_revocation.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        1,
        1,
    ),
    "edxml-samples/truclienthong-example/edoc_update.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        2,
        1,
    ),
    "edxml-samples/truclienthong-example/status.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "01",
    ),
    "edxml-samples/truclienthong-example/status_acceptance_03.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "03",
    ),
    "edxml-samples/truclienthong-example/status_assignment_04.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "04",
    ),
    "edxml-samples/truclienthong-example/status_cancellation_13.edxml": (
        "status",
        "000.00.00.G22",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "13",
    ),
    "edxml-samples/truclienthong-example/status_change-acceptance_15.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "15",
    ),
    "edxml-samples/truclienthong-example/status_change-rejection_16.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "16",
    ),
    "edxml-samples/truclienthong-example/status_finish_06.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "06",
    ),
    "edxml-samples/truclienthong-example/status_inbox_01.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "01",
    ),
    "edxml-samples/truclienthong-example/status_processing_05.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "05",
    ),
    "edxml-samples/truclienthong-example/status_rejection_02.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "02",
    ),
    "vdxp-samples/API-Gateway-iOffice/gateway-built/1da394ba-2117-4354-a23f-6ec3e47ba81b.edxml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.02"],
        "20251020104803/GW-AUTO",
        0,
        3,
    ),
    "vdxp-samples/API-Gateway-iOffice/gateway-built/1f881896-6e3a-4a5f-87f1-c380878e148e.edxml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.02"],
        "20251016110432/GW-AUTO",
        None,
        3,
    ),
    "vdxp-samples/API-Gateway-iOffice/gateway-built/b6e1f29d-cdc9-4fa7-8391-442e8566f14e.edxml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.03"],
        "20251016112435/GW-AUTO",
        None,
        2,
    ),
    "vdxp-samples/API-Gateway-iOffice/gateway-built/bb5d2f68-bbce-49da-aa9a-2197cabec3bf.edxml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.02"],
        "20251017160104/GW-AUTO",
        0,
        3,
    ),
    "vdxp-samples/API-Gateway-iOffice/gateway-built/bdb98a62-a2be-4c25-9075-8dcdbcdb1402.edxml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.02"],
        "20251017160055/GW-AUTO",
        0,
        3,
    ),
    "vdxp-samples/API-Gateway-iOffice/gateway-built/test_user_edxml.xml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.03"],
        None,
        None,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/received-from-hub/852e179c-8eca-4502-ac38-0b97321f29c3.edxml": (
        "envelope",
        "000.00.15.H51",
        ["000.00.15.H51"],
        "1223412/PRO-TEST-CASE1",
        None,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/received-from-hub/874e0f18-90dc-45fb-989a-65401470ba84.edxml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.03"],
        "BINTEST123/GW-AUTO",
        None,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/received-from-hub/9e272474-0603-48a2-b525-9cd1af689612.edxml": (
        "envelope",
        "vxp.saas.03",
        ["vxp.saas.03"],
        "202545/VPCP-TTĐT",
        None,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/edoc.edxml": (
        "envelope",
        "002.00.20.H13",
        ["000.00.15.H51"],
        "12234555512/PRO-TEST-CASE1",
        None,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/edoc_new.edxml": (
        "envelope",
        "002.00.20.H13",
        ["28.22.H17"],
        "74fass22/VPCP-TTĐT",
        0,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/edoc_replacement.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        3,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/edoc_revocation.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        1,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/edoc_update.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        2,
        1,
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "01",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_acceptance_03.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "03",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_assignment_04.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "04",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_cancellation_13.edxml": (
        "status",
        "000.00.00.G22",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "13",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_change-acceptance_15.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "15",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_change-rejection_16.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "16",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_finish_06.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "06",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_inbox_01.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "01",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_processing_05.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "05",
    ),
    "vdxp-samples/API-Gateway-iOffice/resources/status_rejection_02.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "02",
    ),
    "vdxp-samples/captured/edxml102-built-edoc.edxml": (
        "envelope",
        "000.00.00.G22",
        ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"],
        "7816/VPCP-TTĐT",
        0,
        1,
    ),
    "vdxp-samples/captured/edxml102-built-status.edxml": (
        "status",
        "000.00.00.H41",
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        "01",
    ),
}

MALFORMED = "edxml-samples/truclienthong-example/edoc.edxml"
STRAY_BYTES = "vdxp-samples/API-Gateway-iOffice/resources/edoc_new.edxml"
UNDECLARED_PREFIX = "vdxp-samples/API-Gateway-iOffice/resources/edoc.edxml"


def test_every_sample_is_listed(interop: Path, interop_sample_paths: list[Path]) -> None:
    found = {p.relative_to(interop).as_posix() for p in interop_sample_paths}
    assert found == set(EXPECTED) | {MALFORMED}


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_sample_fields(rel: str, interop: Path) -> None:
    pkg = parse((interop / rel).read_bytes())
    want = EXPECTED[rel]
    assert pkg.kind == want[0]
    assert pkg.sender.organ_id == want[1]
    if isinstance(pkg, StatusMessage):
        assert pkg.response_for.document_id == want[2]
        assert pkg.status_code == want[3]
        assert pkg.status is not None
    else:
        assert isinstance(pkg, Envelope)
        assert [t.organ_id for t in pkg.recipients] == want[2]
        code = f"{pkg.code.code_number}/{pkg.code.code_notation}" if pkg.code else None
        assert code == want[3]
        bdt = None if pkg.business is None else int(pkg.business.business_doc_type)
        assert bdt == want[4]
        assert len(pkg.attachments) == want[5]


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_sample_rebuilds_to_same_objects(rel: str, interop: Path) -> None:
    pkg = parse((interop / rel).read_bytes())
    again = parse(build(pkg))
    assert again == pkg
    assert build(again) == build(pkg)


def test_template_with_unclosed_element_is_rejected_naming_the_line(interop: Path) -> None:
    with pytest.raises(MalformedXmlError) as exc:
        parse((interop / MALFORMED).read_bytes())
    assert exc.value.line == 74
    assert "dòng 74" in str(exc.value)


def test_stray_bytes_before_declaration_are_recovered(interop: Path) -> None:
    pkg = parse((interop / STRAY_BYTES).read_bytes())
    assert "stray-bytes-recovered" in {n.code for n in pkg.notes}


def test_undeclared_xlink_prefix_is_recovered_and_placeholder_content_noted(interop: Path) -> None:
    pkg = parse((interop / UNDECLARED_PREFIX).read_bytes())
    codes = {n.code for n in pkg.notes}
    assert "undeclared-prefix-recovered" in codes
    assert "attachment-base64" in codes  # JMeter placeholder, not base64


def test_update_sample_business_details(interop: Path) -> None:
    pkg = parse((interop / "edxml-samples/truclienthong-example/edoc_update.edxml").read_bytes())
    assert isinstance(pkg, Envelope) and pkg.business is not None
    info = pkg.business.document_info
    assert info is not None
    assert [(r.organ_id, r.receiver_type) for r in info.receivers] == [
        ("000.00.00.H41", 0),
        ("000.00.00.H14", 1),
    ]
    assert pkg.business.document_id == "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT"
    assert pkg.signature is not None and not pkg.signature.namespace_ok


def test_replacement_sample_lists_replaced_documents(interop: Path) -> None:
    pkg = parse((interop / "edxml-samples/truclienthong-example/edoc_replacement.edxml").read_bytes())
    assert isinstance(pkg, Envelope) and pkg.business is not None
    assert pkg.business.replacements and pkg.business.replacements[0].organ_ids


def test_sdk_attachment_is_a_zip_that_unzips_safely(interop: Path) -> None:
    pkg = parse((interop / "edxml-samples/truclienthong-example/edoc_new.edxml").read_bytes())
    assert isinstance(pkg, Envelope)
    att = pkg.attachments[0]
    assert att.content_type == "application/zip" and is_zip(att.content)
    members = unzip_attachment(att.content)
    assert members and all(m.content for m in members)


def test_hub_returned_envelope_has_appended_trace_header(interop: Path) -> None:
    rel = "vdxp-samples/API-Gateway-iOffice/received-from-hub/852e179c-8eca-4502-ac38-0b97321f29c3.edxml"
    pkg = parse((interop / rel).read_bytes())
    assert isinstance(pkg, Envelope)
    assert len(pkg.trace_headers) == 2
