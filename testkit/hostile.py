"""The shared corpus of hostile inputs that every entry point is tried with (issue 19):
PDFs (decompression bombs, nesting, encryption, loops, truncation, wrong types), XML
(DOCTYPE and entities in every encoding XML allows, nesting, size, not XML at all), e-mail
(nesting, no PDF, a bomb attached) and file names (quotes, line breaks, paths, control
and bidirectional characters).

Everything is generated, nothing is kept on disk: a 1 GiB decompression bomb is built in
about a second from independent deflate blocks, so the corpus costs nothing to carry.
Entry points join by listing themselves in ``tests/hostile/test_entry_points.py``.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from email.message import EmailMessage
from functools import cache

__all__ = [
    "BOMB_INFLATED_BYTES",
    "Hostile",
    "bad_names",
    "bomb_pdf",
    "emails",
    "pdfs",
    "xml_documents",
]

BOMB_INFLATED_BYTES = 1 << 30
"""What the decompression bomb inflates to (1 GiB, as in the report of issue 19)."""


@dataclass(frozen=True)
class Hostile:
    name: str
    """The case's id (English, for the test id)."""
    data: bytes
    filename: str = "van-ban.pdf"
    """The name it is uploaded under."""


def _deflate_bomb(inflated: int, chunk: bytes = b"0 0 m 1 1 l S\n" * 4096) -> bytes:
    """A zlib stream of ``inflated`` bytes of drawing operators, compressed ~1000:1.

    One chunk is compressed once with a full flush (so the block refers to nothing before
    it) and repeated; the Adler-32 of the whole is computed on the fly."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    count = inflated // len(chunk)
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(chunk, adler)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return b"\x78\xda" + block * count + tail + adler.to_bytes(4, "big")


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; 1 is the catalog) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


@cache
def bomb_pdf(inflated: int = BOMB_INFLATED_BYTES) -> bytes:
    """One page whose content stream inflates to ``inflated`` bytes (about 2 MB as a file)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return _pdf([_CATALOG, _PAGES, page, _stream(_deflate_bomb(inflated))])


def _nested_pdf(depth: int = 100_000) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /X " + b"[" * depth + b"]" * depth + b" >>"
    return _pdf([_CATALOG, _PAGES, page])


def _looping_pages_pdf() -> bytes:
    """A page tree whose node is its own kid."""
    return _pdf([_CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def _many_objects_pdf(count: int = 200_000) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Props 4 0 R >> >>"
    chain = [b"<< /Next %d 0 R >>" % (n + 1) for n in range(4, 4 + count)]
    return _pdf([_CATALOG, _PAGES, page, *chain, b"null"])


def _encrypted_pdf(plain: bytes) -> bytes:
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="chu-so-huu", user="nguoi-doc"))
    return out.getvalue()


def pdfs(plain: bytes) -> list[Hostile]:
    """Hostile PDFs (``plain`` is an ordinary valid PDF that some cases are made from)."""
    return [
        Hostile("inflate-bomb", bomb_pdf()),
        Hostile("nested-arrays", _nested_pdf()),
        Hostile("looping-page-tree", _looping_pages_pdf()),
        Hostile("many-objects", _many_objects_pdf()),
        Hostile("encrypted", _encrypted_pdf(plain)),
        Hostile("truncated", plain[: len(plain) // 3]),
        Hostile("empty", b""),
        Hostile("png-named-pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        Hostile("elf-named-pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64),
        Hostile("html-named-pdf", b"<html><script>alert(1)</script></html>"),
    ]


def bad_names() -> list[str]:
    """File names that must come back whole (diacritics kept) and never break a header,
    a path or a page."""
    return [
        'to"trinh.pdf',
        "tờ trình số 1.pdf",
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "dòng\r\nX-Injected: 1.pdf",
        "\u202egnp.pdf",
        "tab\tnul\x00.pdf",
        ("rất-dài-" * 60) + ".pdf",
        "<script>alert(1)</script>.pdf",
    ]


_DOCTYPE_BODY = '<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><e>&x;</e>'


def _laughs() -> str:
    entities = ['<!ENTITY l0 "ha">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    return f"<!DOCTYPE e [{''.join(entities)}]><e>&l9;</e>"


def xml_documents() -> list[Hostile]:
    """XML that must be refused as the parser sees it, in any encoding, loading nothing."""
    decl = '<?xml version="1.0" encoding="{}"?>'
    cases = [
        Hostile("doctype-utf8", (decl.format("UTF-8") + _DOCTYPE_BODY).encode()),
        Hostile("doctype-no-declaration", _DOCTYPE_BODY.encode()),
        Hostile("doctype-utf16le-no-bom", (decl.format("UTF-16") + _DOCTYPE_BODY).encode("utf-16-le")),
        Hostile("doctype-utf16be-no-bom", (decl.format("UTF-16") + _DOCTYPE_BODY).encode("utf-16-be")),
        Hostile("doctype-utf16-bom", (decl.format("UTF-16") + _DOCTYPE_BODY).encode("utf-16")),
        Hostile("doctype-utf32", (decl.format("UTF-32") + _DOCTYPE_BODY).encode("utf-32")),
        Hostile("doctype-latin1", (decl.format("ISO-8859-1") + _DOCTYPE_BODY).encode("latin-1")),
        Hostile("billion-laughs", (decl.format("UTF-8") + _laughs()).encode()),
        Hostile("external-dtd", b'<?xml version="1.0"?><!DOCTYPE e SYSTEM "http://127.0.0.1:9/x.dtd"><e/>'),
        Hostile("xinclude", b'<e xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd"/></e>'),
        Hostile("deep-nesting", b"<e>" * 200_000 + b"</e>" * 200_000),
        Hostile("not-xml", b"\x00\x01\x02 this is not XML"),
        Hostile("truncated", b'<?xml version="1.0"?><edXML xmlns="http://'),
        Hostile("empty", b""),
    ]
    return [Hostile(c.name, c.data, "goi-tin.edxml") for c in cases]


def _nested_email(depth: int) -> bytes:
    inner = b"Content-Type: text/plain\r\n\r\nx\r\n"
    for level in range(depth):
        boundary = b"b%d" % level
        inner = (
            (b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n--' + boundary + b"\r\n" + inner)
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    return b"From: a@example.vn\r\nSubject: nested\r\nMIME-Version: 1.0\r\n" + inner


def _email_with(pdf: bytes | None, *, subject: str = "Văn bản gửi qua thư") -> bytes:
    message = EmailMessage()
    message["From"] = "Văn thư <vanthu@example.gov.vn>"
    message["To"] = "tiepnhan@example.gov.vn"
    message["Subject"] = subject
    message.set_content("Kính gửi: xem tệp đính kèm.")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="van-ban.pdf")
    return message.as_bytes()


def emails() -> list[Hostile]:
    """E-mail messages a clerk might drop in (``.eml``)."""
    return [
        Hostile("nested-5000", _nested_email(5000), "thu.eml"),
        Hostile("no-pdf", _email_with(None), "thu.eml"),
        Hostile("bomb-attached", _email_with(bomb_pdf()), "thu.eml"),
        Hostile("nested-arrays-attached", _email_with(_nested_pdf()), "thu.eml"),
        Hostile("huge-header", b"From: a@b.vn\r\nSubject: " + b"A" * 2_000_000 + b"\r\n\r\nx", "thu.eml"),
        Hostile("binary-garbage", bytes(range(256)) * 64, "thu.eml"),
        Hostile("empty", b"", "thu.eml"),
    ]
