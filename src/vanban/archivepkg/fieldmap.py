"""The field-mapping table and code lists of the transfer package: data, not logic.

Our internal names are those the registers capture (NĐ 30/2020 Phụ lục VI for a dossier,
TT 02/2019 for a document: ``Title``, ``Maintenance``, ``DocCode``...); the package's names are
those of TT 05/2025 Phụ lục III (``EAD.xml`` of a dossier, ``EAD_doc`` of a document). The
builder reads a :class:`~vanban.archivepkg.model.DossierEntry`'s mapping through this table and
the verifier checks the package's XML against the same table, so changing a row changes both.

Confidence (the spec notes, ``archive.md``): the element names and lengths are
[impl]; which fields are *required* and the code lists are **not confirmed** (spec §5 items 1,
3 and 4): edit ``required``, the code lists and :data:`MUC_LUC_COLUMNS` here when the
official annexes are read.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CODE_LISTS",
    "Field",
    "DOSSIER_FIELDS",
    "DOCUMENT_FIELDS",
    "MAINTENANCE_CODES",
    "MODE_CODES",
    "LANGUAGE_CODES",
    "CONFIDENCE_CODES",
    "MUC_LUC_COLUMNS",
    "DOSSIER_ROOT",
    "DOCUMENT_ROOT",
    "PACKAGE_NS",
    "DATE_FIELDS",
]


@dataclass(frozen=True)
class Field:
    """One row of the mapping: internal name → package element, its label, rules."""

    internal: str  # the key in DossierEntry.metadata / DocumentEntry.metadata
    element: str  # the XML element in EAD.xml / EAD_doc_*.xml
    label: str  # Vietnamese label (tên trường), used in messages and the mục lục
    required: bool = False  # [unconfirmed] spec §5.1, §5.3
    max_len: int = 0  # 0: no limit checked
    codes: str = ""  # name of the code list the value must belong to ("" none)


# Spec §1.2 (TT 05/2025 SIP_hoso EAD.xml, 18 elements), mapped from NĐ 30 Phụ lục VI names.
DOSSIER_FIELDS: tuple[Field, ...] = (
    Field("FileCode", "fileCode", "Mã hồ sơ", True, 100),
    Field("Title", "title", "Tiêu đề hồ sơ", True, 1000),
    Field("Maintenance", "maintenance", "Thời hạn lưu trữ", True, 100, "maintenance"),
    Field("Rights", "mode", "Chế độ sử dụng", True, 30, "mode"),
    Field("Language", "language", "Ngôn ngữ", True, 100, "language"),
    Field("StartDate", "startDate", "Thời gian bắt đầu", True, 10),
    Field("EndDate", "endDate", "Thời gian kết thúc", True, 10),
    Field("Keyword", "keyword", "Từ khóa", False, 100),
    Field("DocTotal", "totalDoc", "Tổng số tài liệu trong hồ sơ", True, 10),  # counted by the builder
    Field("PaperTotal", "numberOfPaper", "Số lượng tờ", False, 10),
    Field("PageTotal", "numberOfPage", "Số lượng trang", True, 10),  # summed from documents if absent
    Field("Format", "format", "Tình trạng vật lý", False, 50),
    Field("InforSign", "inforSign", "Ký hiệu thông tin", False, 30),
    Field("ConfidenceLevel", "confidenceLevel", "Mức độ tin cậy", True, 40, "confidence"),
    Field("PaperFileCode", "paperFileCode", "Mã hồ sơ gốc giấy", False, 100),
    Field("RiskRecovery", "riskRecovery", "Chế độ dự phòng", False, 1),
    Field("RiskRecoveryStatus", "riskRecoveryStatus", "Tình trạng dự phòng", False, 2),
    # NĐ 30 "Người lập hồ sơ" (Creator) has no TT 05 element: the builder writes it at the
    # head of description ("person who made the dossier + clarifications", spec §1.2).
    Field("Description", "description", "Ghi chú", False, 2000),
)

# Spec §1.3 (TT 05/2025 EAD_doc.xml, 21 elements), mapped from TT 02/2019 names.
DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field("DocCode", "docId", "Mã định danh tài liệu", True, 25),
    Field("ArcDocCode", "docCode", "Mã lưu trữ của tài liệu", True, 100),  # fileCode + 7-digit ordinal
    Field("Maintenance", "maintenance", "Thời hạn lưu trữ", True, 100, "maintenance"),  # from the dossier
    Field("TypeName", "typeName", "Tên loại tài liệu", True, 10),
    Field("CodeNumber", "codeNumber", "Số của văn bản", False, 11),
    Field("CodeNotation", "codeNotation", "Ký hiệu của văn bản", False, 30),
    Field("IssuedDate", "issuedDate", "Ngày, tháng, năm văn bản", True, 10),
    Field("OrganName", "organName", "Tên cơ quan, tổ chức ban hành", True, 200),
    Field("Subject", "subject", "Trích yếu nội dung", True, 500),
    Field("Language", "language", "Ngôn ngữ", True, 100, "language"),
    Field("PageAmount", "numberOfPage", "Số lượng trang", True, 4),
    Field("InforSign", "inforSign", "Ký hiệu thông tin", False, 30),
    Field("Keyword", "keyword", "Từ khóa", False, 100),
    Field("Mode", "mode", "Chế độ sử dụng", True, 20, "mode"),
    Field("ConfidenceLevel", "confidenceLevel", "Mức độ tin cậy", True, 30, "confidence"),
    Field("Autograph", "autograph", "Bút tích", False, 2000),
    Field("Format", "format", "Tình trạng vật lý", False, 50),
    Field("RiskRecovery", "riskRecovery", "Chế độ dự phòng", False, 1),
    Field("RiskRecoveryStatus", "riskRecoveryStatus", "Tình trạng dự phòng", False, 2),
    Field("Process", "process", "Tệp vết xử lý", False, 1),
    Field("Description", "description", "Ghi chú", False, 500),
)

DATE_FIELDS = frozenset({"startDate", "endDate", "issuedDate"})  # DD/MM/YYYY (AIP: also MM/YYYY, YYYY)

# Spec §3.2 [impl]; no code for 05 năm (→ 07).
MAINTENANCE_CODES: dict[str, str] = {
    "01": "Vĩnh viễn",
    "02": "70 năm",
    "03": "50 năm",
    "04": "30 năm",
    "05": "20 năm",
    "06": "10 năm",
    "07": "Khác",
}
# Spec §1.2 [impl]
MODE_CODES: dict[str, str] = {"01": "Công khai", "02": "Sử dụng có điều kiện", "03": "Mật"}
LANGUAGE_CODES: dict[str, str] = {
    "01": "Tiếng Việt",
    "02": "Tiếng Anh",
    "03": "Tiếng Pháp",
    "04": "Tiếng Nga",
    "05": "Tiếng Trung",
    "06": "Việt - Anh",
    "07": "Việt - Nga",
    "08": "Việt - Pháp",
    "09": "Hán Nôm",
    "10": "Việt - Trung",
    "11": "Khác",
}
CONFIDENCE_CODES: dict[str, str] = {"01": "Gốc điện tử", "02": "Số hóa", "03": "Hỗn hợp"}
CODE_LISTS: dict[str, dict[str, str]] = {
    "maintenance": MAINTENANCE_CODES,
    "mode": MODE_CODES,
    "language": LANGUAGE_CODES,
    "confidence": CONFIDENCE_CODES,
}

# Spec §2.2, "Mục lục hồ sơ, tài liệu nộp lưu" (NĐ 30 Phụ lục V), 7 columns; **unconfirmed**
# (spec §5.4: transcriptions differ). Each column: header, and what fills it.
MUC_LUC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Số TT", "ordinal"),
    ("Số, ký hiệu hồ sơ", "fileCode"),
    ("Tiêu đề hồ sơ", "title"),
    ("Thời gian tài liệu", "dates"),
    ("Thời hạn bảo quản", "maintenance"),
    ("Số tờ/số trang", "pages"),
    ("Ghi chú", "description"),
)

# The XML root elements and namespace of EAD.xml / EAD_doc: the TT 05/2025 XSD was not read
# (spec §5.3), so no namespace is used; change here if the official schema names one.
PACKAGE_NS = ""
DOSSIER_ROOT = "EAD"
DOCUMENT_ROOT = "EAD_doc"
