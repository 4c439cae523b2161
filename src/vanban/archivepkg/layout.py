"""Where each entry goes in the package, and which names a package may hold.

Spec §1.4 (TT 05/2025 Phụ lục I–V, E-ARK CSIP style) gives the folders of one dossier's
package: ``metadata/descriptive/EAD.xml``, ``representations/rep1/metadata/descriptive/
EAD_doc_*.xml``, ``representations/rep1/data/*``. The spec is silent on a transfer of many
dossiers in one ZIP, so vanban puts each dossier's folders under ``hoso/<mã hồ sơ>/`` and
adds three files at the root::

    METS.xml                  the manifest: every other entry with SHA-256 and size, signed
    checksums.sha256          the same checksums, ``sha256sum -c`` format
    muc-luc-ho-so.xlsx        the handover list (Mục lục hồ sơ, tài liệu nộp lưu)
    hoso/<mã hồ sơ>/metadata/descriptive/EAD.xml
    hoso/<mã hồ sơ>/representations/rep1/metadata/descriptive/EAD_doc_0000001.xml
    hoso/<mã hồ sơ>/representations/rep1/data/0000001_<tên tệp>

Not written (yet): the per-dossier and per-representation ``METS.xml`` and ``schemas/*.xsd``
of the spec's SIP (the official XSDs were not at hand); the root manifest covers every file.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MANIFEST",
    "CHECKSUMS",
    "MUC_LUC",
    "dossier_folder",
    "dossier_metadata",
    "document_metadata",
    "document_data",
    "unsafe_reason",
    "classify",
    "ROOT_FILES",
]

MANIFEST = "METS.xml"
CHECKSUMS = "checksums.sha256"
MUC_LUC = "muc-luc-ho-so.xlsx"
ROOT_FILES = (MANIFEST, CHECKSUMS, MUC_LUC)
_REP = "representations/rep1"
_UNSAFE = re.compile(r"[^\w.\-]+")
_MAX_SEGMENT = 120

_DOSSIER_MD = re.compile(r"^hoso/([^/]+)/metadata/descriptive/EAD\.xml$")
_DOC_MD = re.compile(r"^hoso/([^/]+)/representations/rep1/metadata/descriptive/EAD_doc_(\d{7})\.xml$")
_DOC_DATA = re.compile(r"^hoso/([^/]+)/representations/rep1/data/(\d{7})_[^/]+$")


def _segment(text: str) -> str:
    """A safe single path segment: NFC, letters/digits/``._-`` only, no leading dot."""
    safe = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).lstrip(".")
    return safe[:_MAX_SEGMENT] or "_"


def dossier_folder(file_code: str) -> str:
    return f"hoso/{_segment(file_code)}"


def dossier_metadata(file_code: str) -> str:
    return f"{dossier_folder(file_code)}/metadata/descriptive/EAD.xml"


def document_metadata(file_code: str, ordinal: int) -> str:
    return f"{dossier_folder(file_code)}/{_REP}/metadata/descriptive/EAD_doc_{ordinal:07d}.xml"


def document_data(file_code: str, ordinal: int, file_name: str) -> str:
    return f"{dossier_folder(file_code)}/{_REP}/data/{ordinal:07d}_{_segment(file_name)}"


def unsafe_reason(name: str) -> str | None:
    """Why an entry name is refused (Vietnamese), or None: absolute paths, drive letters,
    ``..`` or empty segments, backslashes, control characters, over-long names."""
    if not name or len(name) > 1024:
        return "tên rỗng hoặc quá dài"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "đường dẫn tuyệt đối"
    if "\\" in name:
        return "có dấu gạch ngược"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "có ký tự điều khiển"
    parts = name.rstrip("/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "có thành phần “..”, “.” hoặc rỗng"
    return None


def classify(name: str) -> tuple[str, str, int]:
    """``(kind, dossier folder segment, ordinal)`` of an entry name; kind is ``root``,
    ``dossier-metadata``, ``document-metadata``, ``document-data`` or ``other``."""
    if name in ROOT_FILES:
        return "root", "", 0
    m = _DOSSIER_MD.match(name)
    if m:
        return "dossier-metadata", m.group(1), 0
    m = _DOC_MD.match(name)
    if m:
        return "document-metadata", m.group(1), int(m.group(2))
    m = _DOC_DATA.match(name)
    if m:
        return "document-data", m.group(1), int(m.group(2))
    return "other", "", 0
