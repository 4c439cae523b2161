"""States of an outgoing document: stable codes, never reused or renamed once shipped."""

from django.db import models

from vanban.edxml import StatusCode


class OutgoingState(models.TextChoices):
    DRAFT = "du-thao", "Dự thảo"
    IN_REVIEW = "dang-trinh", "Đang trình duyệt"
    RETURNED = "tra-lai", "Bị trả lại"
    APPROVED = "da-duyet", "Đã duyệt"
    SIGNED = "da-ky", "Đã ký số"
    NUMBERED = "da-cap-so", "Đã cấp số"
    SEALED = "da-dong-dau", "Đã ký số cơ quan"
    ISSUED = "da-phat-hanh", "Đã phát hành"
    CANCELLED = "da-huy", "Đã hủy"


class RecipientKind(models.TextChoices):
    UNIT = "don-vi", "Đơn vị trong cơ quan"
    AGENCY = "co-quan", "Cơ quan khác"
    EXTERNAL = "ben-ngoai", "Tổ chức, cá nhân bên ngoài"


class DeliveryState(models.TextChoices):
    PENDING = "cho-gui", "Chờ gửi"
    DELIVERED = "da-chuyen", "Đã chuyển"
    QUEUED = "cho-truc", "Đang gửi qua trục"
    SENT = "da-len-truc", "Đã gửi lên trục"
    EMAILED = "da-gui-thu", "Đã gửi thư điện tử"
    PAPER = "ban-giay", "Gửi bản giấy"
    FAILED = "loi", "Gửi lỗi"


class EntryState(models.TextChoices):
    USED = "da-dung", "Đã dùng"
    RESERVED = "giu-cho", "Giữ số"
    CANCELLED = "da-huy", "Đã hủy"


# Names of the edXML status codes a recipient sends back (spec/edxml.md §7): the one
# list is the edxml enum's.
STATUS_NAMES = {code.value: code.label_vi for code in StatusCode}


class IncomingState(models.TextChoices):
    RECEIVED = "da-den", "Đã đến"
    REGISTERED = "da-vao-so", "Đã vào sổ"
    REFUSED = "tu-choi", "Đã từ chối"
    ASSIGNED = "da-phan-cong", "Đã phân công"
    IN_PROGRESS = "dang-xu-ly", "Đang xử lý"
    DONE = "hoan-thanh", "Hoàn thành"
    RECALLED = "da-thu-hoi", "Đã thu hồi"


class IncomingSource(models.TextChoices):
    HUB = "truc", "Trục liên thông"
    EMAIL = "thu-dien-tu", "Thư điện tử"
    PAPER = "ban-giay", "Bản giấy (đã số hóa)"


class AssignmentRole(models.TextChoices):
    LEAD = "chu-tri", "Chủ trì"
    HELPER = "phoi-hop", "Phối hợp"
    INFORMED = "de-biet", "Để biết"


class ConfidenceLevel(models.TextChoices):
    """Mức độ tin cậy of the archive metadata (TT 05/2025 ``confidenceLevel``)."""

    BORN_DIGITAL = "01", "Gốc điện tử"
    DIGITIZED = "02", "Số hóa"
    MIXED = "03", "Hỗn hợp"


class StepKind(models.TextChoices):
    """A step of the chain of assignment of an incoming document (who passed it to whom)."""

    ASSIGN = "phan-cong", "Lãnh đạo phân công"
    REASSIGN = "giao-xu-ly", "Trưởng đơn vị giao xử lý"
    FORWARD = "chuyen-tiep", "Chuyển tiếp"
    RETURN = "tra-lai", "Trả lại"
    CONSULT = "xin-y-kien", "Xin ý kiến"
    ANSWER = "cho-y-kien", "Cho ý kiến"


HOLDING_KINDS = (StepKind.ASSIGN, StepKind.REASSIGN, StepKind.FORWARD)
"""Steps that give their target the document to handle (a return gives it back)."""


class StepState(models.TextChoices):
    """Where a step of the chain stands (what its target did with it)."""

    OPEN = "cho-xu-ly", "Chờ xử lý"
    STARTED = "dang-xu-ly", "Đang xử lý"
    PASSED = "da-giao-tiep", "Đã giao tiếp"
    RETURNED = "bi-tra-lai", "Bị trả lại"
    ANSWERED = "da-cho-y-kien", "Đã cho ý kiến"
    DONE = "hoan-thanh", "Hoàn thành"
    CLOSED = "da-dong", "Đã đóng (phân công lại)"
