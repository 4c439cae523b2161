"""The receiving path in bounded memory (issue 19): a child process takes a hub package
carrying the 1 GiB decompression bomb through the arrival's reading step
(:func:`vanban.connector.arrival.verify`), then hands every PDF of the hostile corpus to
every reader of received files (the pre-flight check, the signature check, the secrecy
scan, the full-text extraction, digitizing's intake). Its peak resident memory, as the
kernel counts it for a waited-for child (``RUSAGE_CHILDREN``), stays under 400 MB; before
the check, reading the bomb's text took the process to 2.3 GB. A memory bound, not a timing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from testkit import hostile
from testkit import hub as testing
from vanban.signing import TestPKI, make_sample_pdf

LIMIT_MB = 400
ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import os, sys
from pathlib import Path
import django

django.setup()
from testkit import hostile
from vanban import secrecy
from vanban.connector.arrival import verify
from vanban.digitize import DigitizeOptions
from vanban.digitize.intake import examine
from vanban.errors import DomainError
from vanban.pdfguard import check_pdf
from vanban.signing import validate_pdf
from vanban.textsearch.pdftext import pdf_text

work = Path(sys.argv[1])
outcomes = []
try:
    verify((work / "package.edxml").read_bytes())
    outcomes.append("package:accepted")
except DomainError as exc:
    outcomes.append(f"package:{exc.code}")
    sys.stderr.write(f"{exc!r}\n")
plain = (work / "plain.pdf").read_bytes()
readers = {
    "check": check_pdf,
    "signature": lambda d: validate_pdf(d, []),
    "secrecy": secrecy.in_pdf,
    "text": pdf_text,
    "intake": lambda d: examine(d, DigitizeOptions()),
}
for case in hostile.pdfs(plain):
    for name, read in readers.items():
        try:
            read(case.data)
        except DomainError as exc:
            outcomes.append(f"{case.name}/{name}:{exc.code}")
print(" ".join(outcomes))
"""

# runs CHILD and reports the peak of what it waited for: this test's other children
# (none here, but a pytest worker may have started some) never count
WRAPPER = r"""
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stdout.strip())
"""


def test_the_receiving_path_stays_under_400_mb_on_the_bomb_corpus(tmp_path):
    pki = TestPKI.create(tmp_path / "pki", now=datetime(2025, 6, 1, tzinfo=UTC))
    sender = pki.issue_agency("000.00.02.H99", "Sở Nội vụ", "ec-p256", years=20)
    envelope = testing.envelope("000.00.02.H99", ["000.00.03.H99"], 1, pdf=hostile.bomb_pdf())
    (tmp_path / "package.edxml").write_bytes(testing.signed(envelope, sender))
    (tmp_path / "plain.pdf").write_bytes(make_sample_pdf().pdf)
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "vanban.settings",
        "VANBAN_VAR_DIR": str(tmp_path / "var"),
        "VANBAN_TRUST_ROOTS": str(tmp_path / "pki" / "root.pem"),
    }
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, CHILD, str(tmp_path)], capture_output=True, text=True, env=env, timeout=900
    )
    assert done.returncode == 0, done.stderr
    returncode, peak_kb, outcomes = done.stdout.strip().split(" ", 2)
    assert returncode == "0", done.stderr
    peak_mb = int(peak_kb) / 1024
    print(f"peak RSS of the receiving path on the bomb corpus: {peak_mb:.0f} MB")
    assert peak_mb < LIMIT_MB
    refused = set(outcomes.split())
    # the package is refused whole, and the bomb by every reader that raises
    assert "package:attachment_refused" in refused, done.stderr
    assert {"inflate-bomb/check:pdf_too_large_inflated", "inflate-bomb/intake:decompression_bomb"} <= refused
