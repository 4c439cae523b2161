"""States of a dossier and of a destruction batch: stable codes, never reused or renamed."""

from django.db import models


class DossierState(models.TextChoices):
    OPEN = "dang-mo", "Đang mở"
    CLOSED = "da-dong", "Đã đóng"
    TRANSFERRED = "da-nop-luu", "Đã nộp lưu"
    DESTROYED = "da-huy", "Đã hủy"


class DossierKind(models.TextChoices):
    LISTED = "danh-muc", "Theo danh mục hồ sơ"
    WORK = "cong-viec", "Hồ sơ công việc"


class DisposalState(models.TextChoices):
    """The steps of TT 06/2025 (spec archive.md §4.1), one state each."""

    LISTED = "lap-danh-muc", "Đã lập danh mục và thuyết minh"
    REVIEWED = "hoi-dong-xet", "Hội đồng đã xét"
    APPRAISED = "da-tham-dinh", "Đã thẩm định"
    DECIDED = "da-quyet-dinh", "Đã có quyết định hủy"
    DESTROYED = "da-huy", "Đã hủy"
    STOPPED = "dung", "Đã dừng"


class UseMode(models.TextChoices):
    """Chế độ sử dụng (TT 05/2025 ``mode``)."""

    PUBLIC = "01", "Công khai"
    CONDITIONAL = "02", "Sử dụng có điều kiện"
    SECRET = "03", "Mật"
