"""Hostile bytes never crash the verifier: every mutation of a real package gives a report
(with problems), never an exception other than the library's own."""

from __future__ import annotations

import io
import random

from vanban.archivepkg import PackageReport, verify_package


def test_random_damage_to_a_package_always_gives_a_report(package, keys):
    raw = package.read_bytes()
    rng = random.Random(20)
    refused = 0
    for _ in range(150):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
        report = verify_package(io.BytesIO(bytes(data)), trust_roots=keys.roots_pem)
        assert isinstance(report, PackageReport)
        refused += not report.ok
    assert refused > 120  # a byte in a local header's date or padding may change nothing


def test_a_manifest_of_garbage_xml_gives_a_report(package, keys, tmp_path):
    from tests.archivepkg.rewrite import rewrite

    for mets in (b"", b"<mets/>", b"<a><b>" * 50, b"<mets><ds:Signature xmlns:ds='x'/></mets>"):
        bad = rewrite(package, tmp_path / "bad.zip", replace={"METS.xml": mets})
        assert not verify_package(bad, trust_roots=keys.roots_pem).ok


def test_an_encrypted_entry_is_reported_not_raised(package, keys):
    raw = bytearray(package.read_bytes())
    central = raw.rindex(b"checksums.sha256") - 46  # its central directory record
    assert raw[central : central + 4] == b"PK\x01\x02"
    raw[central + 8] |= 0x01  # the "encrypted" flag: zipfile asks for a password
    report = verify_package(io.BytesIO(bytes(raw)), trust_roots=keys.roots_pem)
    assert ("entry-unreadable", "checksums.sha256") in {(p.code, p.path) for p in report.problems}
