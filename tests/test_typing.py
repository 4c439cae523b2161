"""The pure libraries type-check with `mypy --strict`, without a baseline file."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PURE = [
    "src/vanban/edxml",
    "src/vanban/signing",
    "src/vanban/textsearch",
    "src/vanban/workdays",
    "src/vanban/transport",
    "src/vanban/secrecy",
    "src/vanban/secretbox",
    "src/vanban/archivepkg",
    "src/vanban/agencycode.py",
    "src/vanban/errors.py",
]


def test_pure_libraries_type_check():
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *PURE],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_pure_libraries_never_import_django():
    offenders = []
    for path in PURE:
        files = [ROOT / path] if path.endswith(".py") else sorted((ROOT / path).rglob("*.py"))
        for f in files:
            text = f.read_text(encoding="utf-8")
            if "import django" in text or "from django" in text:
                offenders.append(str(f.relative_to(ROOT)))
    assert offenders == []
