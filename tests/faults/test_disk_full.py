"""Disk full while a file is stored: the clerk's upload is refused with a Vietnamese message
(not a 500), and no row names a file that is not on disk.

The write error is injected at the storage layer's durable write (``ENOSPC`` as the kernel
returns it once the temporary file is partly written): mounting a small file system needs
root, which CI does not have."""

from __future__ import annotations

import errno
import io
import os

import pytest
from django.urls import reverse

from vanban import storage
from vanban.registry.models import IncomingDocument, StoredFile
from vanban.transport import durable

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def full_disk(monkeypatch):
    """Every durable write fails as on a full disk: the temporary file is begun, then ENOSPC
    (``monkeypatch.undo()`` gives the disk its room back)."""
    tries = []

    def store(data, root, sha256=None):
        tries.append(len(data))
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f".tmp-{os.getpid()}-full"
        with open(tmp, "wb") as fh:
            fh.write(data[: len(data) // 2])
        tmp.unlink()  # what durable.store does on any error
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(durable, "store", store)
    return tries


def post_paper(client, pdf):
    upload = io.BytesIO(pdf)
    upload.name = "ban-quet.pdf"
    return client.post(
        reverse("web:incoming_paper"),
        {
            "sender_name": "Công ty Cổ phần Than Hà Lầm",
            "code_number": "125",
            "code_notation": "THL-VP",
            "issued_on": "20/11/2026",
            "subject": "V/v đề nghị hỗ trợ thủ tục đất đai",
            "file": upload,
        },
        follow=True,
    )


def test_a_full_disk_refuses_the_upload_clearly_and_leaves_no_row_without_its_file(
    client, office, sample_pdf, full_disk
):
    assert client.login(username="lan", password=PASSWORD)
    response = post_paper(client, sample_pdf)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không lưu được tệp: ổ đĩa của máy chủ đã đầy" in page
    assert full_disk, "the upload never reached the storage layer"
    assert IncomingDocument.objects.count() == 0
    missing = [f.sha256 for f in StoredFile.objects.all() if not storage.exists(f.sha256)]
    assert missing == []
    print(f"\n[faults] disk full: uploads tried 1, refused 1 (file_not_stored), rows without a file {len(missing)}")


def test_the_same_upload_goes_through_once_the_disk_has_room(client, office, sample_pdf, full_disk, monkeypatch):
    assert client.login(username="lan", password=PASSWORD)
    post_paper(client, sample_pdf)
    monkeypatch.undo()  # room again
    page = post_paper(client, sample_pdf).content.decode()
    assert "Đã nhập văn bản đến bản giấy." in page
    doc = IncomingDocument.objects.get()
    assert storage.get_bytes(doc.main_file.sha256) == sample_pdf


def test_a_real_write_error_of_the_file_system_is_named_too(tmp_path):
    """No injection: the store's folder cannot be made (a file is in the way: ENOTDIR)."""
    (tmp_path / "blocked").write_text("a file where a folder should be")
    store = storage.LocalStore(tmp_path / "blocked" / "files", "files")
    with pytest.raises(storage.FileNotStored) as caught:
        store.put(b"%PDF-1.7 noi dung")
    assert caught.value.code == "file_not_stored" and "ổ đĩa" in caught.value.message_vi
    assert "Not a directory" in caught.value.message_en
