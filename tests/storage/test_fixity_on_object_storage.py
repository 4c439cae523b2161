"""Fixity with the registry's files in an S3 bucket (SeaweedFS): an object whose bytes were
replaced in the bucket, and one deleted from it, are found and reported."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from vanban.audit.actions import AuditAction
from vanban.audit.models import AuditEvent
from vanban.fixity.services import check_all
from vanban.registry.files import store as store_file
from vanban.storage import ObjectStore, key_for, store


@pytest.fixture
def files_on_s3(db, settings, s3_server, personas):
    location = f"fixity-{uuid.uuid4().hex[:12]}"
    settings.VANBAN_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "vanban": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_server.options(location)},
    }
    personas.khoa.user.email = "khoa@thunghiem.gov.vn"
    personas.khoa.user.save()
    return location


def _object(location: str, sha: str) -> str:
    return f"{location}/files/{key_for(sha)}"


def test_an_intact_bucket_reports_nothing(files_on_s3):
    store_file(b"%PDF-1.7 nguyen ven", "nguyen-ven.pdf", "application/pdf")
    assert isinstance(store("files"), ObjectStore)
    report = check_all()
    assert report.checked == 1 and report.findings == []
    assert mail.outbox == []


def test_an_object_replaced_in_the_bucket_and_one_deleted_are_reported(files_on_s3, s3_server):
    changed = store_file(b"%PDF-1.7 se bi thay", "bi-thay.pdf", "application/pdf")
    gone = store_file(b"%PDF-1.7 se bi xoa", "bi-xoa.pdf", "application/pdf")
    s3_server.client.put_object(Bucket=s3_server.bucket, Key=_object(files_on_s3, changed.sha256), Body=b"khac")
    s3_server.client.delete_object(Bucket=s3_server.bucket, Key=_object(files_on_s3, gone.sha256))

    report = check_all()

    assert sorted((f.kind, f.sha256) for f in report.findings) == sorted(
        [("corrupt", changed.sha256), ("missing", gone.sha256)]
    )
    events = AuditEvent.objects.filter(action=AuditAction.FILE_FIXITY_FAILED)
    assert sorted(e.after["kind"] for e in events) == ["corrupt", "missing"]
    [message] = mail.outbox
    assert message.to == ["khoa@thunghiem.gov.vn"]
    assert changed.sha256 in message.body and gone.sha256 in message.body
