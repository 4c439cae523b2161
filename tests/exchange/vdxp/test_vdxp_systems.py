"""System ids: the secret shown once and sealed at rest, bound to agency codes, revocable."""

from __future__ import annotations

import pytest
from django.db import connection

from vanban.exchange.errors import HubError
from vanban.exchange.models import VdxpSystem
from vanban.exchange.vdxp.systems import issue_system

from .conftest import SKHCN, SNV


def test_the_secret_is_not_in_the_database(vdxp):
    secret = vdxp.secrets[vdxp.ids["snv"]]
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {VdxpSystem._meta.db_table}")
        dump = repr(cur.fetchall())
    assert secret not in dump


def test_a_database_copied_to_a_hub_with_another_key_cannot_verify(vdxp, settings):
    settings.VANBAN_VDXP_SECRET_KEY = "another installation's key"
    answer = vdxp.call(vdxp.ids["snv"], "countReceiveEdoc", {}, b"{}").json()
    assert (answer["status"], answer["ErrorCode"]) == ("FAIL", "901")


def test_one_system_may_act_for_several_agencies(vdxp):
    system, secret = issue_system(None, [SNV, SKHCN])
    vdxp.secrets[system.systemid] = secret
    vdxp.send(vdxp.ids["snv"], SNV, vdxp.envelope(1))
    assert vdxp.call(system.systemid, "countReceiveEdoc", {}, b"{}").json()["count"] == 1
    answer = vdxp.send(system.systemid, SKHCN, vdxp.envelope(2, sender=SKHCN, to=(SNV,)))
    assert answer["status"] == "OK", answer


def test_a_chosen_secret_is_only_for_a_sandbox_system(personas):
    with pytest.raises(HubError) as caught:
        issue_system(None, [SNV], secret="test-secret-not-real")
    assert caught.value.code == "invalid_parameters"


def test_an_agency_outside_the_directory_cannot_be_bound(personas):
    with pytest.raises(HubError) as caught:
        issue_system(None, ["000.00.77.H99"])
    assert caught.value.code == "not_found" and not VdxpSystem.objects.exists()
