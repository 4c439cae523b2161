"""Attachment payloads: base64 transfer encoding, content digests, safe unzipping.

The standard carries each file base64-encoded in ``ContentTransferEncoded`` and has no
element for a content digest. vanban writes the SHA-256 of the decoded content as an
attribute ``vb:sha256`` (namespace :data:`VANBAN_NS`) on ``Attachment``; readers check
it when present and accept its absence (other producers never write it). Integrity
against a sender is the job of the XML signature, whose ``URI=""`` reference covers
the attachments too.

The VNPT SDK zips each file before sending. :func:`unzip_attachment` extracts such a
payload with limits on member count, total size and compression ratio, and refuses
absolute or parent-relative member names.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import zipfile
from dataclasses import dataclass

from vanban.edxml.errors import AttachmentError, ZipLimitError

__all__ = [
    "VANBAN_NS",
    "DIGEST_ATTR",
    "decode_content",
    "encode_content",
    "sha256_hex",
    "is_zip",
    "ZipMember",
    "unzip_attachment",
]

VANBAN_NS = "urn:vanban:edxml:1"
DIGEST_ATTR = f"{{{VANBAN_NS}}}sha256"
_WS = b" \t\r\n"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_content(text: str, location: str = "") -> bytes:
    """Decode base64 text (line breaks allowed); :class:`AttachmentError` if not base64."""
    try:
        # The usual form has lines ending in \n (XML parsing normalised \r\n): dropping
        # them is much faster than translate(); other white space is the slow path.
        # One intermediate copy at a time (memory: a 50 MB package stays under 5x).
        raw = text.encode("ascii").replace(b"\n", b"")
        try:
            return binascii.a2b_base64(raw, strict_mode=True)
        except binascii.Error:
            pass
        return binascii.a2b_base64(raw.translate(None, _WS), strict_mode=True)
    except (UnicodeEncodeError, binascii.Error, ValueError) as exc:
        raise AttachmentError(
            f"Nội dung tệp đính kèm không phải base64 hợp lệ ({exc}).",
            f"The attachment content is not valid base64 ({exc}).",
            code="attachment-base64",
            location=location or None,
        ) from None


def encode_content(data: bytes) -> str:
    """Base64 in lines of 76 characters (MIME style, as the SDKs write it)."""
    b64 = binascii.b2a_base64(data, newline=False)
    if len(b64) <= 76:
        return b64.decode("ascii")
    return b"\n".join(b64[i : i + 76] for i in range(0, len(b64), 76)).decode("ascii")


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class ZipMember:
    """One extracted file of a zipped attachment."""

    name: str
    content: bytes


def unzip_attachment(
    data: bytes,
    *,
    max_members: int = 100,
    max_total: int = 200 * 1024 * 1024,
    max_ratio: int = 200,
) -> list[ZipMember]:
    """Extract a zipped attachment safely; :class:`ZipLimitError` on anything unsafe."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ZipLimitError(
            f"Tệp đính kèm không phải tệp ZIP hợp lệ ({exc}).",
            f"The attachment is not a valid ZIP file ({exc}).",
            code="zip-invalid",
        ) from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > max_members:
            raise ZipLimitError(
                f"Tệp ZIP có {len(infos)} tệp, vượt giới hạn {max_members}.",
                f"The ZIP has {len(infos)} members, over the limit of {max_members}.",
                code="zip-members",
            )
        declared = sum(i.file_size for i in infos)
        if declared > max_total:
            raise ZipLimitError(
                f"Tệp ZIP giải nén ra {declared} byte, vượt giới hạn {max_total}.",
                f"The ZIP expands to {declared} bytes, over the limit of {max_total}.",
                code="zip-size",
            )
        out: list[ZipMember] = []
        total = 0
        for info in infos:
            name = info.filename
            parts = name.replace("\\", "/").split("/")
            if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
                raise ZipLimitError(
                    f"Tên tệp trong ZIP không an toàn: “{name}”.",
                    f"Unsafe member name in the ZIP: '{name}'.",
                    code="zip-path",
                )
            if info.compress_size and info.file_size / info.compress_size > max_ratio:
                raise ZipLimitError(
                    f"Tệp “{name}” trong ZIP có tỉ lệ nén bất thường (nghi là bom ZIP).",
                    f"Member '{name}' has an abnormal compression ratio (suspected ZIP bomb).",
                    code="zip-bomb",
                )
            try:
                with zf.open(info) as fh:
                    content = fh.read(max_total - total + 1)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                raise ZipLimitError(
                    f"Không giải nén được “{name}” ({exc}).",
                    f"Cannot extract '{name}' ({exc}).",
                    code="zip-invalid",
                ) from None
            total += len(content)
            if total > max_total:
                raise ZipLimitError(
                    f"Tệp ZIP giải nén vượt giới hạn {max_total} byte.",
                    f"The ZIP expands beyond the limit of {max_total} bytes.",
                    code="zip-size",
                )
            out.append(ZipMember(name, content))
        return out
