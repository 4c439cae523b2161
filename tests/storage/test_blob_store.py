"""The storage interface, the same on a local folder and on an S3 bucket (SeaweedFS):
content-addressed keys, idempotent durable puts, digests checked on reading, deletion."""

from __future__ import annotations

import hashlib
import os

import pytest

from vanban.storage import BlobCorrupt, BlobMissing, BlobStore, key_for

DATA = "Công văn số 12/UBND-VP về việc triển khai liên thông văn bản".encode()
SHA = hashlib.sha256(DATA).hexdigest()


def test_put_returns_the_sha256_and_keeps_the_bytes_under_ab_cd_digest(blobs):
    assert isinstance(blobs.store, BlobStore)
    assert blobs.store.put(DATA) == SHA
    assert blobs.raw_keys() == [f"{SHA[:2]}/{SHA[2:4]}/{SHA}"]
    assert blobs.store.get(SHA) == DATA
    assert blobs.store.exists(SHA) and blobs.store.size(SHA) == len(DATA)


def test_a_digest_computed_by_the_caller_is_used_as_the_key(blobs):
    assert blobs.store.put(DATA, sha256=SHA) == SHA
    assert blobs.store.get(SHA) == DATA


def test_putting_the_same_bytes_again_keeps_one_file(blobs):
    assert blobs.store.put(DATA) == SHA
    assert blobs.store.put(DATA) == SHA
    assert blobs.store.put(DATA, sha256=SHA) == SHA
    assert blobs.raw_keys() == [key_for(SHA)]
    assert blobs.store.get(SHA) == DATA


def test_different_bytes_are_different_files(blobs):
    other = DATA + b" (bis)"
    digests = {blobs.store.put(DATA), blobs.store.put(other)}
    assert digests == {SHA, hashlib.sha256(other).hexdigest()}
    assert blobs.raw_keys() == sorted(key_for(d) for d in digests)


def test_a_damaged_file_is_detected_on_get(blobs):
    blobs.store.put(DATA)
    blobs.overwrite(SHA, DATA.replace(b"12", b"13"))
    with pytest.raises(BlobCorrupt) as caught:
        blobs.store.get(SHA)
    assert caught.value.code == "file_corrupt" and SHA in caught.value.message_en
    assert "bị hỏng" in caught.value.message_vi


def test_a_damaged_file_is_detected_when_read_to_the_end(blobs):
    blobs.store.put(DATA)
    blobs.overwrite(SHA, b"x" * len(DATA))
    with blobs.store.open(SHA) as fh:
        fh.read(5)
        with pytest.raises(BlobCorrupt):
            fh.read()


def test_bytes_stored_under_a_wrong_digest_are_refused_on_get(blobs):
    wrong = hashlib.sha256(b"something else").hexdigest()
    blobs.store.put(DATA, sha256=wrong)
    with pytest.raises(BlobCorrupt):
        blobs.store.get(wrong)


def test_a_large_file_reads_in_chunks_with_the_same_bytes(blobs):
    data = os.urandom(6 * 1024 * 1024 + 17)
    sha = blobs.store.put(data)
    chunks = []
    with blobs.store.open(sha) as fh:
        while chunk := fh.read(256 * 1024):
            assert len(chunk) <= 256 * 1024
            chunks.append(chunk)
    assert b"".join(chunks) == data and len(chunks) == 25
    assert blobs.store.size(sha) == len(data)


def test_a_durable_write_leaves_no_temporary_file(blobs):
    for n in range(5):
        blobs.store.put(DATA + bytes([n]))
    assert len(blobs.raw_keys()) == 5
    assert not [k for k in blobs.raw_keys() if "tmp" in k.rsplit("/", 1)[-1]]


def test_a_failed_write_leaves_nothing_behind(blobs):
    with pytest.raises(TypeError):
        blobs.store.put("not bytes", sha256=SHA)  # type: ignore[arg-type]
    assert blobs.raw_keys() == [] and not blobs.store.exists(SHA)


def test_delete_removes_the_file_and_deleting_again_is_fine(blobs):
    blobs.store.put(DATA)
    kept = blobs.store.put(b"another document")
    blobs.store.delete(SHA)
    assert not blobs.store.exists(SHA)
    assert blobs.raw_keys() == [key_for(kept)]
    with pytest.raises(BlobMissing):
        blobs.store.get(SHA)
    blobs.store.delete(SHA)
    assert blobs.store.get(kept) == b"another document"


def test_a_missing_file_says_so_everywhere(blobs):
    missing = "0" * 64
    assert not blobs.store.exists(missing)
    for read in (blobs.store.get, blobs.store.size, lambda s: blobs.store.open(s).read()):
        with pytest.raises(BlobMissing) as caught:
            read(missing)
        assert caught.value.code == "file_missing" and "Không tìm thấy" in caught.value.message_vi


def test_a_key_is_a_digest_never_a_path(blobs):
    for bad in ("../../etc/passwd", "AB" * 32, "ab" * 31, ""):
        with pytest.raises(ValueError):
            blobs.store.get(bad)
        with pytest.raises(ValueError):
            blobs.store.put(DATA, sha256=bad)
