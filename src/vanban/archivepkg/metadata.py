"""The descriptive metadata of a dossier (``EAD.xml``) and of a document (``EAD_doc``),
written with lxml from the field-mapping table, and checked against the same table.

Both directions read :mod:`vanban.archivepkg.fieldmap`: the builder maps internal names to
package elements in the table's order and refuses an entry missing a required field; the
verifier reads a package's XML and reports each required element that is absent or empty,
each value over its length and each value outside its code list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from vanban.archivepkg.errors import MetadataError
from vanban.archivepkg.fieldmap import (
    CODE_LISTS,
    DATE_FIELDS,
    DOCUMENT_FIELDS,
    DOCUMENT_ROOT,
    DOSSIER_FIELDS,
    DOSSIER_ROOT,
    PACKAGE_NS,
    Field,
)

__all__ = [
    "dossier_values",
    "document_values",
    "to_xml",
    "check_fields",
    "check_values",
    "require_fields",
    "field_values",
]

_DATE = re.compile(r"^(\d{2}/)?(\d{2}/)?\d{4}$")
COMPUTED_DOSSIER = frozenset({"DocTotal", "PageTotal"})  # the builder fills them
COMPUTED_DOCUMENT = frozenset({"ArcDocCode", "Maintenance"})


def _tag(name: str) -> str:
    return f"{{{PACKAGE_NS}}}{name}" if PACKAGE_NS else name


def require_fields(meta: Mapping[str, str], fields: tuple[Field, ...], what: str, skip: frozenset[str]) -> None:
    """Raise :class:`MetadataError` naming every required field missing from ``meta``."""
    missing = [
        f.label for f in fields if f.required and f.internal not in skip and not str(meta.get(f.internal, "")).strip()
    ]
    if missing:
        raise MetadataError(
            f"{what} thiếu trường bắt buộc: {', '.join(missing)}.",
            f"{what}: required fields missing: {', '.join(missing)}.",
            details={"missing": missing},
        )


def _values(fields: tuple[Field, ...], values: Mapping[str, str]) -> dict[str, str]:
    """Internal names → package elements, in the table's order, empty values left out."""
    out: dict[str, str] = {}
    for f in fields:
        value = str(values.get(f.internal, "")).strip()
        if value:
            out[f.element] = value
    return out


def to_xml(kind: str, values: Mapping[str, str]) -> bytes:
    """``EAD`` (kind ``dossier``) or ``EAD_doc`` (kind ``document``) of element values."""
    nsmap = {None: PACKAGE_NS} if PACKAGE_NS else None
    root = etree.Element(_tag(DOSSIER_ROOT if kind == "dossier" else DOCUMENT_ROOT), nsmap=nsmap)
    for element, value in values.items():
        etree.SubElement(root, _tag(element)).text = value
    etree.indent(root)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return out


def dossier_values(meta: Mapping[str, str], *, doc_total: int, page_total: int) -> dict[str, str]:
    """The element values of a dossier's ``EAD.xml``; ``totalDoc`` is the documents
    written, ``numberOfPage`` the dossier's own ``PageTotal`` or else the sum of its
    documents' pages. NĐ 30's ``Creator`` (người lập hồ sơ) heads ``description``, as TT
    05/2025 asks."""
    values = dict(meta)
    values["DocTotal"] = str(doc_total)
    values.setdefault("PageTotal", str(page_total))
    creator = str(meta.get("Creator", "")).strip()
    if creator:
        rest = str(meta.get("Description", "")).strip()
        values["Description"] = f"Người lập hồ sơ: {creator}." + (f" {rest}" if rest else "")
    return _values(DOSSIER_FIELDS, values)


def document_values(meta: Mapping[str, str], *, arc_doc_code: str, maintenance: str) -> dict[str, str]:
    """The element values of a document's ``EAD_doc``; ``docCode`` = mã hồ sơ + 7-digit
    ordinal, ``maintenance`` taken from the dossier unless the document has its own (§1.3)."""
    values = dict(meta)
    values["ArcDocCode"] = arc_doc_code
    values.setdefault("Maintenance", maintenance)
    return _values(DOCUMENT_FIELDS, values)


def field_values(root: etree._Element) -> dict[str, str]:
    """Element name → text of a parsed ``EAD``/``EAD_doc`` (first occurrence wins)."""
    out: dict[str, str] = {}
    for child in root:
        if isinstance(child.tag, str):
            out.setdefault(etree.QName(child).localname, (child.text or "").strip())
    return out


def check_fields(root: etree._Element, kind: str) -> list[tuple[str, str, str]]:
    """Problems ``(code, message_vi, message_en)`` of a parsed ``EAD`` (kind ``dossier``) or
    ``EAD_doc`` (kind ``document``) against the mapping table."""
    fields, root_name = (DOSSIER_FIELDS, DOSSIER_ROOT) if kind == "dossier" else (DOCUMENT_FIELDS, DOCUMENT_ROOT)
    if etree.QName(root).localname != root_name:
        return [("metadata-root", f"Phần tử gốc phải là {root_name}.", f"The root element must be {root_name}.")]
    return check_values(field_values(root), kind)


def check_values(values: Mapping[str, str], kind: str) -> list[tuple[str, str, str]]:
    """Problems of element values (see :func:`check_fields`), before or after writing them."""
    fields = DOSSIER_FIELDS if kind == "dossier" else DOCUMENT_FIELDS
    problems: list[tuple[str, str, str]] = []
    for f in fields:
        value = values.get(f.element, "")
        if not value:
            if f.required:
                problems.append(
                    (
                        "metadata-missing",
                        f"Thiếu trường bắt buộc “{f.label}” ({f.element}).",
                        f"Required field {f.element} is missing.",
                    )
                )
            continue
        if f.max_len and len(value) > f.max_len:
            problems.append(
                (
                    "metadata-too-long",
                    f"Trường “{f.label}” ({f.element}) dài {len(value)} ký tự, quá {f.max_len}.",
                    f"Field {f.element} is {len(value)} characters, over {f.max_len}.",
                )
            )
        if f.codes and any(v.strip() not in CODE_LISTS[f.codes] for v in value.split(",")):
            problems.append(
                (
                    "metadata-code",
                    f"Giá trị “{value[:40]}” của trường “{f.label}” không có trong danh mục mã.",
                    f"Value of {f.element} is not in its code list.",
                )
            )
        if f.element in DATE_FIELDS and not _DATE.match(value):
            problems.append(
                (
                    "metadata-date",
                    f"Trường “{f.label}” phải theo dạng DD/MM/YYYY, có: “{value[:20]}”.",
                    f"Field {f.element} must be DD/MM/YYYY.",
                )
            )
    return problems
