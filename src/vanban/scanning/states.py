"""States and sources of a scan job: stable codes, never reused or renamed once shipped."""

from django.db import models


class JobState(models.TextChoices):
    QUEUED = "cho-xu-ly", "Đang chờ"
    RUNNING = "dang-so-hoa", "Đang số hóa"
    DONE = "xong", "Đã số hóa"
    FAILED = "loi", "Lỗi"


class JobSource(models.TextChoices):
    UPLOAD = "tai-len", "Tải lên"
    FOLDER = "thu-muc", "Thư mục máy quét"


class JobOutcome(models.TextChoices):
    NONE = "", "Chưa dùng"
    REGISTERED = "nhap-van-ban-den", "Đã nhập văn bản đến"
    ATTACHED = "gan-ban-so-hoa", "Đã gắn vào văn bản bản giấy"
