"""Parsing untrusted bytes into an lxml tree, safely.

No DTD is ever processed: a DOCTYPE is refused on what a parser saw, in whatever encoding
XML allows (expat reads the prolog first, up to the root element, and says whether it met a
DOCTYPE; UTF-16 without a byte-order mark included), and libxml2 itself is given a resolver
that loads nothing and its tree is refused when it holds a DTD. Entity resolution and network
access are off, the input size and the element depth are bounded. Two unambiguous repairs are made, each reported as a :class:`ParseNote`:
bytes before the XML declaration are dropped (``1212<?xml ...``), and a namespace
prefix used without a declaration is declared on the root when it is one whose
namespace is fixed by the standard (``xlink``, ``edXML``, ``ds``, ``xsi``). Any other
malformation is an error naming its line.
"""

from __future__ import annotations

import re
import xml.parsers.expat

from lxml import etree

from vanban.edxml.errors import (
    DepthLimitError,
    EncodingError,
    ForbiddenDtdError,
    MalformedXmlError,
    SizeLimitError,
    TruncatedXmlError,
    WrongRootError,
)
from vanban.edxml.model import ParseNote

__all__ = [
    "EDXML_NS",
    "DSIG_NS",
    "XLINK_NS",
    "DEFAULT_MAX_SIZE",
    "DEFAULT_MAX_DEPTH",
    "parse_xml",
    "local",
    "element_path",
]

EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64

KNOWN_PREFIXES = {"xlink": XLINK_NS, "edXML": EDXML_NS, "ds": DSIG_NS, "xsi": XSI_NS}
_STRAY_LIMIT = 1024
_UNDECLARED = re.compile(r"Namespace prefix (\S+) (?:for \S+ )?on \S+ is not defined")
_START_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")


def local(el: etree._Element) -> str:
    """Local name of an element (``{ns}Name`` or ``prefix:Name`` → ``Name``)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    if tag[0] == "{":
        return tag.rpartition("}")[2]
    return tag.rpartition(":")[2]


def element_path(el: etree._Element) -> str:
    """``/edXML/edXMLEnvelope/.../To[2]/OrganId``: local names, index when repeated."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        name = local(node)
        parent = node.getparent()
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and local(c) == name]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


def _prolog_end(data: bytes) -> int:
    """Offset of the first element start tag of ASCII-compatible ``data`` (for repairs only:
    whether a DOCTYPE is there is :func:`_refuse_doctype`'s decision)."""
    i = 0
    n = len(data)
    while i < n:
        lt = data.find(b"<", i)
        if lt < 0:
            return n
        if data.startswith(b"<?", lt):
            end = data.find(b"?>", lt)
            i = n if end < 0 else end + 2
        elif data.startswith(b"<!--", lt):
            end = data.find(b"-->", lt)
            i = n if end < 0 else end + 3
        elif data.startswith(b"<!", lt):
            i = lt + 2
        else:
            return lt
    return n


def _forbidden_dtd(line: int | None) -> ForbiddenDtdError:
    return ForbiddenDtdError(
        "Gói tin có khai báo DOCTYPE (DTD, thực thể): không được chấp nhận vì lý do an toàn.",
        "The package has a DOCTYPE (DTD, entities): refused for safety.",
        line=line,
    )


_PROLOG_CHUNK = 8 * 1024


def _refuse_doctype(data: bytes) -> None:
    """Raise :class:`ForbiddenDtdError` when expat, reading the prolog in the document's own
    encoding (declared, marked or detected), meets a DOCTYPE; it stops feeding once the root
    element has started (no DOCTYPE can follow). It loads nothing: no handler for external
    entities, parameter entities never parsed. A prolog expat cannot read is left to
    libxml2, which reports it (and meets a resolver that loads nothing)."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root_seen: list[bool] = []

    def doctype(*_args: object) -> None:
        raise _forbidden_dtd(parser.CurrentLineNumber)

    def start(*_args: object) -> None:
        root_seen.append(True)

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        for at in range(0, len(data), _PROLOG_CHUNK):
            parser.Parse(data[at : at + _PROLOG_CHUNK], False)
            if root_seen:
                return
    except (xml.parsers.expat.ExpatError, LookupError, ValueError):
        return  # malformed, or an encoding expat does not know: libxml2 decides and reports it


class _LoadNothing(etree.Resolver):  # type: ignore[misc]  # lxml has no stubs here
    """Every DTD or entity libxml2 would fetch resolves to nothing: no file is opened."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        return self.resolve_string("", context)


def _wide(data: bytes) -> bool:
    """UTF-16 or UTF-32 (marked or not): not to be repaired byte-wise."""
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) >= 2 and 0 in data[:4])


def _strip_stray_prefix(data: bytes, notes: list[ParseNote]) -> bytes:
    if _wide(data):
        return data
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    head = data[start : start + _STRAY_LIMIT]
    if head.lstrip().startswith(b"<") or not head.strip():
        return data
    decl = head.find(b"<?xml")
    if decl > 0 and b"<" not in head[:decl] and b">" not in head[:decl]:
        junk = head[:decl]
        notes.append(
            ParseNote(
                "stray-bytes-recovered",
                "/",
                f"Đã bỏ {len(junk)} byte thừa ({junk[:20]!r}) trước khai báo XML.",
                f"Dropped {len(junk)} stray bytes ({junk[:20]!r}) before the XML declaration.",
                line=1,
            )
        )
        return data[start + decl :]
    raise MalformedXmlError(
        "Gói tin không bắt đầu bằng XML (dòng 1): có dữ liệu lạ trước thẻ đầu tiên.",
        "The package does not start with XML (line 1): unexpected data before the first tag.",
        line=1,
    )


def _declare_prefix(data: bytes, prefix: str) -> bytes | None:
    """Add ``xmlns:prefix`` to the root start tag, or None if that is not possible."""
    root_at = _prolog_end(data)
    m = _START_TAG.match(data, root_at)
    if not m:
        return None
    i = m.end()
    quote: int | None = None
    while i < len(data):
        c = data[i]
        if quote is not None:
            if c == quote:
                quote = None
        elif c in (0x22, 0x27):
            quote = c
        elif c == 0x3E:  # '>'
            end = i - 1 if data[i - 1] == 0x2F else i
            decl = f' xmlns:{prefix}="{KNOWN_PREFIXES[prefix]}"'.encode()
            return data[:end] + decl + data[end:]
        i += 1
    return None


def _syntax_error(exc: etree.XMLSyntaxError, data: bytes) -> MalformedXmlError:
    msg = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    line = exc.lineno if exc.lineno else None
    low = msg.lower()
    if "utf-8" in low or "encoding" in low or "char 0x" in low or "not proper" in low:
        return EncodingError(
            f"Gói tin không phải văn bản UTF-8 hợp lệ (dòng {line}): {msg}",
            f"The package is not valid UTF-8 text (line {line}): {msg}",
            line=line,
        )
    if (
        "premature end" in low
        or "end of data" in low
        or "'</' not found" in low
        or "document is empty" in low
        or "truncated" in low
    ):
        return TruncatedXmlError(
            f"Gói tin bị cắt cụt hoặc rỗng: XML kết thúc trước khi đóng hết các thẻ (dòng {line}). Chi tiết: {msg}",
            f"The package is truncated or empty: the XML ends before all elements are closed (line {line}). Detail: {msg}",
            line=line,
        )
    return MalformedXmlError(
        f"Gói tin không phải XML hợp lệ (dòng {line}): {msg}",
        f"The package is not well-formed XML (line {line}): {msg}",
        line=line,
    )


def parse_xml(
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    notes: list[ParseNote] | None = None,
    check_root: bool = True,
) -> etree._Element:
    """Parse untrusted bytes into the root element of an edXML package.

    Raises a subclass of :class:`~vanban.edxml.errors.EdxmlError` for anything it
    cannot read; appends to ``notes`` the repairs it made.
    """
    if notes is None:
        notes = []
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("parse_xml() needs bytes")
    data = bytes(data)
    if len(data) > max_size:
        raise SizeLimitError(
            f"Gói tin quá lớn: {len(data)} byte, giới hạn {max_size} byte.",
            f"The package is too large: {len(data)} bytes, limit {max_size} bytes.",
        )
    if not data.strip():
        raise TruncatedXmlError("Gói tin rỗng.", "The package is empty.", line=1)
    data = _strip_stray_prefix(data, notes)
    _refuse_doctype(data)
    declared: set[str] = set()
    while True:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=True,
            collect_ids=False,
            remove_blank_text=False,
        )
        parser.resolvers.add(_LoadNothing())
        try:
            root = etree.fromstring(data, parser)
            docinfo = root.getroottree().docinfo
            if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
                raise _forbidden_dtd(None)
            break
        except etree.XMLSyntaxError as exc:
            m = _UNDECLARED.search(str(exc))
            prefix = m.group(1) if m else None
            if prefix in KNOWN_PREFIXES and prefix not in declared:
                fixed = _declare_prefix(data, prefix)
                if fixed is not None:
                    declared.add(prefix)
                    data = fixed
                    notes.append(
                        ParseNote(
                            "undeclared-prefix-recovered",
                            "/edXML",
                            f"Tiền tố “{prefix}” được dùng mà không khai báo (dòng {exc.lineno}); "
                            f"đã khai báo với không gian tên chuẩn {KNOWN_PREFIXES[prefix]}.",
                            f"Prefix '{prefix}' used without a declaration (line {exc.lineno}); "
                            f"declared it with its standard namespace {KNOWN_PREFIXES[prefix]}.",
                            line=exc.lineno,
                        )
                    )
                    continue
            raise _syntax_error(exc, data) from None
        except ValueError as exc:  # e.g. unicode strings with encoding declaration
            raise MalformedXmlError(f"Không đọc được gói tin: {exc}", f"Cannot read the package: {exc}") from None
    depth = 0
    for event, _el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > max_depth:
                raise DepthLimitError(
                    f"Các phần tử lồng nhau quá sâu (hơn {max_depth} cấp).",
                    f"Elements are nested too deeply (more than {max_depth} levels).",
                    line=_el.sourceline,
                )
        else:
            depth -= 1
    if check_root:
        _check_root(root, notes)
    return root


def _check_root(root: etree._Element, notes: list[ParseNote]) -> None:
    qn = etree.QName(root)
    if qn.localname != "edXML":
        raise WrongRootError(
            f"Phần tử gốc là “{qn.localname}”, không phải “edXML”: đây không phải gói tin edXML.",
            f"The root element is '{qn.localname}', not 'edXML': this is not an edXML package.",
            location="/" + qn.localname,
            line=root.sourceline,
        )
    if qn.namespace not in (EDXML_NS, None):
        raise WrongRootError(
            f"Phần tử gốc edXML thuộc không gian tên “{qn.namespace}”, không phải {EDXML_NS} (QCVN 102:2016).",
            f"The edXML root is in namespace '{qn.namespace}', not {EDXML_NS} (QCVN 102:2016).",
            location="/edXML",
            line=root.sourceline,
        )
    if qn.namespace is None:
        notes.append(
            ParseNote(
                "no-namespace",
                "/edXML",
                "Phần tử gốc không khai báo không gian tên edXML.",
                "The root element does not declare the edXML namespace.",
                line=root.sourceline,
            )
        )
