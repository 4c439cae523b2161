"""End to end: the hub accepts a signed package and the recipient fetches it, with the hub's
files in an S3 bucket (SeaweedFS): the bytes live in the bucket and nowhere on local disk,
and a withdrawn secret document leaves the bucket."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime

import pytest

from testkit import hub as testing
from vanban.signing import KeyFileSigner, TestPKI, make_sample_pdf, seal_pdf
from vanban.storage import key_for

SNV, SKHCN = "000.00.02.H99", "000.00.03.H99"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("hub-s3-pki")
    ca = TestPKI.create(d / "ca", now=datetime(2025, 6, 1, tzinfo=UTC))
    snv = ca.issue_agency(SNV, "Sở Nội vụ", "ec-p256", years=20)
    return d / "ca" / "root.pem", snv, seal_pdf(make_sample_pdf().pdf, KeyFileSigner(snv))


@pytest.fixture
def hub_on_s3(db, client, settings, tmp_path, personas, pki, s3_server):
    from vanban.exchange.auth import issue_credential

    location = f"hub-{uuid.uuid4().hex[:12]}"
    settings.VANBAN_TRUST_ROOTS = str(pki[0])
    settings.FILES_DIR = tmp_path / "files"
    settings.VANBAN_HUB_CODE = "truc-tinh"
    settings.VANBAN_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "vanban": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_server.options(location)},
    }
    tokens = {a.code: issue_credential(None, agency=a)[1] for a in (personas.so_noi_vu, personas.so_khcn)}
    return client, tokens, location


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_hub_keeps_packages_in_the_bucket_and_serves_them_from_there(
    hub_on_s3, pki, s3_server, settings, django_capture_on_commit_callbacks
):
    client, tokens, location = hub_on_s3
    data = testing.signed(testing.envelope(SNV, [SKHCN], 1, pdf=pki[2]), pki[1])
    sha = hashlib.sha256(data).hexdigest()

    accepted = client.post("/hub/v1/packages", data=data, content_type="application/xml", **_auth(tokens[SNV]))
    assert accepted.status_code == 202, accepted.content
    pid = accepted.json()["id"]
    key = f"{location}/hub/{key_for(sha)}"
    assert s3_server.keys(f"{location}/") == [key]
    assert s3_server.client.get_object(Bucket=s3_server.bucket, Key=key)["Body"].read() == data
    assert not settings.FILES_DIR.exists() or not any(p.is_file() for p in settings.FILES_DIR.rglob("*"))

    fetched = client.get(f"/hub/v1/packages/{pid}", **_auth(tokens[SKHCN]))
    assert fetched.status_code == 200 and fetched.content == data
    box = client.get("/hub/v1/inbox/content", **_auth(tokens[SKHCN])).json()
    assert [base64.b64decode(i["content"]) for i in box["items"]] == [data]

    with django_capture_on_commit_callbacks(execute=True):
        reported = client.post(
            f"/hub/v1/packages/{pid}/secret-report",
            data=json.dumps({"level": "mat", "where": "trang 1 của tệp PDF"}),
            content_type="application/json",
            **_auth(tokens[SKHCN]),
        )
    assert reported.status_code == 201 and reported.json()["withdrawn"] is True
    assert s3_server.keys(f"{location}/") == []
    assert client.get(f"/hub/v1/packages/{pid}", **_auth(tokens[SKHCN])).status_code == 410


def test_a_package_damaged_in_the_bucket_is_not_served(hub_on_s3, pki, s3_server):
    from django.test import Client

    client, tokens, location = hub_on_s3
    data = testing.signed(testing.envelope(SNV, [SKHCN], 2), pki[1])
    pid = client.post("/hub/v1/packages", data=data, content_type="application/xml", **_auth(tokens[SNV])).json()["id"]
    key = f"{location}/hub/{key_for(hashlib.sha256(data).hexdigest())}"
    damaged = data.replace(b"V/v", b"V/V")
    assert damaged != data
    s3_server.client.put_object(Bucket=s3_server.bucket, Key=key, Body=damaged)
    answer = Client(raise_request_exception=False).get(f"/hub/v1/packages/{pid}", **_auth(tokens[SKHCN]))
    assert answer.status_code == 500 and b"V/V" not in answer.content
