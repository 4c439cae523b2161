"""The agency operations: the hub's directory as the lists, and registering an agency under
one of the system's own."""

from __future__ import annotations

import json

from vanban.directory.models import Agency

from .conftest import SKHCN, SNV, XA


def test_the_agency_list_is_the_directory(vdxp):
    rows = vdxp.call(vdxp.ids["snv"], "getAgenciesList").json()["data"]
    codes = {r["code"] for r in rows}
    assert {SNV, SKHCN, XA} <= codes
    assert all(set(r) == {"id", "code", "name", "mail", "pid", "oldCode"} for r in rows)


def test_the_decision_20_list_is_filtered_by_the_level_of_the_code(vdxp):
    rows = vdxp.call(vdxp.ids["snv"], "getAgenciesListQD20", {"level": "2"}).json()["data"]
    assert SNV in {r["code"] for r in rows}
    assert all(r["code"].split(".")[2] != "00" and r["code"].split(".")[1] == "00" for r in rows)


def test_synchronize_lists_closed_agencies_as_deleted(vdxp):
    Agency.objects.filter(code=XA).update(active=False)
    rows = {r["code"]: r for r in vdxp.call(vdxp.ids["snv"], "getSynchronizeUnit").json()["data"]}
    assert rows[XA]["deleted"] is True and rows[SNV]["deleted"] is False
    assert isinstance(rows[SNV]["version"], int) and rows[SNV]["centerCode"]


def test_an_agency_registered_under_ours_can_send_through_the_system(vdxp):
    body = json.dumps(
        {"id": "", "pcode": SNV, "code": "000.01.02.H99", "name": "Phòng Tổ chức", "mail": "", "mobile": "", "fax": ""}
    ).encode()
    answer = vdxp.call(vdxp.ids["snv"], "registerAgency", {}, body).json()
    assert answer["status"] == "OK", answer
    assert Agency.objects.get(code="000.01.02.H99").parent.code == SNV
    from vanban.exchange.models import VdxpSystem

    assert "000.01.02.H99" in VdxpSystem.objects.get(pk=vdxp.ids["snv"]).agency_codes


def test_an_agency_under_another_system_agency_is_refused(vdxp):
    body = b'{"pcode":"000.00.03.H99","code":"000.01.03.H99","name":"X"}'
    answer = vdxp.call(vdxp.ids["snv"], "registerAgency", {}, body).json()
    assert (answer["status"], answer["ErrorCode"]) == ("FAIL", "110")
    assert not Agency.objects.filter(code="000.01.03.H99").exists()


def test_delete_unbinds_the_agency_from_the_system(vdxp):
    answer = vdxp.call(vdxp.ids["snv"], "deleteAgency", {"AgencyCode": SNV}, b"{}").json()
    assert answer["status"] == "OK"
    refused = vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    assert refused["ErrorCode"] == "109"
    assert Agency.objects.filter(code=SNV, active=True).exists()
